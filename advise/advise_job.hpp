#pragma once
#include <string>
#include <string_view>

#include "advise/advise_plan.hpp"
#include "advise/advise_spec.hpp"
#include "jobs/job_spec.hpp"

namespace gs {

// An advise job file: the settings every job has (name, dtype, [timing], [run]), its [advise]
// table and what that expands to. `spec.ops` lists the ops of the distinct GEMMs and
// `spec.grid_definition` the GEMMs themselves, so that the run machinery's resume and shard
// checks hold for it as for any job.
struct AdviseJob {
  JobSpec spec;
  AdviseSpec advise;
  AdvisePlan plan;
};

// Whether the text is TOML with a top-level [advise] table (any other text: false, and the
// ordinary job parser reports what is wrong with it).
bool has_advise_table(std::string_view text);
// Reads, validates and expands an advise job. Throws JobError (one line naming file, line, key,
// value and what is allowed) for unknown keys, a budget window or axes that leave no candidate,
// a baseline outside the axes or not a valid candidate.
AdviseJob parse_advise_job_text(std::string_view text, const std::string& path);
AdviseJob parse_advise_job_file(const std::string& path);

}  // namespace gs
