#include "orchestrator/run_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>

#include "io/results_store.hpp"
#include "jobs/grid.hpp"
#include "jobs/job_error.hpp"
#include "jobs/job_parser.hpp"
#include "orchestrator/calibration.hpp"
#include "orchestrator/collective_phase.hpp"
#include "orchestrator/coordinator.hpp"
#include "orchestrator/device_assignment.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/local_worker_thread.hpp"
#include "orchestrator/mpi_check.hpp"
#include "orchestrator/mpi_session.hpp"
#include "orchestrator/run_provenance_builder.hpp"
#include "orchestrator/run_setup.hpp"
#include "orchestrator/signal_guard.hpp"
#include "orchestrator/worker_loop.hpp"

namespace gs {
namespace {

// An error of one phase on this rank, as the exit status it maps to and its one-line text.
struct PhaseError {
  std::string message;
  ExitStatus code = ExitStatus::complete;

  template <class Fn>
  void capture(Fn&& fn) {
    try {
      fn();
    } catch (const JobError& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const UsageError& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const BackendUnavailable& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const StoreError& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const std::exception& e) {
      set(e.what(), ExitStatus::failure);
    }
  }
  void set(std::string text, ExitStatus c) {
    if (!message.empty()) return;
    message = std::move(text);
    code = c;
  }
};

// Agrees on the first error of a phase across ranks; rank 0 prints it. Returns the exit status to
// leave with, or nullopt to go on.
std::optional<int> settle_phase(const MpiSession& mpi, const PhaseError& mine) {
  std::string text = mine.message;
  if (!text.empty() && mpi.size() > 1)
    text = fmt::format("rank {} on host {}: {}", mpi.rank(), host_name(), text);
  const RankError e = agree_on_error(mpi.world(), text, static_cast<int>(mine.code));
  if (e.rank < 0) return std::nullopt;
  if (mpi.rank() == 0) fmt::print(stderr, "gemmsweep: error: {}\n", e.message);
  return e.code;
}

ResultRow make_calibration_row(const Task& task, const TaskOutcome& o, int rank,
                               const DeviceInfo& device, std::uint64_t run_stamp_s) {
  const bool end = o.item.index == kCalibrationEnd;
  ResultRow row =
      make_result_row(task, o.measurement, rank, device.host, device.name, 1, o.started_unix);
  const std::uint64_t point = calibration_point_id(run_stamp_s, rank, end);
  row.point_id = point;
  row.task_id = task_id(point, task.op);
  row.status = std::string(kCalibrationStatus);
  row.message = std::string(end ? "calibration end" : "calibration start") +
                (o.kind == OutcomeKind::threw ? ": failed: " + o.error : std::string());
  return row;
}

int final_status(const MpiSession& mpi, ExitStatus mine) {
  int severity = exit_severity(mine), worst = 0;
  MPI_CHECK(MPI_Allreduce(&severity, &worst, 1, MPI_INT, MPI_MAX, mpi.world()));
  return static_cast<int>(status_of_severity(worst));
}

[[noreturn]] void abort_all(const MpiSession& mpi, ExitStatus status) {
  std::fflush(stderr);
  MPI_Abort(mpi.world(), static_cast<int>(status));
  std::_Exit(static_cast<int>(status));
}

// Rank 0 once the workers are up: the store, the task list, the scheduler.
ExitStatus run_root(const MpiSession& mpi, const RunSetup& run, const RunOptions& o,
                    const std::string& kind, const Grid& grid, ResultsStore& store,
                    const std::vector<DeviceInfo>& devices, LocalWorkerThread& local,
                    const WorkerSetup& worker_setup, std::size_t already_done,
                    CollectiveRunner* collectives) {
  const auto& finished = store.finished();
  std::vector<std::uint32_t> todo, collective_todo;
  for (std::uint32_t i = 0; i < grid.tasks.size(); ++i) {
    const Task& t = grid.tasks[i];
    if (in_shard(t, run.spec, run.shard) && !finished.contains(t.id))
      (is_collective(t.op) ? collective_todo : todo).push_back(i);
  }
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

  const GpuSpec& gpu = *run.gpu_spec;
  const auto predict = [&gpu](const Task& t) { return predict_seconds(t, gpu); };
  const std::uint64_t seed = 0x5eed;
  std::vector<std::uint32_t> order = order_tasks(grid.tasks, todo, run.order, predict, seed);

  fmt::print(stderr,
             "gemmsweep: {}: {} task(s) to measure, {} skipped, {} already in {}; backend {}, {} "
             "rank(s){}\n",
             run.spec.name, order.size() + phase.plan.assignments.size(), skipped_rows.size(),
             already_done, o.output, kind, mpi.size(),
             run.shard.count > 1 ? fmt::format(", shard {}/{}", run.shard.index, run.shard.count)
                                 : std::string());

  const auto run_stamp_s = static_cast<std::uint64_t>(std::time(nullptr));
  LocalLine line;
  CoordinatorLinks links(mpi.world(), line);
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
  cs.terminal = isatty(STDERR_FILENO) != 0;
  cs.show_progress = !cs.order.empty();  // a collective-only job has no GEMM sweep to show
  phase.terminal = cs.terminal;
  phase.show_progress = true;
  local.start(worker_setup, line);
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

int run_distributed(const RunOptions& o, MpiSession& mpi) {
  const bool root = mpi.rank() == 0;

  // 1. Inputs: rank 0 reads and checks the job file, the options and the output path; the other
  // ranks get the job file's text from it, so that every rank works from the same grid.
  std::optional<RunSetup> run;
  std::string job_text;
  PhaseError inputs;
  if (root)
    inputs.capture([&] {
      run = resolve_run_setup(o, parse_job_file(o.job));
      job_text = run->spec.text;
      check_output_path(o);
    });
  if (auto status = settle_phase(mpi, inputs)) return *status;
  broadcast_string(mpi.world(), job_text, 0);
  PhaseError remote_inputs;
  if (!root)
    remote_inputs.capture([&] { run = resolve_run_setup(o, parse_job_text(job_text, o.job)); });
  if (auto status = settle_phase(mpi, remote_inputs)) return *status;

  // 2. Devices: each rank makes its backend (rank 0 on its measuring thread).
  std::string kind;
  BackendOptions bo;
  bo.simulate_factor = o.simulate;
  bo.gpu = run->gpu;
  bo.autotune = run->autotune;
  const char* visible_env = std::getenv("CUDA_VISIBLE_DEVICES");
  const std::vector<std::string> visible =
      allgather_strings(mpi.node(), visible_env ? visible_env : "<unset>");
  std::unique_ptr<LocalWorkerThread> local;
  std::unique_ptr<Backend> backend;
  std::unique_ptr<CollectiveRunner> collectives;
  DeviceInfo info;
  PhaseError kind_phase;
  kind_phase.capture([&] { kind = resolve_backend_kind(run->backend); });
  if (auto status = settle_phase(mpi, kind_phase)) return *status;
  // Each rank resolves `auto` from what it sees: a rank without a usable GPU would otherwise
  // measure on its CPU and mix cpu rows into a GPU sweep under one `backend` attribute.
  const std::vector<std::string> kinds = allgather_strings(mpi.world(), kind);
  PhaseError agree_phase;
  agree_phase.capture([&] {
    for (std::size_t r = 1; r < kinds.size(); ++r)
      if (kinds[r] != kinds[0])
        throw UsageError(fmt::format(
            "--backend {} means {} on rank 0 but {} on rank {}; give every rank the same "
            "devices or name the backend",
            run->backend, kinds[0], kinds[r], r));
  });
  if (auto status = settle_phase(mpi, agree_phase)) return *status;
  PhaseError devices_phase;
  devices_phase.capture([&] {
    if (kind == "cuda") {
      std::optional<int> count = visible_gpu_count(visible_env, driver_gpu_count());
      // Without /proc/driver/nvidia (some containers) ask the runtime, rather than let every
      // rank of the node fall back to device 0.
      if (!count && cuda_backend_device_count() > 0) count = cuda_backend_device_count();
      if (count)
        bo.device_index =
            gpu_for_rank(visible, mpi.node_rank(), *count, o.ranks_per_gpu, host_name());
    }
    bo.threads = cpu_threads_for_rank(affinity_cpu_count(), online_cpu_count(), mpi.node_size());
    if (root) {
      local = std::make_unique<LocalWorkerThread>(kind, bo);
      if (!local->error().empty()) {
        if (local->error_is_usage()) throw UsageError(local->error());
        throw std::runtime_error(local->error());
      }
      info = local->device_info();
    } else {
      try {
        backend = make_backend(kind, bo);
      } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());  // e.g. an option the backend refuses
      }
      info = backend->device_info();
    }
    // Collectives run on the main thread (the one that may call MPI), after the GEMMs.
    bool any_collective = false;
    for (Op op : run->spec.ops) any_collective = any_collective || is_collective(op);
    if (any_collective && has_collective_runner(kind))
      collectives = make_collective_runner(kind, bo.device_index);
  });
  if (auto status = settle_phase(mpi, devices_phase)) return *status;
  info.rank = mpi.rank();
  if (info.host.empty()) info.host = host_name();
  if (info.backend.empty()) info.backend = kind;
  std::vector<DeviceInfo> devices;
  for (const std::string& bytes : gather_strings(mpi.world(), pack_device_info(info), 0))
    devices.push_back(unpack_device_info(bytes));

  // 3. The results file, only now that everything else is known to be fine.
  std::optional<ResultsStore> store;
  std::size_t already_done = 0;
  PhaseError store_phase;
  if (root)
    store_phase.capture([&] {
      const RunProvenance p = make_provenance(*run, o, kind, devices);
      std::error_code ec;
      store.emplace(o.resume && std::filesystem::exists(o.output, ec)
                        ? ResultsStore::resume(o.output, p)
                        : ResultsStore::create(o.output, p));
      already_done = store->finished().size();
    });
  if (auto status = settle_phase(mpi, store_phase)) return *status;

  // 4. The sweep.
  const Grid grid = expand(run->spec);
  WorkerSetup ws;
  ws.tasks = &grid.tasks;
  ws.timing = run->spec.timing;
  ws.faults = run->faults;
  ws.rank = mpi.rank();
  ws.calibrate = o.calibrate;
  ws.calibration_task = calibration_task(run->spec.dtypes.front(), kind);
  ExitStatus mine = ExitStatus::complete;
  if (root) {
    try {
      mine = run_root(mpi, *run, o, kind, grid, *store, devices, *local, ws, already_done,
                      collectives.get());
    } catch (const std::exception& e) {
      fmt::print(stderr, "gemmsweep: error: rank 0 on host {}: {}\n", host_name(), e.what());
      store.reset();  // flush what arrived, so that --resume keeps it
      local->abandon();
      abort_all(mpi, ExitStatus::failure);
    }
  } else {
    try {
      ws.backend = backend.get();
      MpiWorkerLink link(mpi.world());
      run_worker(link, ws);
      CollectivePhaseSetup phase;
      phase.tasks = &grid.tasks;
      phase.runner = collectives.get();
      phase.timing = run->spec.timing;
      run_collective_phase(mpi.world(), phase);
    } catch (const std::exception& e) {
      fmt::print(stderr, "gemmsweep: error: rank {} on host {}: {}\n", mpi.rank(), host_name(),
                 e.what());
      abort_all(mpi, ExitStatus::failure);
    }
  }
  local.reset();  // joins rank 0's measuring thread, which has said goodbye
  return final_status(mpi, mine);
}

}  // namespace

int run_command(const RunOptions& options, int& argc, char**& argv) {
  SignalGuard signals;
  try {
    MpiSession mpi(argc, argv);
    return run_distributed(options, mpi);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gemmsweep: error: {}\n", e.what());
    return static_cast<int>(ExitStatus::failure);
  }
}

}  // namespace gs
