#include "worker/cuda/device_memory.hpp"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <algorithm>

#include "worker/cuda/cuda_check.hpp"

namespace gs {

std::string bytes_text(std::uint64_t bytes) {
  const auto b = static_cast<double>(bytes);
  if (b >= 0x1p30) return fmt::format("{:.2f} GiB", b / 0x1p30);
  if (b >= 0x1p20) return fmt::format("{:.1f} MiB", b / 0x1p20);
  return fmt::format("{:.1f} KiB", b / 0x1p10);
}

std::optional<std::string> memory_shortfall(const Task& task, const CudaDeviceProps& props) {
  std::size_t free_bytes = 0, total_bytes = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  // Task::bytes() is computed in floating point and saturates, so an absurd shape cannot wrap
  // around to a small need (element counts are only multiplied out once this check passed).
  const std::uint64_t operands = task.bytes();
  const std::uint64_t needed =
      operands > UINT64_MAX - kMemoryMarginBytes ? UINT64_MAX : operands + kMemoryMarginBytes;
  if (needed <= free_bytes) return std::nullopt;
  return fmt::format(
      "does not fit in device memory: needs {} bytes ({}: {} for A, B and C plus a {} margin) "
      "but {} bytes ({}) are free on device {} ({}; L2 flush buffer and workspaces already "
      "held)",
      needed, bytes_text(needed), bytes_text(operands), bytes_text(kMemoryMarginBytes), free_bytes,
      bytes_text(free_bytes), props.index, props.name);
}

std::size_t rotation_set_count(std::size_t per_set, std::uint64_t l2_bytes, int launches) {
  std::size_t free_bytes = 0, total_bytes = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  const std::size_t affordable =
      free_bytes > kMemoryMarginBytes ? (free_bytes - kMemoryMarginBytes) / per_set : 0;
  const std::size_t wanted = (2 * l2_bytes + per_set - 1) / per_set;
  return std::min({wanted, affordable + 1, static_cast<std::size_t>(launches)});
}

}  // namespace gs
