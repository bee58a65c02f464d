// Times `gemmsweep fit`'s work on 10,000 rows on one core: the fit itself, then the 5-fold and
// leave-one-class-out refits. A timing, not a test: its numbers go to docs/performance.md.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <random>

#include "fit/gpu_fit.hpp"
#include "worker/model/perf_model.hpp"

namespace {

// QK^T and plain GEMMs over head dimensions 1..1024 and several sequence lengths, timed by the
// model with perturbed terms and 2% noise: 10,000 rows of four alignment classes.
std::vector<gs::FitObservation> rows_to_fit(const gs::GpuSpec& truth, std::size_t count) {
  std::vector<gs::FitObservation> rows;
  std::mt19937 random(11);
  std::normal_distribution<double> noise(0.0, 0.02);
  const std::int64_t seqs[] = {512, 1024, 2048, 4096, 8192};
  for (std::int64_t i = 0; rows.size() < count; ++i) {
    const std::int64_t d = 1 + i % 1024, s = seqs[(i / 1024) % 5];
    gs::FitObservation o;
    o.task.op = (i / 5120) % 2 ? gs::Op::gemm : gs::Op::attention_score;
    o.task.point.dtype = gs::DType::fp16;
    o.task.shape = gs::GemmShape{4 * 32, s, d, s};
    o.hidden_size = 32 * d;
    o.measured_s = gs::predict_seconds(o.task, truth) * std::exp(noise(random));
    o.alignment_class = gs::alignment_class_of(o.task.shape, gs::DType::fp16, truth.terms);
    rows.push_back(o);
  }
  return rows;
}

}  // namespace

int main() {
  gs::GpuSpec truth = *gs::find_gpu("A100");
  truth.terms.compute_efficiency = 0.82;
  truth.terms.tile_overhead_s = 0.8e-6;
  truth.terms.alignment[2].memory = 0.5;
  const auto rows = rows_to_fit(truth, 10000);
  const auto start = std::chrono::steady_clock::now();
  const gs::GpuFit fit = gs::fit_gpu(rows, *gs::find_gpu("A100"), *gs::find_gpu("A100"));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const gs::DtypeFit& d = fit.dtypes.at(0);
  fmt::print(
      "fit of {} rows (fit + 5-fold + leave-one-class-out): {:.2f} s; {} iterations of "
      "the full fit; compute_efficiency {:.4f} (truth 0.82)\n",
      rows.size(), seconds, d.fit.iterations, d.fit.terms.compute_efficiency);
  for (const gs::FitErrorFigure& e : fit.errors)
    fmt::print("  {} {} {}: median {:.2f}%, p90 {:.2f}%\n", e.method, e.op, e.points,
               e.median * 100, e.p90 * 100);
  return 0;
}
