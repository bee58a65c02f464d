#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "worker/device_info.hpp"
#include "worker/measurement.hpp"

namespace gs {

// One unit handed to a worker: a task (its index in the grid's task list) and which attempt.
struct WorkItem {
  std::uint32_t index = 0;
  std::int32_t attempt = 1;
  bool operator==(const WorkItem&) const = default;
};

// What happened to a work item on a worker.
enum class OutcomeKind : std::uint8_t {
  measured = 0,   // the backend returned a measurement (ok or skipped)
  threw = 1,      // measure() threw, or returned failed: retried elsewhere
  abandoned = 2,  // not started because the sweep is draining (or the rank lost its device)
  // measure() threw an ApiError that says the device is lost (a sticky CUDA error): the rank
  // takes no more work, and the task is retried once on another rank
  device_lost = 3,
};

struct TaskOutcome {
  WorkItem item;
  OutcomeKind kind = OutcomeKind::measured;
  Measurement measurement;  // when measured
  std::string error;        // when threw or device_lost
  double started_unix = 0;  // wall clock when measuring began
  double elapsed_s = 0;     // wall time the worker spent on it
};

// Message bodies between ranks (tags in coordinator.hpp).
std::string pack_work(const std::vector<WorkItem>& items);
std::vector<WorkItem> unpack_work(const std::string& bytes);
std::string pack_outcomes(const std::vector<TaskOutcome>& outcomes);
std::vector<TaskOutcome> unpack_outcomes(const std::string& bytes);
std::string pack_device_info(const DeviceInfo& info);
DeviceInfo unpack_device_info(const std::string& bytes);

}  // namespace gs
