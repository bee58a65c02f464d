#include "orchestrator/device_assignment.hpp"

#include <fmt/format.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "orchestrator/exit_status.hpp"

namespace gs {

std::optional<int> visible_gpu_count(const char* cuda_visible_devices,
                                     std::optional<int> driver_count) {
  if (!cuda_visible_devices) return driver_count;
  std::string_view list(cuda_visible_devices);
  int count = 0;
  while (!list.empty()) {
    const auto cut = list.find(',');
    const std::string_view entry = list.substr(0, cut);
    // CUDA stops at the first invalid entry; "-1" and Slurm's "NoDevFiles" hide every device.
    if (entry.empty() || entry == "-1" || entry == "NoDevFiles") break;
    ++count;
    if (cut == std::string_view::npos) break;
    list.remove_prefix(cut + 1);
  }
  if (driver_count) count = std::min(count, *driver_count);
  return count;
}

std::optional<int> driver_gpu_count() {
  std::error_code ec;
  const std::filesystem::path dir("/proc/driver/nvidia/gpus");
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    (void)entry;
    ++count;
  }
  return count;
}

int gpu_for_rank(const std::vector<std::string>& visible_by_node_rank, int node_rank,
                 int gpus_visible, int ranks_per_gpu, const std::string& host) {
  const std::string& mine = visible_by_node_rank.at(static_cast<std::size_t>(node_rank));
  int position = 0, sharing = 0;
  for (std::size_t r = 0; r < visible_by_node_rank.size(); ++r) {
    if (visible_by_node_rank[r] != mine) continue;
    if (static_cast<int>(r) < node_rank) ++position;
    ++sharing;
  }
  const int rpg = std::max(ranks_per_gpu, 1);
  if (sharing > gpus_visible * rpg) {
    const std::string seen =
        mine == "<unset>" ? "all GPUs of the node" : "CUDA_VISIBLE_DEVICES=" + mine;
    throw UsageError(fmt::format(
        "{} ranks on host {} share {} visible GPU(s) ({}) with --ranks-per-gpu {}: the cuda "
        "backend allows at most {} ranks there; start fewer ranks per node (e.g. srun "
        "--ntasks-per-node={} --gpus-per-task=1) or raise --ranks-per-gpu",
        sharing, host, gpus_visible, seen, rpg, gpus_visible * rpg, gpus_visible));
  }
  return position / rpg;
}

int cpu_threads_for_rank(int affinity_cpus, int online_cpus, int ranks_on_node) {
  if (affinity_cpus > 0 && affinity_cpus < online_cpus) return affinity_cpus;
  return std::max(1, online_cpus / std::max(ranks_on_node, 1));
}

int affinity_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return CPU_COUNT(&set);
}

int online_cpu_count() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

}  // namespace gs
