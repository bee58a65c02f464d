#pragma once
#include <vector>

#include "fit/cross_validation.hpp"
#include "fit/fit_observation.hpp"
#include "fit/term_fit.hpp"

namespace gs {

// One dtype's fit and its measured error.
struct DtypeFit {
  DType dtype = DType::fp16;
  TermFit fit;
  CrossValidation kfold;
  CrossValidation leave_one_class_out;
  std::vector<FitObservation> rows;
};

}  // namespace gs
