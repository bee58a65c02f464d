#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "jobs/task.hpp"

namespace gs {

// Datasheet figures of a GPU (DESIGN.md section 1) that the analytic model works from.
struct GpuSpec {
  std::string name;        // "A100", "H100", "H200", "V100", "MI250X"
  double peak_tflops = 0;  // dense fp16/bf16 tensor-core TFLOP/s
  int sm_count = 0;
  double bandwidth_tbs = 0;  // HBM TB/s
  double memory_gib = 0;
};

const std::vector<GpuSpec>& known_gpus();
// Case-insensitive lookup; nullptr when unknown.
const GpuSpec* find_gpu(std::string_view name);

// Predicted seconds for one call of the task's GEMM on that GPU: tile and wave quantization,
// roofline, alignment and small-reduction penalties (worker/perf_model.cpp documents each term).
double predict_seconds(const Task& task, const GpuSpec& gpu);

}  // namespace gs
