#pragma once
#include <string>

namespace gs {

// What the model backend is told: which GPU to predict, and whether to sleep like one.
struct ModelOptions {
  std::string gpu = "A100";
  double simulate_factor = 0;  // sleep predicted time * factor (0 = no sleep)
};

}  // namespace gs
