#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "io/results_store.hpp"
#include "jobs/grid.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/local_worker_thread.hpp"
#include "orchestrator/mpi_session.hpp"
#include "orchestrator/run_options.hpp"
#include "orchestrator/run_setup.hpp"
#include "orchestrator/worker_loop.hpp"
#include "worker/comm/collective_runner.hpp"
#include "worker/device_info.hpp"

namespace gs {

// What rank 0 holds once every rank has its backend and the results file is open.
struct RootSweep {
  const MpiSession& mpi;
  const RunSetup& run;
  const RunOptions& options;
  const std::string& kind;  // the backend every rank resolved
  const Grid& grid;
  ResultsStore& store;
  const std::vector<DeviceInfo>& devices;  // by rank
  LocalWorkerThread& local;                // rank 0's own measuring thread
  const WorkerSetup& worker_setup;
  std::size_t already_done = 0;  // rows the store held before this run
  CollectiveRunner* collectives = nullptr;
};

// Rank 0's side of the sweep: records the skipped and unformable tasks, schedules the GEMM tasks
// over every rank (itself included), then runs the collective phase, and closes the store.
// Returns complete, or interrupted when a signal stopped it or some task ended failed.
ExitStatus run_root_sweep(const RootSweep& sweep);

}  // namespace gs
