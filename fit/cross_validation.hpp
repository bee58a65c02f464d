#pragma once
#include <map>
#include <vector>

#include "fit/robust_fit.hpp"
#include "worker/model/fit_record.hpp"

namespace gs {

// Fold of each row for K-fold cross-validation: within each alignment class, rows sorted by
// hidden size (then shape) are cut into K contiguous blocks, and fold j holds block j of every
// class. What is held out is extrapolated over h, not interpolated between neighbours.
std::vector<int> hidden_size_folds(const std::vector<FitObservation>& rows, int folds);

// |predicted / measured - 1| summarized per op: median and 90th percentile (nearest rank).
std::vector<FitErrorFigure> error_figures(const std::vector<FitObservation>& rows,
                                          const std::vector<double>& predicted_s,
                                          const std::vector<bool>& counted,
                                          const std::string& method, DType dtype);

struct CrossValidation {
  std::vector<double> predicted_s;  // each row predicted by the fit that did not see it
  std::vector<FitErrorFigure> figures;
  // Terms a refit was allowed but its rows could not move (held at the base value): term index
  // -> the folds (labels) where that happened.
  std::map<std::size_t, std::vector<std::string>> held;
  std::vector<std::string> notes;
};

// K-fold: each fold refitted on the others, starting from `fitted` (held terms at `base`).
CrossValidation kfold_error(const std::vector<FitObservation>& rows, const GpuSpec& hardware,
                            DType dtype, const ModelTerms& fitted, const ModelTerms& base,
                            const std::array<bool, kFreeTerms>& allowed, int folds,
                            const RobustFitSettings& settings);
// Leave one alignment class out: the held-out class's own factors cannot be learned from the
// others and stay at `base`; holding out the widest class leaves the efficiencies to be learned
// through the others' factors, which are then partly held (notes say which).
CrossValidation leave_one_class_out_error(const std::vector<FitObservation>& rows,
                                          const GpuSpec& hardware, DType dtype,
                                          const ModelTerms& fitted, const ModelTerms& base,
                                          const std::array<bool, kFreeTerms>& allowed,
                                          const RobustFitSettings& settings);

}  // namespace gs
