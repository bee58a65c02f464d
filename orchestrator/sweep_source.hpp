#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "jobs/grid.hpp"
#include "jobs/job_spec.hpp"

namespace gs {

// Where a sweep's tasks come from: an ordinary job file expanded into its grid, or a command of
// its own (advise: the distinct GEMMs of its candidates). Rank 0 reads the file, the other ranks
// parse the text it broadcasts, and every rank builds the same tasks from the spec.
struct SweepSource {
  std::function<JobSpec(const std::string& path)> parse_file;
  std::function<JobSpec(std::string_view text, const std::string& path)> parse_text;
  std::function<Grid(const JobSpec& spec)> tasks;
};

// parse_job_file, parse_job_text and expand: `gemmsweep run`.
SweepSource job_file_sweep();

}  // namespace gs
