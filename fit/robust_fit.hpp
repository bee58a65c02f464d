#pragma once
#include <array>
#include <string>
#include <vector>

#include "fit/fit_observation.hpp"
#include "fit/term_vector.hpp"

namespace gs {

struct RobustFitSettings {
  // Huber's scale on log time: residuals past it count linearly, not squared, so a few bad rows
  // (a throttled GPU, a misread point) cannot pull the terms. 0: from the rows (1.345 robust
  // standard deviations of a first fit's residuals, between 0.5% and 25%).
  double huber_scale = 0;
  int max_iterations = 100;
  // A term is fitted only if moving it by 1% moves at least min_moved_rows predictions by
  // min_elasticity % or more ...
  double min_elasticity = 0.02;
  int min_moved_rows = 3;
  // ... and it is not (nearly) a combination of the terms before it: the part of its column
  // that the others cannot explain is at least this share of it.
  double min_independent_share = 0.05;
};

// Which terms a fit may move, and where the others stay.
struct TermFitRequest {
  ModelTerms start;                        // where the free terms start
  ModelTerms held;                         // the value of every term the fit does not move
  std::array<bool, kFreeTerms> allowed{};  // false: held whatever the rows say
};

struct TermFit {
  ModelTerms terms;
  std::array<bool, kFreeTerms> fitted{};
  // Terms held although allowed, because the rows cannot identify them, with why.
  std::vector<std::string> held_reasons;
  int iterations = 0;
  double scale = 0;  // the Huber scale used
  double loss = 0;   // mean Huber loss of log(predicted / measured)
};

// Fits one dtype's terms to its observations on that hardware by Levenberg-Marquardt on the
// Huber loss of log time (iteratively reweighted Gauss-Newton, a numeric Jacobian in log-term
// space, shares capped at 1).
TermFit fit_terms(const std::vector<FitObservation>& rows, const GpuSpec& hardware, DType dtype,
                  const TermFitRequest& request, const RobustFitSettings& settings = {});

}  // namespace gs
