#pragma once
#include <vector>

#include "fit/fit_observation.hpp"
#include "fit/robust_fit_settings.hpp"
#include "fit/term_fit.hpp"
#include "fit/term_fit_request.hpp"
#include "fit/term_vector.hpp"

namespace gs {

// Fits one dtype's terms to its observations on that hardware by Levenberg-Marquardt on the
// Huber loss of log time (iteratively reweighted Gauss-Newton, a numeric Jacobian in log-term
// space, shares capped at 1).
TermFit fit_terms(const std::vector<FitObservation>& rows, const GpuSpec& hardware, DType dtype,
                  const TermFitRequest& request, const RobustFitSettings& settings = {});

}  // namespace gs
