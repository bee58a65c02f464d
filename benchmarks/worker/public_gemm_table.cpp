// Prints the model against public measurements of large GEMMs (tests/worker/data/
// public_gemm_measurements.csv, sources in its header), for docs/model.md. A table, not a test.
// Usage: public_gemm_table [CSV] [GPU_SPEC.toml ...]: a spec file given replaces the built-in
// GPU of its name, so that a fitted or edited spec can be held against the same rows.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "jobs/dtype.hpp"
#include "worker/model/gpu_spec_document.hpp"
#include "worker/model/perf_model.hpp"

int main(int argc, char** argv) {
  const std::string path =
      argc > 1 ? argv[1] : GEMMSWEEP_SOURCE_DIR "/tests/worker/data/public_gemm_measurements.csv";
  std::map<std::string, gs::GpuSpec> replaced;
  for (int i = 2; i < argc; ++i) {
    gs::GpuSpec spec = gs::read_gpu_spec_file(argv[i]).gpu;
    replaced[spec.name] = std::move(spec);
  }
  std::ifstream in(path);
  if (!in) {
    fmt::print(stderr, "{}: cannot open\n", path);
    return 1;
  }
  fmt::print(
      "| GPU | dtype | m x n x k (output m x n, reduction k) | source | measured | model | error "
      "| tile, tiles, waves, split or stream-K | compute, memory us |\n| --- | --- | --- | --- | "
      "---: | ---: "
      "| ---: | --- | --- |\n");
  std::map<std::string, std::pair<int, double>> squares;  // per GPU: rows, sum of squared errors
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("gpu,", 0) == 0) continue;
    std::istringstream fields(line);
    std::string gpu, m, n, k, dtype, tflops, software, source;
    for (std::string* field : {&gpu, &m, &n, &k, &dtype, &tflops, &software, &source})
      std::getline(fields, *field, ',');
    const auto found = replaced.find(gpu);
    const gs::GpuSpec* spec = found != replaced.end() ? &found->second : gs::find_gpu(gpu);
    const auto type = gs::parse_dtype(dtype);
    if (!spec || !type) continue;
    // Our GemmShape: C[m][k] = A[m][n] B[n][k], n the reduction.
    const gs::GemmShape shape{1, std::stoll(m), std::stoll(k), std::stoll(n)};
    const gs::ModelBreakdown b = gs::explain_prediction(shape, *type, *spec);
    const double predicted = shape.flops() / b.total_s / 1e12, measured = std::stod(tflops);
    const double error = predicted / measured - 1;
    squares[gpu].first += 1;
    squares[gpu].second += error * error;
    fmt::print(
        "| {} | {} | {}x{}x{} | {} | {:.1f} | {:.1f} | {:+.1f}% | {}x{}, {}, {}, {} | {:.0f}, "
        "{:.0f} |\n",
        gpu, dtype, m, n, k, source, measured, predicted, 100 * error, b.tile_m, b.tile_n, b.tiles,
        b.waves, b.stream_k ? std::string("stream-K") : fmt::format("split {}", b.split_k),
        b.compute_s * 1e6, b.memory_s * 1e6);
  }
  for (const auto& [gpu, s] : squares)
    fmt::print("{}: {} row(s), rms error {:.1f}%\n", gpu, s.first,
               100 * std::sqrt(s.second / s.first));
  return 0;
}
