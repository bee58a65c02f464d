#pragma once

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

}  // namespace gs
