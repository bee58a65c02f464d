#include "orchestrator/eta_estimator.hpp"

#include <algorithm>

namespace gs {

std::optional<double> EtaEstimator::remaining(double elapsed_s) const {
  if (done_ <= 0 || elapsed_s <= 0) return std::nullopt;
  const double ratio = elapsed_s / done_;
  return std::max(0.0, total_ - done_) * ratio;
}

}  // namespace gs
