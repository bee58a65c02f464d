#pragma once
#include <mpi.h>

#include <functional>
#include <vector>

#include "io/result_row.hpp"
#include "jobs/task.hpp"
#include "jobs/timing_settings.hpp"
#include "orchestrator/gang_planner.hpp"
#include "worker/comm/collective_runner.hpp"
#include "worker/device_info.hpp"

namespace gs {

// After the GEMM sweep, every rank runs the collective tasks in lock-step on its main thread
// (the one thread that may call MPI): rank 0 broadcasts an assignment (task, members), the
// members split a communicator for the group (made once per member set and kept), measure it
// together, and rank 0 gathers the first member's outcome and writes its row.
struct CollectivePhaseSetup {
  const std::vector<Task>* tasks = nullptr;
  CollectiveRunner* runner = nullptr;  // may be null on a rank that is never a member
  TimingSettings timing;
  // Rank 0 only.
  GangPlan plan;
  std::vector<DeviceInfo> devices;  // by rank
  std::function<void(const std::vector<ResultRow>&)> write_rows;
  bool stop_at_once = false;   // the GEMM sweep was interrupted: measure nothing
  bool show_progress = false;  // a progress line on stderr, as the GEMM sweep has
  bool terminal = false;
};

struct CollectivePhaseReport {
  bool interrupted = false;  // a signal stopped it before every assignment ran
  std::size_t settled = 0;   // rows written (ok, skipped or failed)
  std::size_t failed = 0;
};

// Collective over `world`: every rank must call it, once.
CollectivePhaseReport run_collective_phase(MPI_Comm world, const CollectivePhaseSetup& setup);

}  // namespace gs
