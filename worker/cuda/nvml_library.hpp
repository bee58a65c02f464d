#pragma once
#include <cstdint>
#include <string>

#include "worker/measurement.hpp"

namespace gs {

// NVML loaded at run time with dlopen("libnvidia-ml.so.1"): no NVML header or library exists at
// build time, and a machine without a driver must still run the binary. The few entry points used
// are declared here from the public NVML API. When the library or a function is absent, every
// query answers empty / zero and nothing throws.
class NvmlLibrary {
 public:
  struct Functions;
  using DeviceHandle = struct nvmlDevice_st*;

  NvmlLibrary();
  ~NvmlLibrary();
  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;

  bool available() const { return initialised_; }
  // Why NVML is not available ("libnvidia-ml.so.1: cannot open ..."), empty when it is.
  const std::string& unavailable_reason() const { return reason_; }

  // The NVML device of a CUDA device, matched by PCI bus id (CUDA_VISIBLE_DEVICES reorders and
  // renumbers devices, NVML does not) and then by UUID ("GPU-xxxxxxxx-..."); nullptr when none.
  DeviceHandle find_device(const std::string& pci_bus_id, const std::string& uuid) const;

  // Current SM and memory clocks, temperature, power and clocks-event (throttle) reasons.
  DeviceReadings read(DeviceHandle device) const;
  // The clocks-event reasons alone (one NVML call, cheap enough to poll); 0 without NVML.
  std::uint64_t clocks_event_reasons(DeviceHandle device) const;

  // How long the power and thermal policies have held the clocks below what was asked for, in
  // nanoseconds since the driver loaded (nvmlDeviceGetViolationStatus): counters that catch a
  // cap however short, where a poll can miss it.
  struct ViolationTimes {
    std::uint64_t power_ns = 0;
    std::uint64_t thermal_ns = 0;
    bool known = false;  // NVML answered at least one of them
  };
  ViolationTimes violation_times(DeviceHandle device) const;

  std::string device_name(DeviceHandle device) const;
  std::string device_uuid(DeviceHandle device) const;
  std::string driver_version() const;
  double max_sm_clock_mhz(DeviceHandle device) const;
  double max_mem_clock_mhz(DeviceHandle device) const;

 private:
  void* library_ = nullptr;
  Functions* fn_ = nullptr;
  bool initialised_ = false;
  std::string reason_;
};

}  // namespace gs
