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

// What one rank may count on of `free_bytes` when `ranks_sharing` ranks share the GPU
// (--ranks-per-gpu): its share, since every one of them reads the same free memory and two large
// tasks at once would otherwise both pass the check and exhaust the device.
std::uint64_t memory_share(std::uint64_t free_bytes, int ranks_sharing);

// The reason to skip a task whose A, B and C take `operand_bytes` when this rank's share of
// `free_bytes` cannot hold them plus the margin, else nothing.
std::optional<std::string> memory_shortfall(std::uint64_t operand_bytes, std::uint64_t free_bytes,
                                            int ranks_sharing, const CudaDeviceProps& props);
// The same against the current device's free memory now.
std::optional<std::string> memory_shortfall(const Task& task, const CudaDeviceProps& props,
                                            int ranks_sharing);

// How many operand sets of `per_set` bytes a sample of `launches` batched launches rotates over:
// enough that the launches touch more than the L2 holds (twice `l2_bytes`), so that the second
// and later ones do not read the first one's operands from the cache; no more than this rank's
// share of `free_bytes` allows beyond the margin (plus the set already held), nor than there
// are launches.
std::size_t rotation_set_count(std::size_t per_set, std::uint64_t l2_bytes, int launches,
                               std::uint64_t free_bytes, int ranks_sharing);
// The same against the current device's free memory now.
std::size_t rotation_set_count(std::size_t per_set, std::uint64_t l2_bytes, int launches,
                               int ranks_sharing);

}  // namespace gs
