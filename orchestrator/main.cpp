#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "jobs/grid.hpp"
#include "jobs/job_error.hpp"
#include "jobs/job_parser.hpp"
#include "jobs/plan_summary.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gemmsweep: GEMM throughput of transformer shapes"};
  app.require_subcommand(1);
  std::string job;
  auto* plan = app.add_subcommand("plan", "expand a job file and report what it would run");
  plan->add_option("job", job, "job file (TOML)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    const gs::JobSpec spec = gs::parse_job_file(job);
    const gs::Grid grid = gs::expand(spec);
    std::cout << gs::render_plan(gs::summarize_plan(spec, grid));
  } catch (const gs::JobError& e) {
    std::cerr << "gemmsweep: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
