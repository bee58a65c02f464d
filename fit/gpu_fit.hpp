#pragma once
#include <map>
#include <string>
#include <vector>

#include "fit/cross_validation.hpp"
#include "fit/robust_fit.hpp"

namespace gs {

struct GpuFitSettings {
  int folds = 5;  // K of K-fold cross-validation (2 to 20)
  bool leave_one_class_out = true;
  std::array<bool, kFreeTerms> hold{};  // terms held at the base's value (--hold)
  RobustFitSettings robust;
};

// Fewest rows of one dtype a fit accepts: twice the free terms.
inline constexpr std::size_t kMinRowsPerDtype = 2 * kFreeTerms;

// One dtype's fit and its measured error.
struct DtypeFit {
  DType dtype = DType::fp16;
  TermFit fit;
  CrossValidation kfold;
  CrossValidation leave_one_class_out;
  std::vector<FitObservation> rows;
};

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
