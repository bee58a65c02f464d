// The model against what was measured by others: large GEMMs of public benchmarks
// (tests/worker/data/public_gemm_measurements.csv, sources in its header), and Fig. 7b's
// saw-tooth (arXiv:2401.14489: attention over value drops right after h/a = 256, 512, 768).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "worker/model/perf_model.hpp"
#include "worker/model/public_measurements.hpp"

namespace gs {
namespace {

double tflops(const GemmShape& s, const GpuSpec& g) {
  return s.flops() / explain_prediction(s, DType::fp16, g).total_s / 1e12;
}

std::vector<PublicMeasurement> public_rows() {
  return read_public_measurements_csv(std::filesystem::path(GEMMSWEEP_SOURCE_DIR) /
                                      "tests/worker/data/public_gemm_measurements.csv");
}

double predicted_tflops(const PublicMeasurement& r, const GpuSpec& g) {
  return r.shape.flops() / explain_prediction(r.shape, r.dtype, g).total_s / 1e12;
}

// Every row within 20% and each GPU's rows within 10% rms: the two sources of the H100's
// 4096^3 bf16 disagree by 10%, which no prediction can be closer than.
TEST(PublicMeasurements, LargeGemmsWithinTwentyPercentAndTenPercentRmsPerGpu) {
  const std::vector<PublicMeasurement> rows = public_rows();
  std::map<std::string, std::pair<int, double>> squares;
  for (const PublicMeasurement& r : rows) {
    const GpuSpec* g = find_gpu(r.gpu);
    ASSERT_NE(g, nullptr) << r.gpu;
    const double error = predicted_tflops(r, *g) / r.tflops - 1;
    EXPECT_LT(std::abs(error), 0.20)
        << r.gpu << " " << r.source << " " << r.shape.m << "x" << r.shape.k << "x" << r.shape.n;
    squares[r.gpu].first += 1;
    squares[r.gpu].second += error * error;
  }
  EXPECT_EQ(rows.size(), 16u);
  for (const auto& [gpu, s] : squares) EXPECT_LT(std::sqrt(s.second / s.first), 0.10) << gpu;
}

// The fp8 rows are where Hopper's stream-K shows: 160 and 288 tiles of 256x128 on 132 SMs are
// 1.2 and 2.2 waves; a whole idle last wave made the model 26% and 18% low.
TEST(PublicMeasurements, StreamKBringsTheHopperFp8RowsWithinTenPercent) {
  for (const PublicMeasurement& r : public_rows()) {
    if (r.dtype != DType::fp8) continue;
    GpuSpec data_parallel = *find_gpu(r.gpu);
    ASSERT_TRUE(data_parallel.stream_k) << r.gpu;
    const double with = predicted_tflops(r, data_parallel);
    data_parallel.stream_k = false;
    const double without = predicted_tflops(r, data_parallel);
    EXPECT_LT(without, 0.85 * r.tflops) << r.gpu;
    EXPECT_GT(with, 0.90 * r.tflops) << r.gpu;
    EXPECT_LT(with, 1.05 * r.tflops) << r.gpu;
  }
}

TEST(PublicMeasurements, Fig7bSawToothDropsRightAfterEachTileMultiple) {
  // attention over value: batch b*a, m s, reduction s, k = h/a; b 4, a 32, s 2048; the class-64
  // line's next point after each multiple of 256. On the H100 the drop after 256 is hidden by
  // the 132 SMs' second wave, as it was before the memory-overlap term.
  const struct {
    const char* gpu;
    std::int64_t head_dim;
  } drops[] = {{"A100", 256}, {"A100", 512}, {"A100", 768}, {"H100", 512}, {"H100", 768}};
  for (const auto& c : drops) {
    const GpuSpec& g = *find_gpu(c.gpu);
    const double at = tflops(GemmShape{128, 2048, 2048, c.head_dim}, g);
    const double after = tflops(GemmShape{128, 2048, 2048, c.head_dim + 64}, g);
    EXPECT_LT(after, 0.98 * at) << c.gpu << " h/a " << c.head_dim;
  }
}

}  // namespace
}  // namespace gs
