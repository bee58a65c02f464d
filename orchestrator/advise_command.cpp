#include "orchestrator/advise_command.hpp"

#include <fmt/format.h>

#include <iostream>

#include "advise/advice_report.hpp"
#include "advise/advise_job.hpp"
#include "io/grid_coverage.hpp"
#include "jobs/plan_summary.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/launch_rank.hpp"
#include "orchestrator/run_command.hpp"
#include "orchestrator/run_setup.hpp"

namespace gs {
namespace {

SweepSource advise_sweep() {
  return {[](const std::string& path) { return parse_advise_job_file(path).spec; },
          [](std::string_view text, const std::string& path) {
            return parse_advise_job_text(text, path).spec;
          },
          [](const JobSpec& spec) {
            return advise_grid(parse_advise_job_text(spec.text, spec.path).plan);
          }};
}

}  // namespace

int advise_command(AdviseCommandOptions o, int& argc, char**& argv) {
  if (o.from) {
    if (!o.run.output.empty())
      throw UsageError(
          "--from ranks from an existing file and writes /advice into it; give -o "
          "or --from, not both");
    const AdviseJob job = parse_advise_job_file(o.run.job);
    o.advise.gpu = gpu_of_options(o.run.gpu, o.run.gpu_spec, job.spec);
    advise_from_results(job, *o.from, o.advise, std::cout);
    return 0;
  }
  if (o.run.output.empty()) throw UsageError("-o: missing; give -o OUT.h5, or --from RESULTS.h5");
  const int status = run_command(o.run, argc, argv, advise_sweep());
  // Every rank returns from the sweep; rank 0 alone ranks and writes.
  if (status != 0 || !first_launched_process()) return status;
  if (o.run.shard) {
    fmt::print(stderr,
               "gemmsweep: advise: shard {} measured; merge the shards, then gemmsweep advise {} "
               "--from MERGED.h5\n",
               *o.run.shard, o.run.job);
    return status;
  }
  const AdviseJob job = parse_advise_job_file(o.run.job);
  o.advise.gpu = gpu_of_options(o.run.gpu, o.run.gpu_spec, job.spec);
  advise_from_results(job, o.run.output, o.advise, std::cout);
  return 0;
}

Grid grid_of_any_job_text(const std::string& spec_text) {
  if (!has_advise_table(spec_text)) return grid_of_job_file_text(spec_text);
  return advise_grid(parse_advise_job_text(spec_text, "spec attribute").plan);
}

int advise_plan_command(const std::string& path, const std::optional<std::string>& gpu_option,
                        const std::optional<std::string>& gpu_spec_option) {
  const AdviseJob job = parse_advise_job_file(path);
  const GpuSpec gpu = gpu_of_options(gpu_option, gpu_spec_option, job.spec);
  const Grid grid = advise_grid(job.plan);
  const auto predict = [&gpu](const Task& t) { return predict_seconds(t, gpu); };
  std::cout << render_advise_plan(job)
            << render_plan(summarize_plan(job.spec, grid, predict, gpu.name));
  return 0;
}

}  // namespace gs
