// The model reproduces the seed chart (Fig. 7a of arXiv:2401.14489) on the A100: every reading
// within 25%, and the classes in the paper's order from h = 8192 on. The readings are a copy of
// ../shared/reference/fig7a_attention_score_a32_a100.csv kept with the tests.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "worker/model/seed_chart.hpp"

namespace gs {
namespace {

const char* kReadings =
    GEMMSWEEP_SOURCE_DIR "/tests/worker/data/fig7a_attention_score_a32_a100.csv";

std::vector<SeedChartReading> readings() { return read_seed_chart_csv(kReadings); }

TEST(ModelCalibration, ReadingsArePresent) {
  const auto rows = readings();  // throws, and so fails, when the file is missing
  EXPECT_EQ(rows.size(), 40u);
}

TEST(ModelCalibration, EveryReadingWithin25Percent) {
  const GpuSpec& a100 = *find_gpu("A100");
  for (const SeedChartReading& r : readings()) {
    const double predicted = predicted_seed_chart_tflops(r.pow2_class, r.hidden_size, a100);
    EXPECT_LE(std::fabs(predicted - r.tflops), 0.25 * r.tflops)
        << "class " << r.pow2_class << " h " << r.hidden_size << ": read " << r.tflops
        << ", predicted " << predicted;
  }
}

TEST(ModelCalibration, ClassesKeepThePapersOrderFrom8192On) {
  const GpuSpec& a100 = *find_gpu("A100");
  std::map<std::int64_t, std::map<int, double>> by_h;
  for (const SeedChartReading& r : readings())
    if (r.hidden_size >= 8192)
      by_h[r.hidden_size][r.pow2_class] =
          predicted_seed_chart_tflops(r.pow2_class, r.hidden_size, a100);
  ASSERT_FALSE(by_h.empty());
  for (auto& [h, c] : by_h) {
    // 1 < 2,4 < 8 < 16,32,64 wherever the chart has those classes at this h.
    auto has = [&c](int k) { return c.count(k) > 0; };
    for (int low : {2, 4})
      if (has(1) && has(low)) {
        EXPECT_LT(c[1], c[low]) << "h " << h;
      }
    for (int mid : {2, 4})
      if (has(mid) && has(8)) {
        EXPECT_LT(c[mid], c[8]) << "h " << h;
      }
    for (int top : {16, 32, 64})
      if (has(8) && has(top)) {
        EXPECT_LT(c[8], c[top]) << "h " << h << " class " << top;
      }
  }
}

TEST(SeedChart, TaskIsTheSeedJobsQkT) {
  const Task t = seed_chart_task(96);
  EXPECT_EQ(t.shape, (GemmShape{128, 2048, 96, 2048}));
  EXPECT_EQ(t.point.hidden_size, 3072);
  EXPECT_EQ(chart_class_of(96), 32);
  EXPECT_EQ(chart_class_of(1024), 64);
  EXPECT_EQ(chart_class_of(63), 1);
}

TEST(SeedChart, ClassLineIsInterpolatedBetweenItsOwnPoints) {
  // h = 4096 is d = 128 (class 64); class 32's line there runs between d = 96 and d = 160.
  const GpuSpec& a100 = *find_gpu("A100");
  auto at = [&](std::int64_t d) {
    const Task t = seed_chart_task(d);
    return t.flops() / predict_seconds(t, a100) / 1e12;
  };
  EXPECT_DOUBLE_EQ(predicted_seed_chart_tflops(64, 4096, a100), at(128));
  EXPECT_DOUBLE_EQ(predicted_seed_chart_tflops(32, 4096, a100), 0.5 * (at(96) + at(160)));
}

TEST(SeedChart, MalformedFileNamesTheLine) {
  EXPECT_THROW(read_seed_chart_csv("/nonexistent/fig7a.csv"), std::runtime_error);
}

}  // namespace
}  // namespace gs
