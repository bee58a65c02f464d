#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/result_row.hpp"
#include "jobs/task.hpp"
#include "orchestrator/dispatcher.hpp"
#include "orchestrator/message_channels.hpp"
#include "worker/device_info.hpp"

namespace gs {

// Rank 0's scheduler. It runs on rank 0's main thread, the only thread that calls MPI
// (MPI_THREAD_FUNNELED), while a second thread of rank 0 measures like any other worker and
// talks to it through a LocalLine.
//
// Why a thread and not non-blocking progress polled between samples: a backend's measure() is
// one call that may take seconds (cuBLAS warm-up, 200 samples, a cuBLASLt autotune), and the
// Backend interface offers no hook between samples. Polling between tasks would leave every other
// rank waiting on rank 0 for up to a whole measurement once its reserve runs out. A scheduler
// thread answers within microseconds whatever rank 0's GPU is doing; it costs one host core,
// which a GPU node has to spare (the measuring thread only launches kernels). With FUNNELED the
// MPI library needs no locking, and the thread is idle-polling with a backoff, not spinning.
struct CoordinatorSetup {
  const std::vector<Task>* tasks = nullptr;
  std::vector<std::uint32_t> order;  // indices into *tasks, to hand out in this order
  int ranks = 1;
  std::vector<DeviceInfo> devices;  // by rank
  DispatchPolicy policy;
  double drain_timeout_s = 30;  // bounded wait for in-flight work after a signal
  std::function<void(const std::vector<ResultRow>&)> write_rows;
  // Calibration rows (rank, outcome) -> row; rows go through write_rows.
  std::function<ResultRow(int rank, const TaskOutcome&)> calibration_row;
  bool terminal = false;  // progress line style
  std::chrono::duration<double> progress_interval = std::chrono::seconds(10);
  bool show_progress = true;
  // Predicted cost of each task of `order`, by task index (0 for the others): the progress
  // line's ETA comes from it (EtaEstimator). Empty: the ETA counts tasks.
  std::vector<double> predicted_cost_s;
};

struct CoordinatorReport {
  bool all_settled = false;      // every task of this run has its final row
  bool interrupted = false;      // a signal stopped the sweep
  bool drain_timed_out = false;  // some rank did not answer within drain_timeout_s
  std::size_t settled = 0, failed = 0, retried = 0;
  std::vector<std::size_t> rows_by_rank;
};

// Throws when a worker leaves with an error (kTagBye with a reason): what it held never comes
// back, so the caller flushes the store and aborts the job with status 1.
CoordinatorReport run_coordinator(CoordinatorLinks& links, const CoordinatorSetup& setup);

// The row of a task whose attempts all threw.
ResultRow make_failed_row(const Task& task, const TaskOutcome& outcome, int rank,
                          const DeviceInfo& device, int max_attempts);

}  // namespace gs
