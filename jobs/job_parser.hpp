#pragma once
#include <string>
#include <string_view>

#include "jobs/job_spec.hpp"

namespace gs {

// Reads and validates a TOML job file (DESIGN.md section 3). Throws JobError naming file, line,
// key, the bad value and what is allowed; never returns a half-valid spec.
JobSpec parse_job_file(const std::string& path);
// Same, from text; `path` only labels the messages.
JobSpec parse_job_text(std::string_view text, const std::string& path);
// The text of a job file (at most 1 MiB), or JobError naming why it cannot be read.
std::string read_job_text(const std::string& path);

}  // namespace gs
