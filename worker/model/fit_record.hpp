#pragma once
#include <string>
#include <vector>

#include "worker/model/fit_error_figure.hpp"

namespace gs {

// Where a fitted spec's terms came from (the [fit] table of a GPU spec file).
struct FitRecord {
  std::string source;           // the results file or reference CSV fitted
  std::string job_fingerprint;  // its spec_hash, or "reference" for a reference CSV
  std::string base;             // the GPU whose terms the fit started from
  std::string date;             // UTC, ISO 8601
  std::string loss;             // the loss, as words
  int rows_used = 0;
  int folds = 0;
  std::vector<std::string> notes;  // terms held at the base's value, and why
  std::vector<FitErrorFigure> errors;

  bool operator==(const FitRecord&) const = default;
};

}  // namespace gs
