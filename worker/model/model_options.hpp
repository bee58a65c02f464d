#pragma once
#include <optional>
#include <string>

#include "worker/model/gpu_spec.hpp"

namespace gs {

// What the model backend is told: which GPU to predict, and whether to sleep like one.
struct ModelOptions {
  std::string gpu = "A100";
  // A spec resolved from --gpu-spec FILE (or --gpu); when set, `gpu` is not looked up.
  std::optional<GpuSpec> spec;
  double simulate_factor = 0;  // sleep predicted time * factor (0 = no sleep)
};

}  // namespace gs
