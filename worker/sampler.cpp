#include "worker/sampler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace gs {

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string_view to_string(StopReason r) {
  switch (r) {
    case StopReason::converged:
      return "converged";
    case StopReason::max_samples:
      return "max_samples";
    case StopReason::time_limit:
      return "max_seconds_per_point";
  }
  return "?";
}

SamplingResult sample_until_stable(const TimingSettings& timing, const SampleSource& take_sample,
                                   const SecondsClock& now) {
  const int min_samples = std::max(1, timing.min_samples);
  const int max_samples = std::max(min_samples, timing.max_samples);
  const double start = now();
  auto out_of_time = [&] { return now() - start >= timing.max_seconds_per_point; };

  SamplingResult result;
  for (int i = 0; i < timing.warmup; ++i) {
    take_sample();
    ++result.warmups;
    if (out_of_time()) break;
  }

  std::vector<double> sorted;
  sorted.reserve(static_cast<std::size_t>(std::min(max_samples, 4096)));
  result.times.reserve(sorted.capacity());
  while (true) {
    const double t = take_sample();
    result.times.push_back(t);
    sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), t), t);
    const int n = static_cast<int>(sorted.size());
    if (n >= min_samples) {
      result.summary = summarize_sorted(sorted);
      if (result.summary.rel_ci <= timing.max_rel_ci) {
        result.stop = StopReason::converged;
        return result;
      }
    }
    if (n >= max_samples) {
      result.stop = StopReason::max_samples;
      break;
    }
    if (out_of_time()) {
      result.stop = StopReason::time_limit;
      break;
    }
  }
  result.summary = summarize_sorted(sorted);
  return result;
}

void fill_measurement(const SamplingResult& result, const TimingSettings& timing, Measurement& m) {
  const SampleSummary& s = result.summary;
  m.samples = s.samples;
  m.time_s = s.median;
  m.time_min_s = s.min;
  m.time_mean_s = s.mean;
  m.time_std_s = s.stddev;
  m.rel_ci = s.rel_ci;
  m.converged = result.converged();
  m.stop_reason = std::string(to_string(result.stop));
  if (!m.converged) {
    std::string note =
        fmt::format("not converged: {} reached after {} samples (rel_ci {:.3g} > {})",
                    to_string(result.stop), s.samples, s.rel_ci, timing.max_rel_ci);
    m.message = m.message.empty() ? note : m.message + "; " + note;
  }
}

}  // namespace gs
