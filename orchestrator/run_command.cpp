#include "orchestrator/run_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <unordered_set>

#include "diagnostics/api_error.hpp"
#include "io/results_store.hpp"
#include "jobs/grid.hpp"
#include "jobs/job_error.hpp"
#include "jobs/job_parser.hpp"
#include "jobs/plan_summary.hpp"
#include "orchestrator/calibration.hpp"
#include "orchestrator/collective_phase.hpp"
#include "orchestrator/device_assignment.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/local_worker_thread.hpp"
#include "orchestrator/mpi_session.hpp"
#include "orchestrator/phase_error.hpp"
#include "orchestrator/root_sweep.hpp"
#include "orchestrator/run_provenance_builder.hpp"
#include "orchestrator/run_setup.hpp"
#include "orchestrator/worker_loop.hpp"
#include "worker/collective_runner_factory.hpp"
#include "worker/model/gpu_spec_document.hpp"

namespace gs {
namespace {

// `auto` without a GPU measures on the cpu: a GPU sweep there takes far longer than plan's GPU
// estimate, so say so before it starts, with plan's bound for the cpu.
void note_cpu_fallback(const RunSetup& run, int ranks, const SweepSource& source) {
  const PlanSummary plan = summarize_plan(run.spec, source.tasks(run.spec));
  fmt::print(stderr,
             "gemmsweep: note: --backend auto found no usable GPU here, so it measures on the cpu "
             "backend (fp16 and bf16 products run as fp32); plan's estimate for the cpu: {}\n",
             render_cpu_bound(plan, ranks));
}

int run_distributed(const RunOptions& o, MpiSession& mpi, const SweepSource& source) {
  const bool root = mpi.rank() == 0;

  // 1. Inputs: rank 0 reads and checks the job file, the options and the output path; the other
  // ranks get the job file's text from it, so that every rank works from the same grid.
  std::optional<RunSetup> run;
  std::string job_text;
  PhaseError inputs;
  if (root)
    inputs.capture([&] {
      run = resolve_run_setup(o, source.parse_file(o.job));
      job_text = run->spec.text;
      check_output_path(o);
    });
  if (auto status = settle_phase(mpi, inputs)) return *status;
  broadcast_string(mpi.world(), job_text, 0);
  // Rank 0's GPU spec travels as text: a --gpu-spec file need not exist on every node.
  std::string gpu_text = root ? format_gpu_spec({run->gpu_spec, std::nullopt}) : std::string();
  broadcast_string(mpi.world(), gpu_text, 0);
  PhaseError remote_inputs;
  if (!root)
    remote_inputs.capture([&] {
      const GpuSpec gpu = parse_gpu_spec(gpu_text, "rank 0's GPU spec").gpu;
      run = resolve_run_setup(o, source.parse_text(job_text, o.job), &gpu);
    });
  if (auto status = settle_phase(mpi, remote_inputs)) return *status;

  // 2. Devices: each rank makes its backend (rank 0 on its measuring thread).
  std::string kind;
  BackendOptions bo;
  bo.model.simulate_factor = o.simulate;
  bo.model.gpu = run->gpu;
  bo.model.spec = run->gpu_spec;
  bo.cuda.autotune = run->autotune;
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
    check_collective_placement(kind, run->spec, o.ranks_per_gpu);  // `auto` may have meant cuda
    if (kind == "cuda") {
      std::optional<int> count = visible_gpu_count(visible_env, driver_gpu_count());
      // Without /proc/driver/nvidia (some containers) ask the runtime, rather than let every
      // rank of the node fall back to device 0.
      if (!count && cuda_backend_device_count() > 0) count = cuda_backend_device_count();
      if (count)
        bo.cuda.device_index =
            gpu_for_rank(visible, mpi.node_rank(), *count, o.ranks_per_gpu, host_name());
    }
    bo.cpu.threads =
        cpu_threads_for_rank(affinity_cpu_count(), online_cpu_count(), mpi.node_size());
    bo.cpu.ranks_on_node = mpi.node_size();
    bo.cuda.ranks_per_gpu = std::min(o.ranks_per_gpu, mpi.node_size());
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
      collectives = make_collective_runner(kind, bo.cuda.device_index);
  });
  if (auto status = settle_phase(mpi, devices_phase)) return *status;
  info.rank = mpi.rank();
  if (info.host.empty()) info.host = host_name();
  if (info.backend.empty()) info.backend = kind;
  std::vector<DeviceInfo> devices;
  for (const std::string& bytes : gather_strings(mpi.world(), pack_device_info(info), 0))
    devices.push_back(unpack_device_info(bytes));

  // 3. The results file, only now that everything else is known to be fine. Every rank expands
  // the grid itself (it is deterministic); rank 0 holds a resumed file's rows against it.
  const Grid grid = source.tasks(run->spec);
  std::optional<ResultsStore> store;
  std::size_t already_done = 0;
  PhaseError store_phase;
  if (root)
    store_phase.capture([&] {
      const RunProvenance p = make_provenance(*run, o, kind, devices);
      std::error_code ec;
      if (o.resume && std::filesystem::exists(o.output, ec)) {
        std::unordered_set<std::uint64_t> grid_ids;
        for (const Task& t : grid.tasks) grid_ids.insert(t.id);
        for (const SkippedTask& s : grid.skipped) grid_ids.insert(s.task.id);
        store.emplace(ResultsStore::resume(o.output, p, &grid_ids));
      } else {
        store.emplace(ResultsStore::create(o.output, p));
      }
      already_done = store->finished().size();
    });
  if (auto status = settle_phase(mpi, store_phase)) return *status;
  // Said once the run is sure to start, so that bad input stays one line.
  if (root && run->backend == "auto" && kind == "cpu") note_cpu_fallback(*run, mpi.size(), source);

  // 4. The sweep.
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
      mine = run_root_sweep(RootSweep{mpi, *run, o, kind, grid, *store, devices, *local, ws,
                                      already_done, collectives.get()});
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

SweepSource job_file_sweep() {
  return {[](const std::string& path) { return parse_job_file(path); },
          [](std::string_view text, const std::string& path) { return parse_job_text(text, path); },
          [](const JobSpec& spec) { return expand(spec); }};
}

int run_command(const RunOptions& options, int& argc, char**& argv, const SweepSource& source) {
  try {
    MpiSession mpi(argc, argv);
    return run_distributed(options, mpi, source);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gemmsweep: error: {}\n", e.what());
    return static_cast<int>(ExitStatus::failure);
  }
}

}  // namespace gs
