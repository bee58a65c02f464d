#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "io/grid_coverage.hpp"

namespace gs {

struct MergeSummary {
  std::size_t inputs = 0;
  std::size_t rows_read = 0;
  std::size_t rows_written = 0;
  std::size_t duplicates_dropped = 0;
  std::size_t devices = 0;
  std::size_t unwritten_rows = 0;  // inputs' rows with an empty status (never written): dropped
  // The grid(s) of the inputs' job texts (the `spec` attributes), and how many of their tasks
  // have no ok or skipped row in the merged file. grid_known is false when a job text does not
  // parse (grid_problem says why); the merge is then not complete.
  bool grid_known = false;
  std::string grid_problem;
  std::size_t grid_tasks = 0;
  std::size_t missing_tasks = 0;
  bool complete = false;  // grid_known and missing_tasks == 0; the file's `complete` attribute
};

// gemmsweep merge -o OUT IN...: one file from shards or repeated runs.
// Inputs must share format and backend, and their job file's grid (spec_hash), unless
// `allow_different_jobs` (--allow-different-jobs): then rows are keyed by what was measured (op,
// dtype, model axes, GEMM shape), not by task id, and the output holds the union of the grids. Of
// rows with the same key the newest ok row wins (by started_unix), else the newest skipped, else
// the newest failed. /devices are united; /provenance keeps every input's attributes and history.
// Throws StoreError (exit 2) for a missing / foreign / incompatible input, an existing output,
// or an output that is also an input.
// `grid_of` turns a job text into its tasks, for the completeness check.
MergeSummary merge_results(const std::string& out_path, const std::vector<std::string>& inputs,
                           const std::string& command_line = "",
                           const GridOfJobText& grid_of = grid_of_job_file_text,
                           bool allow_different_jobs = false);

}  // namespace gs
