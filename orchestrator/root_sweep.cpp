#include "orchestrator/root_sweep.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <unordered_set>

#include "jobs/timing_settings.hpp"
#include "orchestrator/calibration.hpp"
#include "orchestrator/collective_phase.hpp"
#include "orchestrator/coordinator.hpp"
#include "orchestrator/phase_error.hpp"

namespace gs {
namespace {

ResultRow make_calibration_row(const Task& task, const TaskOutcome& o, int rank,
                               const DeviceInfo& device, std::uint64_t run_stamp_s) {
  const bool end = o.item.index == kCalibrationEnd;
  ResultRow row =
      make_result_row(task, o.measurement, rank, device.host, device.name, 1, o.started_unix);
  const std::uint64_t point = calibration_point_id(run_stamp_s, rank, end);
  row.point_id = point;
  row.task_id = task_id(point, task.op);
  row.status = std::string(kCalibrationStatus);
  row.message =
      std::string(end ? "calibration end" : "calibration start") +
      (o.kind == OutcomeKind::threw || o.kind == OutcomeKind::device_lost ? ": failed: " + o.error
                                                                          : std::string());
  return row;
}

// A resumed file's rows that count for nothing (a forged or damaged file): say so, since their
// tasks are measured again. (Rows of tasks outside the grid are refused by ResultsStore::resume.)
void note_ignored_rows(const ResultsStore& store, const std::string& path) {
  if (store.unknown_status_rows() > 0)
    fmt::print(stderr,
               "gemmsweep: note: {}: ignored {} row(s) whose status gemmsweep does not write (ok, "
               "skipped, failed, calib)\n",
               path, store.unknown_status_rows());
}

}  // namespace

ExitStatus run_root_sweep(const RootSweep& sweep) {
  const MpiSession& mpi = sweep.mpi;
  const RunSetup& run = sweep.run;
  const RunOptions& o = sweep.options;
  const std::string& kind = sweep.kind;
  const Grid& grid = sweep.grid;
  ResultsStore& store = sweep.store;
  const std::vector<DeviceInfo>& devices = sweep.devices;
  LocalWorkerThread& local = sweep.local;
  const WorkerSetup& worker_setup = sweep.worker_setup;
  const std::size_t already_done = sweep.already_done;
  CollectiveRunner* collectives = sweep.collectives;
  const auto& finished = store.finished();
  std::vector<std::uint32_t> todo, collective_todo;
  for (std::uint32_t i = 0; i < grid.tasks.size(); ++i) {
    const Task& t = grid.tasks[i];
    if (in_shard(t, run.spec, run.shard) && !finished.contains(t.id))
      (is_collective(t.op) ? collective_todo : todo).push_back(i);
  }
  note_ignored_rows(store, o.output);
  std::vector<ResultRow> skipped_rows;
  for (const SkippedTask& s : grid.skipped)
    if (in_shard(s.task, run.spec, run.shard) && !finished.contains(s.task.id))
      skipped_rows.push_back(make_skipped_row(s));
  // Collectives whose group this run cannot form, or that this backend cannot run, depend on the
  // run, not on the grid: they are recorded failed, so that --resume with more ranks or another
  // backend measures them (a skipped row would count as finished).
  std::vector<std::string> hosts;
  for (const DeviceInfo& d : devices) hosts.push_back(d.host);
  CollectivePhaseSetup phase;
  phase.tasks = &grid.tasks;
  phase.runner = collectives;
  phase.timing = run.spec.timing;
  phase.devices = devices;
  phase.write_rows = [&store](const std::vector<ResultRow>& rows) { store.append(rows); };
  if (collectives) {
    phase.plan = plan_gangs(grid.tasks, collective_todo, hosts);
  } else {
    for (std::uint32_t i : collective_todo)
      phase.plan.refused.push_back(
          {i, fmt::format("backend {} has no collectives; use --backend cpu (MPI) or cuda (NCCL)",
                          kind)});
  }
  for (const GangRefusal& r : phase.plan.refused) {
    ResultRow row = make_skipped_row({grid.tasks[r.index], r.reason});
    row.status = std::string(to_string(TaskStatus::failed));
    skipped_rows.push_back(std::move(row));
  }
  if (!skipped_rows.empty()) store.append(skipped_rows);
  store.add_devices(devices);

  const GpuSpec& gpu = run.gpu_spec;
  const auto predict = [&gpu](const Task& t) { return predict_seconds(t, gpu); };
  const std::uint64_t seed = 0x5eed;
  std::vector<std::uint32_t> order = order_tasks(grid.tasks, todo, run.order, predict, seed);

  const std::size_t refused = phase.plan.refused.size();
  fmt::print(stderr,
             "gemmsweep: {}: {} task(s) to measure, {} skipped, {}{} already in {}; backend {}, "
             "{} rank(s){}\n",
             run.spec.name, order.size() + phase.plan.assignments.size(),
             skipped_rows.size() - refused,
             refused > 0
                 ? fmt::format("{} collective(s) this run cannot form (recorded failed), ", refused)
                 : std::string(),
             already_done, o.output, kind, mpi.size(),
             run.shard.count > 1 ? fmt::format(", shard {}/{}", run.shard.index, run.shard.count)
                                 : std::string());

  const auto run_stamp_s = static_cast<std::uint64_t>(std::time(nullptr));
  CoordinatorLinks links(mpi.world(), local.line());
  CoordinatorSetup cs;
  cs.tasks = &grid.tasks;
  cs.order = std::move(order);
  cs.ranks = mpi.size();
  cs.devices = devices;
  cs.drain_timeout_s = o.drain_timeout_s;
  cs.write_rows = [&store](const std::vector<ResultRow>& rows) { store.append(rows); };
  cs.calibration_row = [&](int rank, const TaskOutcome& outcome) {
    return make_calibration_row(worker_setup.calibration_task, outcome, rank,
                                devices.at(static_cast<std::size_t>(rank)), run_stamp_s);
  };
  // What plan estimates for each task (warm-ups and samples at the predicted call time); the
  // ETA corrects it by the measured ratio of real to predicted time.
  cs.predicted_cost_s.assign(grid.tasks.size(), 0.0);
  for (std::uint32_t i : cs.order)
    cs.predicted_cost_s[i] = sampled_wall_seconds(predict(grid.tasks[i]), run.spec.timing);
  cs.terminal = isatty(STDERR_FILENO) != 0;
  cs.show_progress = !cs.order.empty();  // a collective-only job has no GEMM sweep to show
  phase.terminal = cs.terminal;
  phase.show_progress = true;
  local.start(worker_setup);
  const CoordinatorReport report = run_coordinator(links, cs);

  if (report.drain_timed_out) {
    store.close(false);
    fmt::print(stderr,
               "gemmsweep: gave up waiting for work in flight after {:.3g} s; {} is consistent, "
               "run again with --resume to finish it\n",
               o.drain_timeout_s, o.output);
    local.abandon();
    abort_all(mpi, ExitStatus::interrupted);
  }
  phase.stop_at_once = report.interrupted;
  const CollectivePhaseReport collective = run_collective_phase(mpi.world(), phase);
  const bool all_settled =
      report.all_settled && collective.settled == phase.plan.assignments.size();
  // Failed rows leave the file incomplete (DESIGN.md: exit 3, resumable): --resume measures them
  // again, and `complete` says whether every task has a measured or skipped row.
  const std::size_t failed = report.failed + collective.failed + phase.plan.refused.size();
  store.close(all_settled && failed == 0);

  if (all_settled && failed == 0) return ExitStatus::complete;
  if (failed > 0)
    fmt::print(stderr,
               "gemmsweep: {}{} task(s) failed; their rows say why (gemmsweep report {}); "
               "--resume tries them again\n",
               all_settled ? "incomplete: " : "", failed, o.output);
  if (!all_settled)
    fmt::print(stderr,
               "gemmsweep: interrupted: {} of {} task(s) done; run the same command with "
               "--resume to finish {}\n",
               report.settled + collective.settled, cs.order.size() + phase.plan.assignments.size(),
               o.output);
  return ExitStatus::interrupted;
}

}  // namespace gs
