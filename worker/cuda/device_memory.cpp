#include "worker/cuda/device_memory.hpp"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <algorithm>

#include "worker/cuda/cuda_check.hpp"

namespace gs {
namespace {

std::uint64_t free_device_bytes() {
  std::size_t free_bytes = 0, total_bytes = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  return free_bytes;
}

}  // namespace

std::string bytes_text(std::uint64_t bytes) {
  const auto b = static_cast<double>(bytes);
  if (b >= 0x1p30) return fmt::format("{:.2f} GiB", b / 0x1p30);
  if (b >= 0x1p20) return fmt::format("{:.1f} MiB", b / 0x1p20);
  return fmt::format("{:.1f} KiB", b / 0x1p10);
}

std::uint64_t memory_share(std::uint64_t free_bytes, int ranks_sharing) {
  return free_bytes / static_cast<std::uint64_t>(std::max(1, ranks_sharing));
}

std::optional<std::string> memory_shortfall(std::uint64_t operand_bytes, std::uint64_t free_bytes,
                                            int ranks_sharing, const CudaDeviceProps& props) {
  // Task::bytes() is computed in floating point and saturates, so an absurd shape cannot wrap
  // around to a small need (element counts are only multiplied out once this check passed).
  const std::uint64_t needed = operand_bytes > UINT64_MAX - kMemoryMarginBytes
                                   ? UINT64_MAX
                                   : operand_bytes + kMemoryMarginBytes;
  const std::uint64_t share = memory_share(free_bytes, ranks_sharing);
  if (needed <= share) return std::nullopt;
  const std::string whose =
      ranks_sharing > 1
          ? fmt::format(
                "this rank's share, {} bytes ({}), of the {} bytes ({}) free: {} ranks "
                "share the GPU (--ranks-per-gpu)",
                share, bytes_text(share), free_bytes, bytes_text(free_bytes), ranks_sharing)
          : fmt::format("{} bytes ({}) are free", free_bytes, bytes_text(free_bytes));
  return fmt::format(
      "does not fit in device memory: needs {} bytes ({}: {} for A, B and C plus a {} margin) "
      "but {} on device {} ({}; L2 flush buffer and workspaces already held)",
      needed, bytes_text(needed), bytes_text(operand_bytes), bytes_text(kMemoryMarginBytes), whose,
      props.index, props.name);
}

std::optional<std::string> memory_shortfall(const Task& task, const CudaDeviceProps& props,
                                            int ranks_sharing) {
  return memory_shortfall(task.bytes(), free_device_bytes(), ranks_sharing, props);
}

std::size_t rotation_set_count(std::size_t per_set, std::uint64_t l2_bytes, int launches,
                               std::uint64_t free_bytes, int ranks_sharing) {
  const std::uint64_t share = memory_share(free_bytes, ranks_sharing);
  const std::uint64_t one = std::max<std::uint64_t>(per_set, 1);
  const std::uint64_t affordable =
      share > kMemoryMarginBytes ? (share - kMemoryMarginBytes) / one : 0;
  const std::uint64_t wanted = (2 * l2_bytes + one - 1) / one;
  return static_cast<std::size_t>(
      std::min({wanted, affordable + 1, static_cast<std::uint64_t>(std::max(launches, 1))}));
}

std::size_t rotation_set_count(std::size_t per_set, std::uint64_t l2_bytes, int launches,
                               int ranks_sharing) {
  return rotation_set_count(per_set, l2_bytes, launches, free_device_bytes(), ranks_sharing);
}

}  // namespace gs
