#include "orchestrator/cli.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "advise/advise_error.hpp"
#include "advise/advise_job.hpp"
#include "fit/fit_command.hpp"
#include "gemmsweep/config.hpp"
#include "io/merge.hpp"
#include "io/report.hpp"
#include "io/results_file.hpp"
#include "io/results_recovery.hpp"
#include "io/results_store.hpp"
#include "jobs/grid.hpp"
#include "jobs/job_error.hpp"
#include "jobs/job_parser.hpp"
#include "jobs/plan_summary.hpp"
#include "orchestrator/advise_command.hpp"
#include "orchestrator/calibration.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/export_command.hpp"
#include "orchestrator/launch_rank.hpp"
#include "orchestrator/run_command.hpp"
#include "orchestrator/run_options.hpp"
#include "orchestrator/run_setup.hpp"
#include "orchestrator/signal_guard.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {
namespace {

std::string quoted_command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.find_first_of(" \t'\"") != std::string::npos) arg = "'" + arg + "'";
    out += (i ? " " : "") + arg;
  }
  return out;
}

// Under mpirun / srun every rank parses the command line; only the first reports bad usage, so
// that a mistake prints one line, not one per rank.
int usage_error(const std::string& message) {
  if (first_launched_process()) fmt::print(stderr, "gemmsweep: error: {}\n", message);
  return static_cast<int>(ExitStatus::bad_input);
}

int plan_command(const std::string& job, const std::optional<std::string>& gpu_option,
                 const std::optional<std::string>& gpu_spec_option) {
  if (has_advise_table(read_job_text(job)))
    return advise_plan_command(job, gpu_option, gpu_spec_option);
  const JobSpec spec = parse_job_file(job);
  const GpuSpec gpu = gpu_of_options(gpu_option, gpu_spec_option, spec);
  const Grid grid = expand(spec);
  const auto predict = [&gpu](const Task& t) { return predict_seconds(t, gpu); };
  std::cout << render_plan(summarize_plan(spec, grid, predict, gpu.name));
  return 0;
}

int report_command(const std::string& path, const std::string& format_text) {
  const auto format = parse_report_format(format_text);
  if (!format)
    return usage_error(
        fmt::format("--format: unknown format '{}'; allowed: table, csv, json", format_text));
  const ResultsFile file = read_results_file(path);
  write_report(file, *format, std::cout);
  if (*format == ReportFormat::table)
    std::cout << render_calibration(summarize_calibration(file.rows));
  return 0;
}

int merge_command(const std::string& out, const std::vector<std::string>& inputs,
                  const std::string& command_line, bool allow_different_jobs) {
  check_output_directory(out);  // before the writer lock fails on it less directly
  const MergeSummary s =
      merge_results(out, inputs, command_line, grid_of_any_job_text, allow_different_jobs);
  fmt::print(stderr,
             "gemmsweep: merged {} file(s), {} rows read, {} written, {} duplicate(s) dropped, "
             "{} device(s){}\n",
             s.inputs, s.rows_read, s.rows_written, s.duplicates_dropped, s.devices,
             s.unwritten_rows > 0
                 ? fmt::format(", {} unwritten row(s) of a failed write ignored", s.unwritten_rows)
                 : std::string());
  if (!s.complete) {
    // DESIGN.md: 3 is incomplete. One shard alone, or failed tasks, leave tasks without a row.
    fmt::print(stderr, "gemmsweep: {} is incomplete: {}\n", out,
               s.grid_known ? fmt::format("{} of {} task(s) of the grid have no ok or skipped row",
                                          s.missing_tasks, s.grid_tasks)
                            : fmt::format("cannot tell which tasks it lacks ({})", s.grid_problem));
    return static_cast<int>(ExitStatus::interrupted);
  }
  return 0;
}

int recover_command(const std::string& path) {
  const RecoveryResult r = recover_results_file(path);
  fmt::print(stderr, "gemmsweep: {}: {}; {} row(s), readable by any HDF5 tool\n", path,
             r.was_needed ? "recovered" : "was closed by its writer, nothing to recover", r.rows);
  return 0;
}

}  // namespace

int gemmsweep_main(int argc, char** argv) {
  // A sweep's signals (run, advise) are caught from the process's start (main.cpp installs them
  // before the libraries' constructors; this guard adopts them, or installs them when
  // gemmsweep_main runs in a test); the other commands keep the default actions.
  std::optional<SignalGuard> run_signals;
  if (argc > 1 && (std::string_view(argv[1]) == "run" || std::string_view(argv[1]) == "advise"))
    run_signals.emplace();
  CLI::App app{"gemmsweep: GEMM throughput of transformer shapes, swept across GPUs under MPI"};
  app.set_version_flag("--version",
                       fmt::format("gemmsweep {} ({})", GEMMSWEEP_VERSION, GEMMSWEEP_GIT_REVISION));
  app.require_subcommand(1);

  std::string job;
  std::optional<std::string> plan_gpu, plan_gpu_spec;
  auto* plan = app.add_subcommand("plan", "expand a job file and report what it would run");
  plan->add_option("job", job, "job file (TOML)")->required();
  plan->add_option("--gpu", plan_gpu, "GPU to estimate GPU-hours for (default: [run] gpu, A100)");
  plan->add_option("--gpu-spec", plan_gpu_spec, "or a GPU spec file (TOML, e.g. from fit)");

  RunOptions ro;
  auto* run = app.add_subcommand("run", "measure every task of a job file into a results file");
  run->add_option("job", ro.job, "job file (TOML)")->required();
  run->add_option("-o,--output", ro.output, "results file (HDF5) to write")->required();
  run->add_option("--backend", ro.backend, "auto | cuda | cpu | model (default: [run] backend)");
  run->add_flag("--resume", ro.resume, "continue an existing results file: redo what is missing");
  run->add_option(
      "--ranks-per-gpu", ro.ranks_per_gpu,
      "cuda: ranks sharing one GPU, each counting on its share of its free memory (default 1)");
  run->add_option("--order", ro.order, "cost | shuffle | grid (default: [run] order, cost)");
  run->add_flag("--calibrate", ro.calibrate,
                "every rank measures a reference shape at its start and end");
  run->add_option("--simulate", ro.simulate,
                  "model backend: sleep predicted time x FACTOR per task");
  run->add_option("--shard", ro.shard, "run only shard i of K (i/K), e.g. for Slurm arrays");
  run->add_flag("--autotune", ro.autotune, "cuda: time cuBLASLt's top algorithms, keep the best");
  run->add_option("--gpu", ro.gpu, "model backend: GPU to model (default: [run] gpu, A100)");
  run->add_option("--gpu-spec", ro.gpu_spec, "model backend: or a GPU spec file (TOML)");

  FitOptions fo;
  auto* fit = app.add_subcommand(
      "fit", "fit the model's terms to measured rows, write a GPU spec file (docs/model.md)");
  fit->add_option("input", fo.input, "results file (HDF5) or reference CSV")->required();
  fit->add_option("-o,--output", fo.output, "GPU spec file (TOML) to write")->required();
  fit->add_option("--base", fo.base,
                  "A100|H100|H200|V100|MI250X: terms to start from (default: the GPU of "
                  "/devices, else A100)");
  fit->add_option("--folds", fo.folds, "K of K-fold cross-validation (default 5)");
  fit->add_option("--huber-scale", fo.huber_scale,
                  "robust loss scale on log time (default 0: 1.345 robust sd of the rows)");
  fit->add_option("--bound", fo.bound,
                  "keep every row's predicted time and TFLOP/s within this fraction (e.g. 0.25), "
                  "minimizing the loss within it (default 0: no bound)");
  fit->add_option("--hold", fo.hold,
                  "a term to hold at --base's value (compute_efficiency, ...); repeatable");
  fit->add_option("--table", fo.table,
                  "also write measured, fitted and held-out TFLOP/s per row (CSV)");

  std::string report_path, report_format = "table";
  auto* report = app.add_subcommand("report", "summarize a results file");
  report->add_option("file", report_path, "results file (HDF5)")->required();
  report->add_option("--format", report_format, "table | csv | json (default table)");

  std::string merge_out;
  std::vector<std::string> merge_inputs;
  auto* merge = app.add_subcommand("merge", "merge results files (shards, reruns) into one");
  merge->add_option("-o,--output", merge_out, "merged results file to write")->required();
  merge->add_option("inputs", merge_inputs, "results files to merge")->required();
  bool merge_different_jobs = false;
  merge->add_flag("--allow-different-jobs", merge_different_jobs,
                  "merge sweeps of different job files (grids, dtypes) into one union");

  std::string recover_path;
  auto* recover =
      app.add_subcommand("recover", "make a results file left open by its writer readable");
  recover->add_option("file", recover_path, "results file (HDF5)")->required();

  ExportOptions eo;
  auto* export_rows = app.add_subcommand("export", "every row of a results file, every column");
  export_rows->add_option("file", eo.input, "results file (HDF5)")->required();
  export_rows->add_option("--format", eo.format, "csv | jsonl (default csv)");
  export_rows->add_option("-o,--output", eo.output, "file to write (default: standard output)");
  export_rows->add_option("--op", eo.op, "only rows of this op");
  export_rows->add_option("--status", eo.status,
                          "only rows of this status: ok, skipped, failed, calib");

  AdviseCommandOptions ao;
  auto* advise = app.add_subcommand(
      "advise", "rank candidate model shapes of an [advise] job by measured training throughput");
  advise->add_option("job", ao.run.job, "advise job file (TOML with an [advise] table)")
      ->required();
  advise->add_option("-o,--output", ao.run.output, "results file to measure into (and /advice)");
  advise->add_option("--from", ao.from,
                     "rank from an existing results file instead of measuring; /advice is "
                     "written into it");
  advise->add_flag("--predict-missing", ao.advise.predict_missing,
                   "with --from: predict products the file lacks with the model (flagged)");
  advise->add_option("--device", ao.advise.device,
                     "with --from: the device type to rank from, in a file of several");
  advise->add_option("--blas-version", ao.advise.blas_version,
                     "with --from: the cuBLAS / OpenBLAS version to rank from, likewise");
  advise->add_option("--backend", ao.run.backend, "auto | cuda | cpu | model");
  advise->add_flag("--resume", ao.run.resume, "continue an existing results file");
  advise->add_option("--ranks-per-gpu", ao.run.ranks_per_gpu, "cuda: ranks sharing one GPU");
  advise->add_option("--order", ao.run.order, "cost | shuffle | grid");
  advise->add_option("--shard", ao.run.shard, "measure only shard i of K (i/K)");
  advise->add_flag("--autotune", ao.run.autotune, "cuda: time cuBLASLt's top algorithms");
  advise->add_flag("--calibrate", ao.run.calibrate,
                   "every rank measures a reference shape at its start and end");
  advise->add_option("--simulate", ao.run.simulate, "model backend: sleep predicted time x FACTOR");
  advise->add_option("--gpu", ao.run.gpu, "model backend's GPU, and the GPU of predictions");
  advise->add_option("--gpu-spec", ao.run.gpu_spec, "or a GPU spec file (TOML, e.g. from fit)");

  // CLI11 would call an unknown command a missing one; name it and the commands there are (the
  // list comes from the subcommands above, so a new command cannot be left out of it).
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    commands.push_back(sub->get_name());
  const std::string allowed = fmt::format("{}", fmt::join(commands, ", "));
  if (argc < 2)
    return usage_error(
        fmt::format("a command is required; allowed: {} (see gemmsweep --help)", allowed));
  if (argv[1][0] != '-') {
    const std::string_view command = argv[1];
    if (std::find(commands.begin(), commands.end(), command) == commands.end())
      return usage_error(fmt::format("unknown command '{}'; allowed: {} (see gemmsweep --help)",
                                     command, allowed));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ConversionError& e) {
    // CLI11 says "Could not convert: --simulate = abc": name the option, the value, the kind.
    std::string_view what = e.what();
    constexpr std::string_view prefix = "Could not convert: ";
    if (what.starts_with(prefix)) what.remove_prefix(prefix.size());
    const std::size_t eq = what.find(" = ");
    if (eq == std::string_view::npos)
      return usage_error(fmt::format("{} (see gemmsweep --help)", e.what()));
    return usage_error(
        fmt::format("{}: '{}' is not a number of the kind it takes (see gemmsweep "
                    "{} --help)",
                    what.substr(0, eq), what.substr(eq + 3), argv[1]));
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return usage_error(fmt::format("{} (see gemmsweep --help)", e.what()));
  }
  const std::string command_line = quoted_command_line(argc, argv);
  try {
    if (*plan) return plan_command(job, plan_gpu, plan_gpu_spec);
    if (*fit) return fit_command(fo);
    if (*report) return report_command(report_path, report_format);
    if (*merge) return merge_command(merge_out, merge_inputs, command_line, merge_different_jobs);
    if (*recover) return recover_command(recover_path);
    if (*export_rows) return export_command(eo);
    if (*advise) {
      ao.run.command_line = command_line;
      return advise_command(ao, argc, argv);
    }
  } catch (const AdviseError& e) {
    return usage_error(e.what());
  } catch (const JobError& e) {
    return usage_error(e.what());
  } catch (const UsageError& e) {
    return usage_error(e.what());
  } catch (const StoreError& e) {
    return usage_error(e.what());
  } catch (const std::exception& e) {
    fmt::print(stderr, "gemmsweep: error: {}\n", e.what());
    return static_cast<int>(ExitStatus::failure);
  }
  ro.command_line = command_line;
  if (const char* drain = std::getenv("GEMMSWEEP_DRAIN_SECONDS"))
    ro.drain_timeout_s = std::atof(drain);
  return run_command(ro, argc, argv);
}

}  // namespace gs
