#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gs {

inline constexpr std::uint64_t kFallbackLastLevelCacheBytes = 32ull << 20;

// Parses a sysfs cache size such as "32K", "2048K", "300M"; nullopt when malformed.
std::optional<std::uint64_t> parse_cache_size(std::string_view text);

// Size of the largest (last-level) data or unified cache listed under cache_dir (sysfs:
// index*/size, index*/type); kFallbackLastLevelCacheBytes when nothing can be read.
std::uint64_t last_level_cache_bytes(
    const std::filesystem::path& cache_dir = "/sys/devices/system/cpu/cpu0/cache");

// "model name" of the first processor in /proc/cpuinfo (or the file given); "unknown CPU".
std::string cpu_model_name(const std::filesystem::path& cpuinfo = "/proc/cpuinfo");

// MemAvailable / MemTotal from /proc/meminfo (or the file given), in bytes; 0 when unknown.
std::uint64_t available_memory_bytes(const std::filesystem::path& meminfo = "/proc/meminfo");
std::uint64_t total_memory_bytes(const std::filesystem::path& meminfo = "/proc/meminfo");

// Cores this process may run on (its affinity mask, which Slurm and mpirun binding restrict), and
// all online cores of the node.
int cores_available_to_process();
int cores_online();

// BLAS threads for one of ranks_on_node ranks sharing the node, so that they do not fight:
// the node's cores split evenly, never more than this rank's affinity allows, at least one.
int cpu_threads_per_rank(int ranks_on_node);

// OpenBLAS's own description of itself (openblas_get_config), e.g.
// "OpenBLAS 0.3.21 NO_AFFINITY Haswell MAX_THREADS=64".
std::string openblas_version();
// The kernel family OpenBLAS picked at load time (openblas_get_corename), e.g. "skylakex". A
// DYNAMIC_ARCH build that cannot identify a virtual CPU falls back to "prescott" (SSE3 kernels,
// several times slower); OPENBLAS_CORETYPE=SkylakeX (or Haswell, Zen) in the environment fixes it.
std::string openblas_core();

}  // namespace gs
