#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "jobs/task.hpp"
#include "worker/cuda/device_props.hpp"

namespace gs {

// Room left free beyond a task's A, B and C: cuBLAS's own workspace, the context's growth.
inline constexpr std::size_t kMemoryMarginBytes = std::size_t{512} << 20;

// "1.50 GiB", "12.0 MiB", "3.0 KiB".
std::string bytes_text(std::uint64_t bytes);

// Free memory on the current device against what the task needs: the reason to skip it when it
// does not fit, else nothing.
std::optional<std::string> memory_shortfall(const Task& task, const CudaDeviceProps& props);

// How many operand sets of `per_set` bytes a sample of `launches` batched launches rotates over:
// enough that the launches touch more than the L2 holds (twice `l2_bytes`), so that the second
// and later ones do not read the first one's operands from the cache; no more than free memory
// allows beyond the margin (plus the set already held), nor than there are launches.
std::size_t rotation_set_count(std::size_t per_set, std::uint64_t l2_bytes, int launches);

}  // namespace gs
