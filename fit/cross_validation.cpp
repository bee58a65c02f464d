#include "fit/cross_validation.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

namespace gs {
namespace {

std::vector<FitObservation> pick(const std::vector<FitObservation>& rows,
                                 const std::vector<bool>& keep) {
  std::vector<FitObservation> out;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (keep[i]) out.push_back(rows[i]);
  return out;
}

// Trains on the rows not held out, predicts the held-out ones into `predicted_s`.
void refit_and_predict(const std::vector<FitObservation>& rows, const std::vector<bool>& held_out,
                       const GpuSpec& hardware, DType dtype, const TermFitRequest& request,
                       const RobustFitSettings& settings, CrossValidation& cv,
                       const std::string& label) {
  std::vector<bool> train(held_out.size());
  for (std::size_t i = 0; i < held_out.size(); ++i) train[i] = !held_out[i];
  const TermFit fit = fit_terms(pick(rows, train), hardware, dtype, request, settings);
  for (std::size_t j = 0; j < kFreeTerms; ++j)
    if (request.allowed[j] && !fit.fitted[j]) cv.held[j].push_back(label);
  GpuSpec gpu = hardware;
  gpu.dtype_terms[dtype] = fit.terms;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (held_out[i]) cv.predicted_s[i] = predicted_seconds(rows[i], gpu);
}

}  // namespace

std::vector<int> hidden_size_folds(const std::vector<FitObservation>& rows, int folds) {
  std::map<int, std::vector<std::size_t>> by_class;
  for (std::size_t i = 0; i < rows.size(); ++i) by_class[rows[i].alignment_class].push_back(i);
  std::vector<int> fold(rows.size(), 0);
  for (auto& [cls, members] : by_class) {
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      const GemmShape& x = rows[a].task.shape;
      const GemmShape& y = rows[b].task.shape;
      return std::tie(rows[a].hidden_size, x.n, x.m, x.k, x.batch) <
             std::tie(rows[b].hidden_size, y.n, y.m, y.k, y.batch);
    });
    const std::size_t count = members.size();
    for (std::size_t pos = 0; pos < count; ++pos)
      fold[members[pos]] = static_cast<int>(pos * static_cast<std::size_t>(folds) / count);
  }
  return fold;
}

std::vector<FitErrorFigure> error_figures(const std::vector<FitObservation>& rows,
                                          const std::vector<double>& predicted_s,
                                          const std::vector<bool>& counted,
                                          const std::string& method, DType dtype) {
  std::map<std::string, std::vector<double>> by_op;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (counted[i])
      by_op[std::string(to_string(rows[i].task.op))].push_back(
          std::abs(predicted_s[i] / rows[i].measured_s - 1));
  std::vector<FitErrorFigure> out;
  for (auto& [op, errors] : by_op) {
    std::sort(errors.begin(), errors.end());
    const std::size_t n = errors.size();
    const double median = n % 2 ? errors[n / 2] : 0.5 * (errors[n / 2 - 1] + errors[n / 2]);
    const std::size_t rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
    out.push_back({method, op, std::string(to_string(dtype)), static_cast<int>(n), median,
                   errors[std::max<std::size_t>(rank, 1) - 1]});
  }
  return out;
}

CrossValidation kfold_error(const std::vector<FitObservation>& rows, const GpuSpec& hardware,
                            DType dtype, const ModelTerms& fitted, const ModelTerms& base,
                            const std::array<bool, kFreeTerms>& allowed, int folds,
                            const RobustFitSettings& settings) {
  CrossValidation cv;
  cv.predicted_s.assign(rows.size(), 0);
  const std::vector<int> fold = hidden_size_folds(rows, folds);
  const TermFitRequest request{fitted, base, allowed};
  for (int j = 0; j < folds; ++j) {
    std::vector<bool> held_out(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) held_out[i] = fold[i] == j;
    if (std::none_of(held_out.begin(), held_out.end(), [](bool b) { return b; })) continue;
    refit_and_predict(rows, held_out, hardware, dtype, request, settings, cv,
                      fmt::format("fold {}", j + 1));
  }
  cv.figures =
      error_figures(rows, cv.predicted_s, std::vector<bool>(rows.size(), true), "kfold", dtype);
  return cv;
}

CrossValidation leave_one_class_out_error(const std::vector<FitObservation>& rows,
                                          const GpuSpec& hardware, DType dtype,
                                          const ModelTerms& fitted, const ModelTerms& base,
                                          const std::array<bool, kFreeTerms>& allowed,
                                          const RobustFitSettings& settings) {
  CrossValidation cv;
  cv.predicted_s.assign(rows.size(), 0);
  std::vector<int> classes;
  for (const FitObservation& o : rows) classes.push_back(o.alignment_class);
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  if (classes.size() < 2) return cv;
  for (int c : classes) {
    TermFitRequest request{fitted, base, {}};
    for (std::size_t j = 0; j < kFreeTerms; ++j)
      request.allowed[j] = allowed[j] && term_alignment_class(j) != c;
    std::vector<bool> held_out(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) held_out[i] = rows[i].alignment_class == c;
    refit_and_predict(
        rows, held_out, hardware, dtype, request, settings, cv,
        fmt::format("{} ({} B)", c, base.alignment[static_cast<std::size_t>(c)].min_bytes));
  }
  // One note for all folds: which terms the remaining rows could not move, and without which
  // classes (the main fit's notes say why for the same terms).
  std::string held;
  for (const auto& [term, folds] : cv.held)
    held += fmt::format(
        "{}{} ({})", held.empty() ? "" : ", ", term_name(term),
        folds.size() == classes.size() ? "every class" : fmt::format("{}", fmt::join(folds, ", ")));
  if (!held.empty())
    cv.notes.push_back(fmt::format(
        "{}: held at the base value where the rows left cannot move them, by the class held "
        "out: {}",
        to_string(dtype), held));
  cv.figures = error_figures(rows, cv.predicted_s, std::vector<bool>(rows.size(), true),
                             "leave_one_class_out", dtype);
  return cv;
}

}  // namespace gs
