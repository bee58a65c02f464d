// The model against what was measured by others: the best shapes of public GEMM-maximum
// searches (tests/worker/data/public_gemm_max_bf16.csv, sources in its header), and Fig. 7b's
// saw-tooth (arXiv:2401.14489: attention over value drops right after h/a = 256, 512, 768).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "worker/model/perf_model.hpp"

namespace gs {
namespace {

double tflops(const GemmShape& s, const GpuSpec& g) {
  return s.flops() / explain_prediction(s, DType::fp16, g).total_s / 1e12;
}

TEST(PublicMeasurements, LargeBf16GemmsWithinTenPercentOfTheGemmMaximumSearches) {
  const auto path =
      std::filesystem::path(GEMMSWEEP_SOURCE_DIR) / "tests/worker/data/public_gemm_max_bf16.csv";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("gpu,", 0) == 0) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    std::string gpu;
    std::int64_t m = 0, n = 0, k = 0;
    double measured = 0;
    ASSERT_TRUE(fields >> gpu >> m >> n >> k >> measured) << line;
    ++rows;
    Task t;
    t.point.dtype = DType::bf16;
    // The source's m x n x k: output m x n, reduction k; ours: C[m][k] = A[m][n] B[n][k].
    t.shape = GemmShape{1, m, k, n};
    const double predicted = t.flops() / predict_seconds(t, *find_gpu(gpu)) / 1e12;
    EXPECT_GT(predicted, 0.90 * measured) << line;
    EXPECT_LT(predicted, 1.05 * measured) << line;
  }
  EXPECT_EQ(rows, 5);
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
