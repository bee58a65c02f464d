#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/timing_settings.hpp"
#include "worker/measurement.hpp"
#include "worker/timing_stats.hpp"

namespace gs {

// Seconds on a monotonic clock; injected so that tests drive the stopping rule deterministically.
using SecondsClock = std::function<double()>;
// Runs one sample and returns its time in seconds per GEMM call.
using SampleSource = std::function<double()>;

// std::chrono::steady_clock in seconds.
double steady_seconds();

enum class StopReason { converged, max_samples, time_limit };
std::string_view to_string(StopReason r);

struct SamplingResult {
  SampleSummary summary;
  StopReason stop = StopReason::converged;
  int warmups = 0;            // warm-up samples actually run (the time limit can cut them short)
  std::vector<double> times;  // every timed sample, in the order taken
  bool converged() const { return stop == StopReason::converged; }
};

// The stopping rule shared by every backend: `warmup` untimed samples, then timed samples until
// at least min_samples are in and the 95% CI of the median is within max_rel_ci of it
// (converged), or max_samples are in, or max_seconds_per_point has passed since the start
// (warm-up included). The time limit beats min_samples, so a huge GEMM costs what the job allows;
// there is always at least one timed sample.
SamplingResult sample_until_stable(const TimingSettings& timing, const SampleSource& take_sample,
                                   const SecondsClock& now = steady_seconds);

// Copies the statistics into a measurement (time_s = median, ...) and notes a limit that cut
// sampling short in measurement.message.
void fill_measurement(const SamplingResult& result, const TimingSettings& timing, Measurement& m);

}  // namespace gs
