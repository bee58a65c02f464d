#pragma once
#include <string>
#include <vector>

namespace gs {

// One figure of a fit's measured error: |predicted / measured - 1| over the rows of one op and
// dtype that the method held out.
struct FitErrorFigure {
  std::string method;  // "kfold" (contiguous hidden-size blocks) | "leave_one_class_out"
  std::string op;
  std::string dtype;
  int points = 0;
  double median = 0;
  double p90 = 0;

  bool operator==(const FitErrorFigure&) const = default;
};

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
