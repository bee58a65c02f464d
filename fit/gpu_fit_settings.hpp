#pragma once
#include <array>

#include "fit/robust_fit_settings.hpp"
#include "fit/term_vector.hpp"

namespace gs {

// What `gemmsweep fit` was asked for: folds, the second error figure, held terms, the loss.
struct GpuFitSettings {
  int folds = 5;  // K of K-fold cross-validation (2 to 20)
  bool leave_one_class_out = true;
  std::array<bool, kFreeTerms> hold{};  // terms held at the base's value (--hold)
  RobustFitSettings robust;
};

}  // namespace gs
