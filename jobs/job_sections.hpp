#pragma once
#include <toml++/toml.h>

#include "jobs/job_spec.hpp"
#include "jobs/toml_context.hpp"

namespace gs {

// The parts every job file shares, for parsers of other job kinds (advise/) to read them the
// same way, with the same messages: name, dtype, [timing], [run]. Each throws JobError.
void parse_job_name(const TomlContext& ctx, const toml::table& root, JobSpec& spec);
void parse_job_dtypes(const TomlContext& ctx, const toml::table& root, JobSpec& spec);
void parse_job_timing(const TomlContext& ctx, const toml::table& root, JobSpec& spec);
void parse_job_run(const TomlContext& ctx, const toml::table& root, JobSpec& spec);

}  // namespace gs
