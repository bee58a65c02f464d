#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "worker/sampler.hpp"

namespace gs {
namespace {

// A deterministic sample stream on a fake clock: each sample advances the clock by its own time
// plus a fixed overhead, as a real timed call would.
struct FakeDevice {
  std::vector<double> times;  // cycled
  double overhead = 0;
  double clock = 100.0;
  std::size_t next = 0;
  int calls = 0;

  SampleSource source() {
    return [this] {
      const double t = times[next++ % times.size()];
      clock += t + overhead;
      ++calls;
      return t;
    };
  }
  SecondsClock now() {
    return [this] { return clock; };
  }
};

TimingSettings settings(int warmup, int min_samples, int max_samples, double rel, double seconds) {
  TimingSettings t;
  t.warmup = warmup;
  t.min_samples = min_samples;
  t.max_samples = max_samples;
  t.max_rel_ci = rel;
  t.max_seconds_per_point = seconds;
  return t;
}

TEST(Sampler, ConstantStreamConvergesAtMinSamples) {
  FakeDevice dev{{1e-3}};
  const SamplingResult r =
      sample_until_stable(settings(5, 10, 200, 0.02, 2.0), dev.source(), dev.now());
  EXPECT_TRUE(r.converged());
  EXPECT_EQ(r.warmups, 5);
  EXPECT_EQ(r.summary.samples, 10);
  EXPECT_EQ(dev.calls, 15);
  EXPECT_DOUBLE_EQ(r.summary.median, 1e-3);
}

TEST(Sampler, WarmupSamplesAreNotCounted) {
  FakeDevice dev{{9.0, 9.0, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3}};
  const SamplingResult r =
      sample_until_stable(settings(2, 10, 200, 0.02, 100.0), dev.source(), dev.now());
  EXPECT_TRUE(r.converged());
  EXPECT_DOUBLE_EQ(r.summary.max, 1e-3);
  EXPECT_EQ(r.times.size(), 10u);
}

TEST(Sampler, NeedsSixSamplesToBoundTheMedian) {
  FakeDevice dev{{1e-3}};
  const SamplingResult r =
      sample_until_stable(settings(0, 2, 200, 0.02, 2.0), dev.source(), dev.now());
  EXPECT_TRUE(r.converged());
  EXPECT_EQ(r.summary.samples, 6);
}

TEST(Sampler, NoisyStreamStopsAtMaxSamples) {
  FakeDevice dev{{1e-3, 2e-3}};
  const SamplingResult r =
      sample_until_stable(settings(1, 10, 50, 0.02, 100.0), dev.source(), dev.now());
  EXPECT_FALSE(r.converged());
  EXPECT_EQ(r.stop, StopReason::max_samples);
  EXPECT_EQ(r.summary.samples, 50);
  EXPECT_GT(r.summary.rel_ci, 0.02);
}

TEST(Sampler, TimeLimitBeatsMinSamples) {
  FakeDevice dev{{0.5}};
  const SamplingResult r =
      sample_until_stable(settings(0, 10, 200, 0.02, 2.0), dev.source(), dev.now());
  EXPECT_EQ(r.stop, StopReason::time_limit);
  EXPECT_EQ(r.summary.samples, 4);
}

TEST(Sampler, TimeLimitCutsWarmupButKeepsOneTimedSample) {
  FakeDevice dev{{1.0}};
  const SamplingResult r =
      sample_until_stable(settings(10, 10, 200, 0.02, 2.0), dev.source(), dev.now());
  EXPECT_EQ(r.warmups, 2);
  EXPECT_EQ(r.summary.samples, 1);
  EXPECT_EQ(r.stop, StopReason::time_limit);
}

TEST(Sampler, OverheadOfTheCallCountsAgainstTheTimeLimit) {
  FakeDevice dev{{0.1}, 0.4};
  const SamplingResult r =
      sample_until_stable(settings(0, 10, 200, 0.02, 2.0), dev.source(), dev.now());
  EXPECT_EQ(r.summary.samples, 4);
}

TEST(Sampler, StopsAtTheFirstSampleCountWhoseIntervalIsNarrowEnough) {
  // Deterministic log-normal-ish jitter around 1 ms with a slow outlier now and then.
  std::vector<double> stream;
  std::uint64_t state = 12345;
  for (int i = 0; i < 400; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const double u = static_cast<double>(state >> 11) * 0x1.0p-53;
    stream.push_back(1e-3 * (1.0 + 0.08 * (u - 0.5)) * (i % 17 == 0 ? 1.5 : 1.0));
  }
  FakeDevice dev{stream};
  const TimingSettings t = settings(0, 10, 400, 0.01, 100.0);
  const SamplingResult r = sample_until_stable(t, dev.source(), dev.now());
  ASSERT_TRUE(r.converged());
  const int n = r.summary.samples;
  EXPECT_GT(n, 10);
  EXPECT_LT(n, 400);
  EXPECT_LE(r.summary.rel_ci, 0.01);
  const SampleSummary before = summarize(std::span<const double>(stream).first(n - 1));
  EXPECT_GT(before.rel_ci, 0.01) << "the rule should have stopped one sample earlier";
  EXPECT_EQ(std::vector<double>(stream.begin(), stream.begin() + n), r.times);
}

// `plan` and the Slurm time limit are sized with sampled_wall_seconds(): it must be the time
// this sampler really spends when the rule converges at min_samples, for calls from far under
// the time limit to far over it.
TEST(Sampler, WallTimeIsWhatPlanPredicts) {
  for (const int warmup : {0, 1, 5}) {
    for (const double call : {1e-4, 0.05, 0.19, 0.3, 0.7, 2.0, 5.0}) {
      SCOPED_TRACE(::testing::Message() << "warmup " << warmup << ", call " << call << " s");
      FakeDevice dev{{call}};
      const TimingSettings t = settings(warmup, 10, 200, 0.02, 2.0);
      sample_until_stable(t, dev.source(), dev.now());
      EXPECT_NEAR(dev.clock - 100.0, sampled_wall_seconds(call, t), 1e-9);
    }
  }
}

TEST(FillMeasurement, CopiesStatisticsAndNotesALimit) {
  FakeDevice dev{{1e-3, 2e-3}};
  const TimingSettings t = settings(0, 10, 20, 0.02, 100.0);
  const SamplingResult r = sample_until_stable(t, dev.source(), dev.now());
  Measurement m;
  m.message = "calls batched x4 per sample";
  fill_measurement(r, t, m);
  EXPECT_EQ(m.samples, 20);
  EXPECT_DOUBLE_EQ(m.time_s, 1.5e-3);
  EXPECT_DOUBLE_EQ(m.time_min_s, 1e-3);
  EXPECT_DOUBLE_EQ(m.time_mean_s, 1.5e-3);
  EXPECT_GT(m.time_std_s, 0);
  EXPECT_FALSE(m.converged);
  EXPECT_NE(m.message.find("calls batched x4"), std::string::npos);
  EXPECT_NE(m.message.find("not converged: max_samples"), std::string::npos) << m.message;
  EXPECT_EQ(m.stop_reason, "max_samples");  // a column of its own, not only the message's text
}

TEST(FillMeasurement, ConvergedLeavesTheMessageAlone) {
  FakeDevice dev{{1e-3}};
  const TimingSettings t = settings(0, 10, 20, 0.02, 100.0);
  Measurement m;
  fill_measurement(sample_until_stable(t, dev.source(), dev.now()), t, m);
  EXPECT_TRUE(m.converged);
  EXPECT_TRUE(m.message.empty());
  EXPECT_DOUBLE_EQ(m.rel_ci, 0);
  EXPECT_EQ(m.stop_reason, "converged");
}

}  // namespace
}  // namespace gs
