#pragma once
#include <optional>
#include <string>

#include "advise/advise_from_results.hpp"
#include "orchestrator/run_options.hpp"

namespace gs {

// `gemmsweep advise` as the user typed it: a sweep of the distinct GEMMs (run's options in
// `run`, with -o), or `--from` an existing results file.
struct AdviseCommandOptions {
  RunOptions run;
  std::optional<std::string> from;
  AdviseOptions advise;
};

// Measures the job's distinct GEMMs as an ordinary sweep (same scheduler, MPI, resume, shards),
// then on rank 0 ranks the candidates and writes /advice. Returns the exit status.
int advise_command(AdviseCommandOptions options, int& argc, char**& argv);
// The tasks of a job text, an advise job's or an ordinary one's (merge's completeness check).
Grid grid_of_any_job_text(const std::string& spec_text);
// `plan` of an advise job: candidates, distinct GEMMs and GPU-hours on `gpu`.
int advise_plan_command(const std::string& job, const std::optional<std::string>& gpu,
                        const std::optional<std::string>& gpu_spec);

}  // namespace gs
