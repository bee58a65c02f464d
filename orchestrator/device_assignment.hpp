#pragma once
#include <optional>
#include <string>
#include <vector>

namespace gs {

// Which device, and how many BLAS threads, one rank uses.
struct DeviceAssignment {
  int device_index = 0;  // cuda: index among the devices this rank sees
  int threads = 0;       // cpu: BLAS threads
};

// Number of GPUs a process sees: the entries of CUDA_VISIBLE_DEVICES when it is set (Slurm sets
// it per task under --gpus-per-task / --gpu-bind), else what the driver lists. nullopt when
// neither tells (no NVIDIA driver): the backend then says whether it finds a GPU.
std::optional<int> visible_gpu_count(const char* cuda_visible_devices,
                                     std::optional<int> driver_count);
// GPUs the NVIDIA driver lists on this node (/proc/driver/nvidia/gpus), nullopt without a driver.
std::optional<int> driver_gpu_count();

// GPU of one rank from what every rank of its node sees. Ranks that see the same device list
// (CUDA_VISIBLE_DEVICES, or unset) share it: the i-th of them, counted in node-local rank order,
// takes device i / ranks_per_gpu. Ranks that Slurm bound to a GPU of their own each see a list of
// one and take its device 0. Throws UsageError when more ranks share a list than it has GPUs
// times ranks_per_gpu.
int gpu_for_rank(const std::vector<std::string>& visible_by_node_rank, int node_rank,
                 int gpus_visible, int ranks_per_gpu, const std::string& host);

// BLAS threads of one rank of the cpu backend: the CPUs Slurm (or taskset) bound it to when
// bound, else an equal share of the node's CPUs among the ranks on it.
int cpu_threads_for_rank(int affinity_cpus, int online_cpus, int ranks_on_node);
int affinity_cpu_count();
int online_cpu_count();

}  // namespace gs
