#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "jobs/task.hpp"
#include "worker/model/gpu_spec.hpp"

namespace gs {

// One measured time the fit explains: an `ok` GEMM row of a results file, or one reading of a
// reference chart (../shared/reference/), whose model value is the class's line at its hidden
// size (worker/model/seed_chart.hpp).
struct FitObservation {
  Task task;                // the GEMM; for a reading, the seed task at head_dim = h / 32
  double measured_s = 0;    // seconds per call (for a reading: the task's FLOPs over its TFLOP/s)
  int chart_class = 0;      // > 0: a reading of that pow2_class's line
  int alignment_class = 0;  // index into ModelTerms::alignment: what the fold and LOCO group by
  std::int64_t hidden_size = 0;
};

// The model's seconds for the observation on that GPU.
double predicted_seconds(const FitObservation& o, const GpuSpec& gpu);
// The ModelTerms::alignment index of a GEMM in the model's own alignment rule.
int alignment_class_of(const GemmShape& shape, DType dtype, const ModelTerms& terms);

// The observations of one dtype, in their order.
std::vector<FitObservation> of_dtype(const std::vector<FitObservation>& all, DType dtype);

}  // namespace gs
