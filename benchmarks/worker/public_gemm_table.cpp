// Prints the model against public measurements of large GEMMs (tests/worker/data/
// public_gemm_measurements.csv, sources in its header), for docs/model.md. A table, not a test.
// Usage: public_gemm_table [CSV] [GPU_SPEC.toml ...]: a spec file given replaces the built-in
// GPU of its name, so that a fitted or edited spec can be held against the same rows.
#include <fmt/format.h>

#include <cmath>
#include <exception>
#include <map>
#include <string>

#include "worker/model/gpu_spec_document.hpp"
#include "worker/model/perf_model.hpp"
#include "worker/model/public_measurements.hpp"

int main(int argc, char** argv) try {
  const std::string path =
      argc > 1 ? argv[1] : GEMMSWEEP_SOURCE_DIR "/tests/worker/data/public_gemm_measurements.csv";
  std::map<std::string, gs::GpuSpec> replaced;
  for (int i = 2; i < argc; ++i) {
    gs::GpuSpec spec = gs::read_gpu_spec_file(argv[i]).gpu;
    replaced[spec.name] = std::move(spec);
  }
  fmt::print(
      "| GPU | dtype | m x n x k (output m x n, reduction k) | source | measured | model | error "
      "| tile, tiles, waves, split or stream-K | compute, memory us |\n| --- | --- | --- | --- | "
      "---: | ---: | ---: | --- | --- |\n");
  std::map<std::string, std::pair<int, double>> squares;  // per GPU: rows, sum of squared errors
  for (const gs::PublicMeasurement& r : gs::read_public_measurements_csv(path)) {
    const auto found = replaced.find(r.gpu);
    const gs::GpuSpec* spec = found != replaced.end() ? &found->second : gs::find_gpu(r.gpu);
    if (!spec) continue;
    const gs::ModelBreakdown b = gs::explain_prediction(r.shape, r.dtype, *spec);
    const double predicted = r.shape.flops() / b.total_s / 1e12;
    const double error = predicted / r.tflops - 1;
    squares[r.gpu].first += 1;
    squares[r.gpu].second += error * error;
    // The source's m x n x k is our m x k x n (k our output columns, n the reduction).
    fmt::print(
        "| {} | {} | {}x{}x{} | {} | {:.1f} | {:.1f} | {:+.1f}% | {}x{}, {}, {}, {} | {:.0f}, "
        "{:.0f} |\n",
        r.gpu, gs::to_string(r.dtype), r.shape.m, r.shape.k, r.shape.n, r.source, r.tflops,
        predicted, 100 * error, b.tile_m, b.tile_n, b.tiles, b.waves,
        b.stream_k ? std::string("stream-K") : fmt::format("split {}", b.split_k),
        b.compute_s * 1e6, b.memory_s * 1e6);
  }
  for (const auto& [gpu, s] : squares)
    fmt::print("{}: {} row(s), rms error {:.1f}%\n", gpu, s.first,
               100 * std::sqrt(s.second / s.first));
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "{}\n", e.what());
  return 1;
}
