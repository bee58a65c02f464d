#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "worker/timing_stats.hpp"

namespace gs {
namespace {

// P(lower <= B <= upper - 1) for B ~ Binomial(n, 1/2), by direct summation.
double coverage(int n, int lower, int upper) {
  double p = 0;
  for (int i = lower; i <= upper - 1; ++i)
    p += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                  n * std::log(2.0));
  return p;
}

TEST(MedianCiRanks, UnboundedBelowSixSamples) {
  for (int n = 0; n < 6; ++n) EXPECT_FALSE(median_ci_ranks(n).bounded()) << n;
  const OrderStatisticRanks six = median_ci_ranks(6);
  EXPECT_EQ(six.lower, 1);
  EXPECT_EQ(six.upper, 6);
}

TEST(MedianCiRanks, MatchesTabulatedValues) {
  // Standard tables of the distribution-free median interval at 95%.
  EXPECT_EQ(median_ci_ranks(10).lower, 2);
  EXPECT_EQ(median_ci_ranks(10).upper, 9);
  EXPECT_EQ(median_ci_ranks(20).lower, 6);
  EXPECT_EQ(median_ci_ranks(20).upper, 15);
  EXPECT_EQ(median_ci_ranks(100).lower, 40);
  EXPECT_EQ(median_ci_ranks(100).upper, 61);
}

TEST(MedianCiRanks, NarrowestIntervalWithAtLeastNinetyFivePercentCoverage) {
  for (int n = 6; n <= 400; n += 7) {
    const OrderStatisticRanks r = median_ci_ranks(n);
    ASSERT_TRUE(r.bounded()) << n;
    EXPECT_EQ(r.lower + r.upper, n + 1) << n;
    EXPECT_GE(coverage(n, r.lower, r.upper), 0.95) << n;
    EXPECT_LT(coverage(n, r.lower + 1, r.upper - 1), 0.95) << n;
  }
}

TEST(MedianCiRanks, LargeCountsStayFiniteAndNearTheNormalApproximation) {
  const OrderStatisticRanks r = median_ci_ranks(10000);
  ASSERT_TRUE(r.bounded());
  EXPECT_NEAR(r.lower, 5000 - 1.96 * 50, 2);
}

TEST(Summarize, BasicStatisticsOfAnOddCount) {
  const std::vector<double> x{5, 1, 4, 2, 3};
  const SampleSummary s = summarize(x);
  EXPECT_EQ(s.samples, 5);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(2.5));
  EXPECT_TRUE(std::isinf(s.rel_ci)) << "five samples cannot bound the median at 95%";
}

TEST(Summarize, IntervalFromOrderStatistics) {
  std::vector<double> x(20);
  std::iota(x.begin(), x.end(), 1.0);
  std::reverse(x.begin(), x.end());
  const SampleSummary s = summarize(x);
  EXPECT_DOUBLE_EQ(s.median, 10.5);
  EXPECT_DOUBLE_EQ(s.ci_low, 6);
  EXPECT_DOUBLE_EQ(s.ci_high, 15);
  EXPECT_DOUBLE_EQ(s.rel_ci, 4.5 / 10.5);
}

TEST(Summarize, SkewedSamplesUseTheWiderSide) {
  // Nine fast samples and a slow tail: the interval's upper side is the wider one.
  std::vector<double> x{1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.5, 3.0};
  const SampleSummary s = summarize(x);
  EXPECT_DOUBLE_EQ(s.median, 1.0);
  EXPECT_DOUBLE_EQ(s.ci_low, 1.0);   // x_(2)
  EXPECT_DOUBLE_EQ(s.ci_high, 1.5);  // x_(9)
  EXPECT_DOUBLE_EQ(s.rel_ci, 0.5);
}

TEST(Summarize, ConstantSamplesHaveZeroSpread) {
  const std::vector<double> x(12, 2e-3);
  const SampleSummary s = summarize(x);
  EXPECT_DOUBLE_EQ(s.median, 2e-3);
  EXPECT_NEAR(s.stddev, 0, 1e-15);
  EXPECT_DOUBLE_EQ(s.rel_ci, 0);
}

TEST(Summarize, EmptyAndSingle) {
  EXPECT_EQ(summarize(std::vector<double>{}).samples, 0);
  const SampleSummary one = summarize(std::vector<double>{4.0});
  EXPECT_DOUBLE_EQ(one.median, 4.0);
  EXPECT_DOUBLE_EQ(one.stddev, 0);
  EXPECT_TRUE(std::isinf(one.rel_ci));
}

}  // namespace
}  // namespace gs
