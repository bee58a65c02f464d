#pragma once
#include <cstdint>
#include <vector>

#include "jobs/task.hpp"
#include "jobs/timing_settings.hpp"
#include "orchestrator/fault_injection.hpp"
#include "orchestrator/message_channels.hpp"
#include "orchestrator/task_outcome.hpp"
#include "worker/backend.hpp"

namespace gs {

// Work-item indices of the calibration measurements, outside any task list.
inline constexpr std::uint32_t kCalibrationStart = 0xFFFFFFFFu;
inline constexpr std::uint32_t kCalibrationEnd = 0xFFFFFFFEu;

struct WorkerSetup {
  Backend* backend = nullptr;
  const std::vector<Task>* tasks = nullptr;  // the grid's task list, the same on every rank
  TimingSettings timing;
  FaultInjection faults;
  int rank = 0;
  bool calibrate = false;
  Task calibration_task;
};

// Measures one item, turning an exception (or a failed measurement) into an outcome.
TaskOutcome execute_item(const WorkerSetup& setup, const Task& task, WorkItem item);

// A worker's life: calibrate, then measure the batches rank 0 sends, one in reserve, until rank 0
// says stop; a signal abandons what has not started (its items go back as abandoned, so rank 0
// need not wait for them). A task that loses the device (ApiError::device_lost) retires the rank:
// it says why on stderr and sends back everything else unstarted, abandoned, until the stop.
// Ends with kTagBye. Exceptions other than a task's own propagate.
void run_worker(WorkerLink& link, const WorkerSetup& setup);

}  // namespace gs
