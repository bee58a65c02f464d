#include "worker/cuda/throttle_watch.hpp"

namespace gs {

ThrottleWatch::ThrottleWatch(const NvmlLibrary& nvml, NvmlLibrary::DeviceHandle device,
                             std::chrono::milliseconds period)
    : nvml_(nvml), device_(device), period_(period), start_(nvml.violation_times(device)) {
  if (nvml_.available() && device_ != nullptr)
    poller_ = std::thread([this] { poll_until_stopped(); });
}

ThrottleWatch::~ThrottleWatch() { stop(); }

void ThrottleWatch::poll_until_stopped() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const std::uint64_t reasons = nvml_.clocks_event_reasons(device_);
    lock.lock();
    summary_.reasons |= reasons;
    ++summary_.polls;
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

ThrottleSummary ThrottleWatch::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return summary_;
    stopping_ = true;
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
  const NvmlLibrary::ViolationTimes end = nvml_.violation_times(device_);
  std::lock_guard lock(mutex_);
  if (start_.known && end.known) {
    // Counters only grow; a driver reload between the readings would make one shrink.
    summary_.power_violation_ns =
        end.power_ns > start_.power_ns ? end.power_ns - start_.power_ns : 0;
    summary_.thermal_violation_ns =
        end.thermal_ns > start_.thermal_ns ? end.thermal_ns - start_.thermal_ns : 0;
  }
  return summary_;
}

}  // namespace gs
