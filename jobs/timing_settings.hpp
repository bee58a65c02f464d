#pragma once
#include <algorithm>
#include <cmath>

namespace gs {

// The stopping rule's knobs ([timing] in the job file); the defaults suit a GPU.
struct TimingSettings {
  int warmup = 5;
  int min_samples = 10;
  int max_samples = 200;
  double max_rel_ci = 0.02;
  double max_seconds_per_point = 2.0;

  bool operator==(const TimingSettings&) const = default;
};

// Wall time the stopping rule (worker/sampler.cpp) spends on a product of `call_s` seconds when
// it stops at min_samples: warmup + min_samples calls, unless they would pass
// max_seconds_per_point. Then the warm-ups stop once it has passed (the first always runs) and
// samples follow until it has passed, always at least one. `plan` and the Slurm time limit are
// sized from it.
inline double sampled_wall_seconds(double call_s, const TimingSettings& t) {
  const double calls = std::max(0, t.warmup) + std::max(1, t.min_samples);
  if (calls * call_s <= t.max_seconds_per_point || call_s <= 0) return calls * call_s;
  const double to_limit = std::ceil(t.max_seconds_per_point / call_s);  // calls that pass it
  const double warmups = t.warmup > 0 ? std::min<double>(t.warmup, std::max(to_limit, 1.0)) : 0;
  return (warmups + std::max(1.0, to_limit - warmups)) * call_s;
}

}  // namespace gs
