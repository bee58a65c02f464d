// The fit against the two references it must hold: the paper's Fig. 7a readings (A100) and the
// H100 model's seed grid fitted from the A100's terms (docs/model.md, "gemmsweep fit").
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>

#include "fit/fit_input.hpp"
#include "fit/gpu_fit.hpp"
#include "synthetic_rows.hpp"
#include "worker/model/perf_model.hpp"
#include "worker/model/seed_chart.hpp"

namespace gs {
namespace {

const std::string kReadings = (std::filesystem::path(GEMMSWEEP_SOURCE_DIR) / "tests/worker/data" /
                               "fig7a_attention_score_a32_a100.csv")
                                  .string();

struct Errors {
  double largest = 0, rms = 0;
  int within_25 = 0;
};

Errors errors_of(const std::vector<FitObservation>& rows, const GpuSpec& gpu) {
  Errors e;
  for (const FitObservation& o : rows) {
    const double err = o.measured_s / predicted_seconds(o, gpu) - 1;  // TFLOP/s error
    e.largest = std::max(e.largest, std::abs(err));
    e.rms += err * err;
    e.within_25 += std::abs(err) < 0.25;
  }
  e.rms = std::sqrt(e.rms / static_cast<double>(rows.size()));
  return e;
}

double median_error(const std::vector<FitObservation>& rows, const GpuSpec& gpu) {
  std::vector<double> errors;
  for (const FitObservation& o : rows)
    errors.push_back(std::abs(predicted_seconds(o, gpu) / o.measured_s - 1));
  std::nth_element(errors.begin(), errors.begin() + errors.size() / 2, errors.end());
  return errors[errors.size() / 2];
}

TEST(FitReference, PaperReadingsCalibrateTheA100BetterThanTheHandFitOverall) {
  ASSERT_TRUE(std::filesystem::exists(kReadings)) << kReadings;
  const FitInput input = read_fit_input(kReadings, "A100");
  ASSERT_EQ(input.rows.size(), 40u);
  const GpuFit fit = fit_gpu(input.rows, input.hardware, input.base);
  const Errors hand = errors_of(input.rows, *find_gpu("A100"));
  const Errors fitted = errors_of(input.rows, fit.spec);
  EXPECT_EQ(hand.within_25, 40);
  EXPECT_LT(fitted.rms, hand.rms);
  // The one reading past 25% is class 1 at h = 4096, which docs/model.md names as steeper than
  // any saturating curve: the robust loss gives it up rather than bend the other 39.
  EXPECT_GE(fitted.within_25, 39);
  EXPECT_LT(fitted.largest, 0.30);
}

// The readings' acceptance as the fit's bound (--bound 0.25): every reading within 25%, as the
// hand fit, with a lower rms than the hand fit's and the paper's class order from h = 8192 on.
TEST(FitReference, PaperReadingsWithinTheirBoundAtLeastAsWellAsTheHandFit) {
  const FitInput input = read_fit_input(kReadings, "A100");
  GpuFitSettings settings;
  settings.robust.error_bound = 0.25;
  const GpuFit fit = fit_gpu(input.rows, input.hardware, input.base, settings);
  const Errors hand = errors_of(input.rows, *find_gpu("A100"));
  const Errors fitted = errors_of(input.rows, fit.spec);
  EXPECT_EQ(fitted.within_25, 40);
  EXPECT_LT(fitted.rms, hand.rms);
  std::map<std::int64_t, std::map<int, double>> by_h;  // h -> class -> predicted TFLOP/s
  for (const SeedChartReading& r : read_seed_chart_csv(kReadings))
    if (r.hidden_size >= 8192)
      by_h[r.hidden_size][r.pow2_class] =
          predicted_seed_chart_tflops(r.pow2_class, r.hidden_size, fit.spec);
  ASSERT_EQ(by_h.size(), 5u);
  for (auto& [h, tflops] : by_h) {
    const auto lowest = [&](std::initializer_list<int> classes) {
      double v = HUGE_VAL;
      for (int c : classes)
        if (tflops.count(c)) v = std::min(v, tflops[c]);
      return v;
    };
    const auto highest = [&](std::initializer_list<int> classes) {
      double v = -HUGE_VAL;
      for (int c : classes)
        if (tflops.count(c)) v = std::max(v, tflops[c]);
      return v;
    };
    EXPECT_LT(highest({1}), lowest({2, 4})) << "h " << h;
    EXPECT_LT(highest({2, 4}), lowest({8})) << "h " << h;
    EXPECT_LT(highest({8}), lowest({16, 32, 64})) << "h " << h;
  }
}

// Stream-K is fitted as a discrete term: rows measured with it (or without) give it back from a
// spec that says the opposite, and rows that cannot tell keep the spec's.
TEST(FitReference, StreamKIsKeptOrDroppedByTheRowsThatCanTellIt) {
  GpuSpec truth = *find_gpu("H100");
  truth.terms = test::perturbed_terms();
  std::vector<FitObservation> rows = test::synthetic_rows(truth, 16, 0.01);
  const std::vector<FitObservation> partial = test::partial_wave_rows(truth);
  rows.insert(rows.end(), partial.begin(), partial.end());
  GpuSpec told_without = truth;
  told_without.stream_k = false;
  const GpuFit streamed = fit_gpu(rows, told_without, *find_gpu("H100"));
  EXPECT_TRUE(streamed.spec.stream_k);
  EXPECT_TRUE(std::any_of(streamed.notes.begin(), streamed.notes.end(), [](const std::string& n) {
    return n.rfind("stream_k = true: fitted both ways", 0) == 0;
  }));

  truth.stream_k = false;
  std::vector<FitObservation> whole_waves = test::synthetic_rows(truth, 16, 0.01);
  const std::vector<FitObservation> partial_whole = test::partial_wave_rows(truth);
  whole_waves.insert(whole_waves.end(), partial_whole.begin(), partial_whole.end());
  GpuSpec told_with = truth;
  told_with.stream_k = true;
  EXPECT_FALSE(fit_gpu(whole_waves, told_with, *find_gpu("H100")).spec.stream_k);

  // The seed chart's QK^T are 150 waves: a schedule of the last one cannot move them.
  const FitInput readings = read_fit_input(kReadings, "A100");
  GpuSpec a100 = readings.hardware;
  a100.stream_k = true;
  EXPECT_TRUE(fit_gpu(readings.rows, a100, readings.base).spec.stream_k);
}

TEST(FitReference, H100SeedGridFromAQuarterOfItsPointsStartingFromTheA100) {
  const GpuSpec& h100 = *find_gpu("H100");
  const auto quarter = test::seed_grid_quarter(h100);
  ASSERT_EQ(quarter.size(), 256u);
  const GpuFit fit = fit_gpu(quarter, h100, *find_gpu("A100"));
  GpuSpec unfitted = h100;  // the A100's terms on H100 hardware: where the fit starts
  unfitted.terms = find_gpu("A100")->terms;
  const auto grid = test::seed_grid_rows(h100, 1, 1);
  EXPECT_LT(median_error(grid, fit.spec), 0.05);
  EXPECT_LT(median_error(grid, fit.spec), 0.5 * median_error(grid, unfitted));
}

}  // namespace
}  // namespace gs
