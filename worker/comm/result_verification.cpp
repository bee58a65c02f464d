#include "worker/comm/result_verification.hpp"

#include <fmt/format.h>

#include "worker/comm/element_codec.hpp"
#include "worker/comm/group_sampling.hpp"

namespace gs {

std::optional<Measurement> verify_on_all_members(const Task& task, const CollectivePattern& pattern,
                                                 const std::byte* received, int group_rank,
                                                 MPI_Comm group) {
  const DType dtype = task.point.dtype;
  std::size_t bad = 0, first_bad = 0;
  const std::size_t stride = CollectivePattern::check_stride(pattern.recv_elements());
  for (std::size_t i = 0; i < pattern.recv_elements(); i += stride)
    if (!CollectivePattern::close(load_element(dtype, received, i), pattern.expected_value(i)) &&
        bad++ == 0)
      first_bad = i;
  if (all_members_agree(group, bad == 0)) return std::nullopt;
  Measurement failed;
  failed.status = TaskStatus::failed;
  failed.message =
      bad ? fmt::format("{} result check failed on group rank {}: element {} is {}, expected {}",
                        to_string(task.op), group_rank, first_bad,
                        load_element(dtype, received, first_bad), pattern.expected_value(first_bad))
          : fmt::format("{} result check failed on another member of the group",
                        to_string(task.op));
  return failed;
}

}  // namespace gs
