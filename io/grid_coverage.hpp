#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "io/result_row.hpp"
#include "jobs/grid.hpp"

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

// The tasks of a job file's text; throws when the text is no job. The default expands an
// ordinary job file; a command that lists its own tasks (advise) passes its own.
using GridOfJobText = std::function<Grid(const std::string& spec_text)>;
Grid grid_of_job_file_text(const std::string& spec_text);

// `spec_texts` are job files' texts (the `spec` attribute of results files).
GridCoverage grid_coverage(const std::vector<std::string>& spec_texts,
                           const std::vector<ResultRow>& rows,
                           const GridOfJobText& grid_of = grid_of_job_file_text);

}  // namespace gs
