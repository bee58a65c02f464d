#pragma once
#include <span>

namespace gs {

// 1-based ranks (lower, upper) of the order statistics that bound a distribution-free confidence
// interval of the median of n samples: the number of samples below the true median is
// Binomial(n, 1/2), so [x_(lower), x_(upper)] covers it with probability >= confidence whatever
// the timing distribution (timings are skewed and heavy-tailed; a normal interval would lie).
// Returns {0, 0} when n is too small for any interval to reach that confidence (n < 6 at 95%).
struct OrderStatisticRanks {
  int lower = 0;
  int upper = 0;
  bool bounded() const { return lower > 0; }
};
OrderStatisticRanks median_ci_ranks(int n, double confidence = 0.95);

// What the results file stores about one point's samples (seconds per call).
struct SampleSummary {
  int samples = 0;
  double median = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n - 1); 0 for one sample
  double ci_low = 0;  // 95% confidence interval of the median
  double ci_high = 0;
  // The interval's larger side over the median: the stopping rule wants the whole interval within
  // max_rel_ci of the median. +infinity while the interval is unbounded (fewer than 6 samples).
  double rel_ci = 0;
};

// Summary of samples that are already sorted ascending (the sampler keeps them so).
SampleSummary summarize_sorted(std::span<const double> sorted);
// Summary of samples in any order.
SampleSummary summarize(std::span<const double> samples);

}  // namespace gs
