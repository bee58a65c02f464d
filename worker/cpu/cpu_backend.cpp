#include "worker/cpu/cpu_backend.hpp"

#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <span>

#include "diagnostics/api_error.hpp"
#include "worker/cpu/cpu_gemm.hpp"
#include "worker/cpu/host_info.hpp"
#include "worker/sampler.hpp"

namespace gs {
namespace {

// Samples shorter than this batch several calls, so that reading the clock is not what we time.
constexpr double kMinSampleSeconds = 1e-4;
constexpr std::uint64_t kMaxCallsPerSample = 100000;
// Share of the available memory one task may take; the rest stays for the rank and the OS.
constexpr double kMemoryShare = 0.8;

double gib(std::uint64_t bytes) { return static_cast<double>(bytes) / double(1ull << 30); }

std::uint64_t set_bytes(const GemmShape& s, int element_bytes) {
  return (a_elements(s) + b_elements(s) + c_elements(s)) *
         static_cast<std::uint64_t>(element_bytes);
}

}  // namespace

CpuBackend::CpuBackend(const CpuOptions& options) : options_(options) {
  const int cores = std::max(1, openblas_get_num_procs());
  threads_ = options.threads > 0 ? options.threads : cores;
  // A process-wide setting: one backend per rank, as the orchestrator runs it.
  openblas_set_num_threads(threads_);
  cache_bytes_ = options.cache_bytes ? options.cache_bytes : last_level_cache_bytes();
}

DeviceInfo CpuBackend::device_info() const {
  DeviceInfo info;
  info.backend = "cpu";
  info.name = cpu_model_name();
  info.host = host_name();
  info.rank = process_rank();
  info.memory_bytes = total_memory_bytes();
  info.blas_version = openblas_version();
  info.threads = threads_;
  return info;
}

std::uint64_t CpuBackend::memory_for_tasks() const {
  const std::uint64_t held = (single_.inputs.capacity() + single_.outputs.capacity()) * 4 +
                             (double_.inputs.capacity() + double_.outputs.capacity()) * 8;
  // Every rank of the node reads the same free memory: each may count on its share only, or
  // several large tasks at once would pass the check together and exhaust the node.
  const std::uint64_t available = available_memory_bytes();
  const auto ranks = static_cast<std::uint64_t>(std::max(1, options_.ranks_on_node));
  return available ? available / ranks + held : 0;
}

std::uint64_t CpuBackend::rotation_sets(const GemmShape& shape, int element_bytes) const {
  const std::uint64_t one = std::max<std::uint64_t>(1, set_bytes(shape, element_bytes));
  std::uint64_t sets = std::max<std::uint64_t>(2, cache_bytes_ / one + 1);
  const auto budget =
      static_cast<std::uint64_t>(kMemoryShare * static_cast<double>(memory_for_tasks()));
  if (budget > 0) sets = std::min(sets, std::max<std::uint64_t>(1, budget / one));
  return sets;
}

Measurement CpuBackend::measure(const Task& task, const TimingSettings& timing) {
  const GemmShape& s = task.shape;
  if (s.batch <= 0 || s.m <= 0 || s.n <= 0 || s.k <= 0)
    throw std::invalid_argument(fmt::format("cpu backend: task {} has an empty GEMM {}x{}x{}x{}",
                                            task.id, s.batch, s.m, s.n, s.k));
  Measurement m;
  const DType requested = task.point.dtype;
  if (requested == DType::fp8) {
    m.status = TaskStatus::skipped;
    m.message = "cpu backend: fp8 needs a GPU with fp8 tensor cores (cuda backend)";
    return m;
  }
  if (std::max({s.m, s.n, s.k}) > INT_MAX) {
    m.status = TaskStatus::skipped;
    m.message = "cpu backend: a dimension exceeds OpenBLAS's 32-bit index";
    return m;
  }
  const bool native_double = requested == DType::fp64;
  const int element_bytes = native_double ? 8 : 4;
  const std::uint64_t needed = set_bytes(s, element_bytes);
  const std::uint64_t available = memory_for_tasks();
  if (available > 0 &&
      static_cast<double>(needed) > kMemoryShare * static_cast<double>(available)) {
    m.status = TaskStatus::skipped;
    m.message = fmt::format(
        "cpu backend: needs {:.2f} GiB of host memory, {:.2f} GiB available{}", gib(needed),
        gib(available),
        options_.ranks_on_node > 1
            ? fmt::format(" (this rank's share: the node's memory is shared by {} ranks)",
                          options_.ranks_on_node)
            : std::string());
    return m;
  }
  if (native_double) return run(task, timing, double_);
  Measurement result = run(task, timing, single_);
  if (requested != DType::fp32) {
    const std::string note = fmt::format("{} requested, computed in fp32 (OpenBLAS has no {} GEMM)",
                                         to_string(requested), to_string(requested));
    result.message = result.message.empty() ? note : note + "; " + result.message;
  }
  return result;
}

template <typename T>
Measurement CpuBackend::run(const Task& task, const TimingSettings& timing, Arena<T>& arena) {
  const GemmShape& s = task.shape;
  const std::uint64_t in_per_set = a_elements(s) + b_elements(s);
  const std::uint64_t out_per_set = c_elements(s);
  const std::uint64_t sets = rotation_sets(s, static_cast<int>(sizeof(T)));

  // The arenas persist across tasks: the random fill of cache-sized buffers costs more than many
  // small GEMMs, and inputs are only read, so they stay random.
  // Growing gives the old buffers back first, so that the memory check above holds.
  if (arena.inputs.size() < sets * in_per_set) {
    std::vector<T>().swap(arena.inputs);
    arena.inputs.resize(sets * in_per_set);
    fill_random(std::span<T>(arena.inputs), options_.seed + 7919 * ++fills_);
  }
  if (arena.outputs.size() < sets * out_per_set) {
    std::vector<T>().swap(arena.outputs);
    arena.outputs.resize(sets * out_per_set);
  }

  std::uint64_t next = 0;
  auto call = [&] {
    const std::uint64_t set = next++ % sets;
    const T* a = arena.inputs.data() + set * in_per_set;
    cpu_batched_gemm(s, a, a + a_elements(s), arena.outputs.data() + set * out_per_set);
  };

  // One untimed call to size the sample: first touch of the output pages, and the call count
  // per sample that keeps clock reads negligible.
  double start = steady_seconds();
  call();
  const double first = std::max(steady_seconds() - start, 1e-9);
  const auto calls = static_cast<std::uint64_t>(
      std::clamp(std::ceil(kMinSampleSeconds / first), 1.0, double(kMaxCallsPerSample)));

  auto sample = [&] {
    const double t0 = steady_seconds();
    for (std::uint64_t i = 0; i < calls; ++i) call();
    return (steady_seconds() - t0) / static_cast<double>(calls);
  };
  const SamplingResult sampled = sample_until_stable(timing, sample);

  Measurement m;
  m.compute_dtype = sizeof(T) == 8 ? "fp64" : "fp32";
  m.launches_per_sample = static_cast<int>(calls);
  m.algo = fmt::format(
      "OpenBLAS cblas_{}gemm ({} kernels) x{} batch, {} threads, {} rotating operand sets",
      sizeof(T) == 8 ? 'd' : 's', openblas_core(), s.batch, threads_, sets);
  if (calls > 1) m.message = fmt::format("calls batched x{} per sample", calls);
  fill_measurement(sampled, timing, m);
  return m;
}

}  // namespace gs
