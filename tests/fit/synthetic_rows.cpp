#include "synthetic_rows.hpp"

#include <cmath>
#include <random>
#include <utility>

#include "worker/model/perf_model.hpp"
#include "worker/model/seed_chart.hpp"

namespace gs::test {
namespace {

FitObservation observed(const Task& task, std::int64_t hidden_size, const GpuSpec& truth) {
  FitObservation o;
  o.task = task;
  o.hidden_size = hidden_size;
  o.measured_s = predict_seconds(task, truth);
  o.alignment_class = alignment_class_of(task.shape, task.point.dtype, truth.terms);
  return o;
}

}  // namespace

ModelTerms perturbed_terms() {
  ModelTerms t;
  t.compute_efficiency = 0.82;
  t.bandwidth_efficiency = 0.78;
  t.tile_overhead_s = 0.8e-6;
  t.launch_s = 4.5e-6;
  t.memory_overlap_per_byte = 1.5e-4;
  t.alignment[1] = {16, 0.93, 0.7};
  t.alignment[2] = {4, 0.66, 0.5};
  t.alignment[3] = {1, 0.45, 0.33};
  return t;
}

std::vector<FitObservation> seed_grid_rows(const GpuSpec& truth, int first, int step) {
  std::vector<FitObservation> rows;
  for (int d = first; d <= 1024; d += step)
    rows.push_back(observed(seed_chart_task(d), kSeedHeads * d, truth));
  return rows;
}

std::vector<FitObservation> seed_grid_quarter(const GpuSpec& truth) {
  std::vector<FitObservation> rows;
  for (int i = 0; 4 * i + 1 + i % 4 <= 1024; ++i) {
    const int d = 4 * i + 1 + i % 4;
    rows.push_back(observed(seed_chart_task(d), kSeedHeads * d, truth));
  }
  return rows;
}

std::vector<FitObservation> partial_wave_rows(const GpuSpec& truth) {
  std::vector<FitObservation> rows;
  for (const auto& [m, k] : {std::pair<std::int64_t, std::int64_t>{1280, 4096}, {1024, 9216}})
    for (std::int64_t n = 1024; n <= 16384; n *= 2) {
      Task t;
      t.op = Op::gemm;
      t.point.dtype = DType::fp16;
      t.shape = GemmShape{1, m, n, k};
      rows.push_back(observed(t, m, truth));
    }
  return rows;
}

std::vector<FitObservation> synthetic_rows(const GpuSpec& truth, int head_dim_step, double noise,
                                           unsigned seed) {
  std::vector<FitObservation> rows = seed_grid_rows(truth, 1, head_dim_step);
  for (std::int64_t m : {128, 256, 512, 1024, 2048})
    for (std::int64_t n : {31, 64, 96, 127, 128, 512, 1000, 4096, 16384})
      for (std::int64_t k : {256, 1024, 4096}) {
        Task t;
        t.op = Op::gemm;
        t.point.dtype = DType::fp16;
        t.shape = GemmShape{1, m, n, k};
        rows.push_back(observed(t, m, truth));
      }
  std::mt19937 random(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (FitObservation& o : rows) o.measured_s *= std::exp(noise * normal(random));
  return rows;
}

}  // namespace gs::test
