#include "worker/model/model_backend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "diagnostics/api_error.hpp"
#include "jobs/timing_settings.hpp"

namespace gs {

ModelBackend::ModelBackend(const ModelOptions& options)
    : simulate_factor_(options.simulate_factor) {
  const GpuSpec* gpu = options.spec ? &*options.spec : find_gpu(options.gpu);
  if (!gpu)
    throw std::invalid_argument(
        fmt::format("model backend: unknown GPU '{}'; known: {}", options.gpu, known_gpu_names()));
  if (!(options.simulate_factor >= 0) || !std::isfinite(options.simulate_factor))
    throw std::invalid_argument(fmt::format(
        "model backend: simulate factor {} must be a finite number >= 0", options.simulate_factor));
  gpu_ = *gpu;
}

DeviceInfo ModelBackend::device_info() const {
  DeviceInfo info;
  info.backend = "model";
  info.name = "model:" + gpu_.name;
  info.host = host_name();
  info.rank = process_rank();
  info.sm_count = gpu_.sm_count;
  info.memory_bytes = static_cast<std::uint64_t>(gpu_.memory_gib * double(1ull << 30));
  return info;
}

Measurement ModelBackend::measure(const Task& task, const TimingSettings& timing) {
  Measurement m;
  const DType dtype = task.point.dtype;
  if (std::string why = unsupported_reason(dtype, gpu_); !why.empty()) {
    m.status = TaskStatus::skipped;
    m.message = "model backend: " + why;
    return m;
  }
  const double memory = gpu_.memory_gib * double(1ull << 30);
  if (static_cast<double>(task.bytes()) > memory) {
    m.status = TaskStatus::skipped;
    m.message = fmt::format("model backend: needs {:.1f} GiB, {} has {} GiB",
                            static_cast<double>(task.bytes()) / double(1ull << 30), gpu_.name,
                            gpu_.memory_gib);
    return m;
  }
  const ModelBreakdown b = explain_prediction(task.shape, dtype, gpu_);
  // What the stopping rule would spend on a real device (the formula `plan` estimates with),
  // so that a simulated run takes what plan predicts. Capped: a huge factor would overflow
  // sleep_for's nanoseconds and not sleep at all.
  constexpr double kMaxSleepS = 1e6;
  if (simulate_factor_ > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(
        std::min(sampled_wall_seconds(b.total_s, timing) * simulate_factor_, kMaxSleepS)));

  m.samples = 1;
  m.time_s = m.time_min_s = m.time_mean_s = b.total_s;
  m.time_std_s = 0;
  m.rel_ci = 0;
  m.converged = true;  // a prediction has no spread: rel_ci 0 meets any max_rel_ci
  m.stop_reason = "converged";
  m.compute_dtype = std::string(to_string(compute_dtype_on(dtype, gpu_)));
  m.algo = fmt::format(
      "model:{} tile {}x{}, {} tiles in {} waves{}, align {} B; compute {:.3g} s, memory {:.3g} s",
      gpu_.name, b.tile_m, b.tile_n, b.tiles, b.waves,
      b.split_k > 1 ? fmt::format(", split-K {}", b.split_k) : std::string(), b.alignment_bytes,
      b.compute_s, b.memory_s);
  return m;
}

}  // namespace gs
