#pragma once
#include <optional>

namespace gs {

// The progress line's ETA, from predicted cost rather than task counts: tasks run largest first,
// so counting them made the ETA 2 to 2.5x too long early on.
//
//   ETA = (predicted seconds of the tasks not yet finished)
//         x (wall seconds elapsed / predicted seconds of the tasks finished)
//
// The second factor is the measured ratio of real to predicted time: it absorbs the model's
// error for this device (a cpu backend measured against a GPU's prediction, say) and the number
// of ranks working in parallel, and it settles as results arrive. Assumptions: the model's error
// does not drift with task size, and the ranks stay busy. docs/running.md states the error
// measured on the seed grid (tests/orchestrator/eta_estimator_test.cpp).
class EtaEstimator {
 public:
  // `predicted_total_s`: the predicted cost of every task of this run (sampled_wall_seconds of
  // jobs/timing_settings.hpp on the model's prediction, as `plan` sums it).
  explicit EtaEstimator(double predicted_total_s) : total_(predicted_total_s) {}

  // A task's final row arrived; `predicted_s` is its predicted cost.
  void finished(double predicted_s) { done_ += predicted_s; }

  // Seconds left after `elapsed_s` of wall time; none before the first result.
  std::optional<double> remaining(double elapsed_s) const;

  double predicted_done() const { return done_; }
  double predicted_total() const { return total_; }

 private:
  double total_ = 0;
  double done_ = 0;
};

}  // namespace gs
