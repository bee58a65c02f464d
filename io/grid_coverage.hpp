#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "io/result_row.hpp"

namespace gs {

// How far rows cover the grid of one or more job files: a task is covered by an ok or skipped
// row of the same measurement (op, dtype, axes, shape; see RowKey), whatever its task id.
struct GridCoverage {
  bool known = false;       // every job text parsed; else tasks and missing say nothing
  std::string problem;      // why not known (the job parser's message)
  std::size_t tasks = 0;    // distinct tasks of the grids
  std::size_t missing = 0;  // of them, those without an ok or skipped row
  bool complete() const { return known && missing == 0; }
};

// `spec_texts` are job files' texts (the `spec` attribute of results files).
GridCoverage grid_coverage(const std::vector<std::string>& spec_texts,
                           const std::vector<ResultRow>& rows);

}  // namespace gs
