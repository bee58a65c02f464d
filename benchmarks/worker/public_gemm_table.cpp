// Prints the model against public measurements of large bf16 GEMMs (the best shapes of a
// GEMM-maximum search, tests/worker/data/public_gemm_max_bf16.csv, sources in its header), for
// docs/model.md. A table, not a test.
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "worker/model/perf_model.hpp"

int main(int argc, char** argv) {
  const std::string path =
      argc > 1 ? argv[1] : GEMMSWEEP_SOURCE_DIR "/tests/worker/data/public_gemm_max_bf16.csv";
  std::ifstream in(path);
  if (!in) {
    fmt::print(stderr, "{}: cannot open\n", path);
    return 1;
  }
  fmt::print(
      "| GPU | m x n x k (output m x n, reduction k) | software | measured | model | error "
      "| tile, tiles, waves | compute, memory us |\n| --- | --- | --- | ---: | ---: | ---: "
      "| --- | --- |\n");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("gpu,", 0) == 0) continue;
    std::istringstream fields(line);
    std::string gpu, m, n, k, tflops, software;
    std::getline(fields, gpu, ',');
    std::getline(fields, m, ',');
    std::getline(fields, n, ',');
    std::getline(fields, k, ',');
    std::getline(fields, tflops, ',');
    std::getline(fields, software, ',');
    const gs::GpuSpec* spec = gs::find_gpu(gpu);
    if (!spec) continue;
    // Our GemmShape: C[m][k] = A[m][n] B[n][k], n the reduction.
    const gs::GemmShape shape{1, std::stoll(m), std::stoll(k), std::stoll(n)};
    const gs::ModelBreakdown b = gs::explain_prediction(shape, gs::DType::bf16, *spec);
    const double predicted = shape.flops() / b.total_s / 1e12, measured = std::stod(tflops);
    fmt::print(
        "| {} | {}x{}x{} | {} | {:.1f} | {:.1f} | {:+.1f}% | {}x{}, {}, {} | {:.0f}, {:.0f} |\n",
        gpu, m, n, k, software, measured, predicted, 100 * (predicted / measured - 1), b.tile_m,
        b.tile_n, b.tiles, b.waves, b.compute_s * 1e6, b.memory_s * 1e6);
  }
  return 0;
}
