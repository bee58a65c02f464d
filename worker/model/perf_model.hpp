#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/task.hpp"
#include "jobs/timing_settings.hpp"
#include "worker/model/gpu_spec.hpp"

namespace gs {

const std::vector<GpuSpec>& known_gpus();
// Case-insensitive lookup; nullptr when unknown.
const GpuSpec* find_gpu(std::string_view name);
// "V100, A100, H100, H200, MI250X", for error messages.
std::string known_gpu_names();

// Peak TFLOP/s the model uses for a dtype on that GPU, after the fallbacks above.
double peak_tflops_for(DType dtype, const GpuSpec& gpu);
// Which dtype the GPU really computes a request in ("fp32" for tf32 on a V100).
DType compute_dtype_on(DType requested, const GpuSpec& gpu);
// Why the GPU cannot run the dtype at all (fp8 before Hopper, bf16 on V100); empty when it can.
std::string unsupported_reason(DType dtype, const GpuSpec& gpu);

// Every term of one prediction, for docs, tests and the model backend's `algo` note.
struct ModelBreakdown {
  int tile_m = 0;  // the output tile the model's heuristic chose (rows of C x columns of C)
  int tile_n = 0;
  int ctas_per_sm = 0;
  int split_k = 1;        // slices the reduction was cut into (split-K), 1 = none
  bool stream_k = false;  // the partial last wave spread over every SM (stream-K)
  std::int64_t tiles = 0;
  std::int64_t waves = 0;
  std::int64_t padded_reduction = 0;  // n rounded up to the MMA depth
  int alignment_bytes = 0;            // largest power of two dividing the leading dims, in bytes
  double alignment_compute_factor = 1;
  double alignment_memory_factor = 1;
  double peak_tflops = 0;
  double compute_s = 0;  // waves x time of one tile (main loop + fixed per-tile cost)
  double memory_s = 0;   // unique bytes over the effective bandwidth
  double launch_s = 0;
  double total_s = 0;
};
ModelBreakdown explain_prediction(const GemmShape& shape, DType dtype, const GpuSpec& gpu);

// Predicted seconds for one call of the task's GEMM on that GPU: tile and wave quantization,
// roofline, alignment and small-reduction penalties (worker/model/perf_model.cpp documents each
// term).
double predict_seconds(const Task& task, const GpuSpec& gpu);

// Wall time the stopping rule is expected to spend on the task (for plan's GPU-hours and the
// scheduler's cost order): warm-up plus min_samples calls, as a steady GPU converges there, cut
// by max_seconds_per_point (the sampler always finishes the call under way, so at least one call).
double predicted_task_wall_seconds(const Task& task, const TimingSettings& timing,
                                   const GpuSpec& gpu);

}  // namespace gs
