#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "worker/cuda/nvml_library.hpp"
#include "worker/cuda/throttle_summary.hpp"

namespace gs {

// Watches one device for clock capping while a point's samples run: a thread polls NVML's
// clocks-event reasons every `period` (the reasons are instantaneous, and the readings before
// and after a point see an idle GPU), and the power / thermal violation counters are read at
// the start and at stop(). Without NVML it polls nothing and reports nothing.
class ThrottleWatch {
 public:
  ThrottleWatch(const NvmlLibrary& nvml, NvmlLibrary::DeviceHandle device,
                std::chrono::milliseconds period = std::chrono::milliseconds(10));
  ~ThrottleWatch();
  ThrottleWatch(const ThrottleWatch&) = delete;
  ThrottleWatch& operator=(const ThrottleWatch&) = delete;

  // Ends the watch (idempotent) and says what it saw.
  ThrottleSummary stop();

 private:
  void poll_until_stopped();

  const NvmlLibrary& nvml_;
  NvmlLibrary::DeviceHandle device_;
  std::chrono::milliseconds period_;
  NvmlLibrary::ViolationTimes start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  ThrottleSummary summary_;  // guarded by mutex_ while the thread runs
  std::thread poller_;
};

}  // namespace gs
