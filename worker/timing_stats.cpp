#include "worker/timing_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace gs {
namespace {

double median_of_sorted(std::span<const double> s) {
  const std::size_t n = s.size();
  return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

int compute_lower_rank(int n, double confidence) {
  const double tail = (1.0 - confidence) / 2.0;
  // Largest l with P(B <= l - 1) <= tail, B ~ Binomial(n, 1/2); by symmetry the upper rank is
  // n - l + 1 and the coverage P(l <= B <= n - l) is at least `confidence`. The pmf is stepped
  // in log space (pmf(i+1) = pmf(i) (n-i)/(i+1)), as 2^-n underflows past n = 1074.
  double log_pmf = -n * std::log(2.0);  // P(B = 0)
  double cdf = 0;
  int lower = 0;
  for (int i = 0; i < n / 2; ++i) {
    cdf += std::exp(log_pmf);
    if (cdf > tail) break;
    lower = i + 1;
    log_pmf += std::log(static_cast<double>(n - i) / (i + 1));
  }
  return lower;
}

}  // namespace

OrderStatisticRanks median_ci_ranks(int n, double confidence) {
  if (n <= 0) return {};
  // The sampler asks after every sample, for n = 1, 2, 3, ...: remember the 95% answers.
  thread_local std::vector<int> cached_95;
  const bool cacheable = confidence == 0.95 && n < 1'000'000;
  int lower = 0;
  if (cacheable && static_cast<std::size_t>(n) < cached_95.size() && cached_95[n] >= 0) {
    lower = cached_95[static_cast<std::size_t>(n)];
  } else {
    lower = compute_lower_rank(n, confidence);
    if (cacheable) {
      if (cached_95.size() <= static_cast<std::size_t>(n))
        cached_95.resize(static_cast<std::size_t>(n) + 1, -1);
      cached_95[static_cast<std::size_t>(n)] = lower;
    }
  }
  if (lower == 0) return {};
  return {lower, n - lower + 1};
}

SampleSummary summarize_sorted(std::span<const double> sorted) {
  SampleSummary s;
  s.samples = static_cast<int>(sorted.size());
  if (sorted.empty()) return s;
  s.min = sorted.front();
  s.max = sorted.back();
  s.median = median_of_sorted(sorted);
  s.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(s.samples);
  if (s.samples > 1) {
    double squares = 0;
    for (double x : sorted) squares += (x - s.mean) * (x - s.mean);
    s.stddev = std::sqrt(squares / (s.samples - 1));
  }
  const OrderStatisticRanks ranks = median_ci_ranks(s.samples);
  if (ranks.bounded()) {
    s.ci_low = sorted[static_cast<std::size_t>(ranks.lower - 1)];
    s.ci_high = sorted[static_cast<std::size_t>(ranks.upper - 1)];
    const double half_width = std::max(s.median - s.ci_low, s.ci_high - s.median);
    s.rel_ci = s.median > 0 ? half_width / s.median : std::numeric_limits<double>::infinity();
  } else {
    s.ci_low = s.min;
    s.ci_high = s.max;
    s.rel_ci = std::numeric_limits<double>::infinity();
  }
  return s;
}

SampleSummary summarize(std::span<const double> samples) {
  std::vector<double> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  return summarize_sorted(sorted);
}

}  // namespace gs
