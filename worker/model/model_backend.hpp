#pragma once
#include "worker/backend.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {

// "Measures" with the analytic model (worker/model/perf_model.hpp): time_s is the prediction, one
// sample, converged. With simulate_factor > 0 it sleeps factor x what the stopping rule would
// spend on that prediction (warm-ups and samples, sampled_wall_seconds of
// jobs/timing_settings.hpp, which plan sums too), so that schedulers and tests see realistic,
// skewed task costs without a GPU, and a simulated run takes what plan predicts.
class ModelBackend final : public Backend {
 public:
  // Throws std::invalid_argument when options.gpu names no known GPU (and no spec is given).
  explicit ModelBackend(const ModelOptions& options);

  std::string_view kind() const override { return "model"; }
  DeviceInfo device_info() const override;
  Measurement measure(const Task& task, const TimingSettings& timing) override;

  const GpuSpec& gpu() const { return gpu_; }

 private:
  GpuSpec gpu_;
  double simulate_factor_ = 0;
};

}  // namespace gs
