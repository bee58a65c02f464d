#pragma once
#include <string>

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

}  // namespace gs
