#pragma once
#include <string>

#include "jobs/job_spec.hpp"

namespace gs {

// A hex digest of what defines the grid (ops, dtypes, model or shape axes), not of timing or run
// settings: two job files with the same fingerprint give the same tasks with the same ids, so a
// results file may be resumed or merged across them.
std::string spec_fingerprint(const JobSpec& spec);

}  // namespace gs
