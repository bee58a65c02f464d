#pragma once
#include <string>
#include <vector>

#include "fit/cross_validation.hpp"
#include "fit/dtype_fit.hpp"
#include "fit/gpu_fit_settings.hpp"
#include "fit/robust_fit.hpp"

namespace gs {

// Fewest rows of one dtype a fit accepts: twice the free terms.
inline constexpr std::size_t kMinRowsPerDtype = 2 * kFreeTerms;

// A GPU fitted: its spec and, per dtype, the fit, its error and the notes on held terms.
struct GpuFit {
  GpuSpec spec;  // the hardware with the fitted terms per dtype (others: the base's terms)
  std::vector<DtypeFit> dtypes;
  std::vector<std::string> notes;
  std::vector<FitErrorFigure> errors;
};

// Fits each dtype of `rows` on `hardware`, starting from `base`'s terms. Throws FitRefused when
// the rows cannot identify the terms: no rows, fewer than kMinRowsPerDtype of a dtype, or a
// dtype whose rows are all of one alignment class (its factors would only enter as a product
// with the efficiencies).
GpuFit fit_gpu(const std::vector<FitObservation>& rows, const GpuSpec& hardware,
               const GpuSpec& base, const GpuFitSettings& settings = {});

}  // namespace gs
