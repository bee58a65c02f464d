#include "worker/cuda/nvml_library.hpp"

#include <dlfcn.h>

#include <array>
#include <cstring>
#include <memory>

namespace gs {
namespace {

// From the public NVML API (nvml.h). Enums are passed as int, which is their C representation.
using nvmlReturn_t = int;
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr int kClockSm = 1;             // NVML_CLOCK_SM
constexpr int kClockMem = 2;            // NVML_CLOCK_MEM
constexpr int kTemperatureGpu = 0;      // NVML_TEMPERATURE_GPU
constexpr unsigned kNameBuffer = 96;    // NVML_DEVICE_NAME_V2_BUFFER_SIZE
constexpr unsigned kUuidBuffer = 96;    // NVML_DEVICE_UUID_V2_BUFFER_SIZE
constexpr unsigned kDriverBuffer = 80;  // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE
constexpr int kPerfPolicyPower = 0;     // NVML_PERF_POLICY_POWER
constexpr int kPerfPolicyThermal = 1;   // NVML_PERF_POLICY_THERMAL

// nvmlViolationTime_t: nanoseconds the policy held the clocks down, since the driver loaded.
struct NvmlViolationTime {
  unsigned long long reference_time = 0;
  unsigned long long violation_time = 0;
};

// nvmlTemperature_v1_t, for nvmlDeviceGetTemperatureV, which newer drivers offer in place of the
// deprecated nvmlDeviceGetTemperature; version is NVML_STRUCT_VERSION(Temperature, 1).
struct NvmlTemperatureV1 {
  unsigned version = 0;
  int sensor_type = 0;  // nvmlTemperatureSensors_t
  int temperature = 0;
};
static_assert(sizeof(NvmlTemperatureV1) == 12, "three 32-bit fields, as nvml.h lays them out");
constexpr unsigned kTemperatureV1Version = sizeof(NvmlTemperatureV1) | (1u << 24);

template <typename Fn>
Fn lookup(void* library, const char* name) {
  void* symbol = dlsym(library, name);
  Fn fn = nullptr;
  static_assert(sizeof fn == sizeof symbol);
  std::memcpy(&fn, &symbol, sizeof fn);  // POSIX guarantees the round trip
  return fn;
}

}  // namespace

struct NvmlLibrary::Functions {
  using Device = NvmlLibrary::DeviceHandle;
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*shutdown)() = nullptr;
  nvmlReturn_t (*by_pci_bus_id)(const char*, Device*) = nullptr;
  nvmlReturn_t (*by_uuid)(const char*, Device*) = nullptr;
  nvmlReturn_t (*clock_info)(Device, int, unsigned*) = nullptr;
  nvmlReturn_t (*max_clock_info)(Device, int, unsigned*) = nullptr;
  nvmlReturn_t (*temperature)(Device, int, unsigned*) = nullptr;
  nvmlReturn_t (*temperature_v)(Device, NvmlTemperatureV1*) = nullptr;
  nvmlReturn_t (*power_usage)(Device, unsigned*) = nullptr;
  nvmlReturn_t (*clocks_event_reasons)(Device, unsigned long long*) = nullptr;
  nvmlReturn_t (*violation_status)(Device, int, NvmlViolationTime*) = nullptr;
  nvmlReturn_t (*name)(Device, char*, unsigned) = nullptr;
  nvmlReturn_t (*uuid)(Device, char*, unsigned) = nullptr;
  nvmlReturn_t (*driver_version)(char*, unsigned) = nullptr;
};

NvmlLibrary::NvmlLibrary() {
  library_ = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (library_ == nullptr) {
    const char* error = dlerror();
    reason_ = error != nullptr ? error : "libnvidia-ml.so.1 not found";
    return;
  }
  auto fn = std::make_unique<Functions>();
  using F = Functions;
  fn->init = lookup<decltype(F::init)>(library_, "nvmlInit_v2");
  fn->shutdown = lookup<decltype(F::shutdown)>(library_, "nvmlShutdown");
  fn->by_pci_bus_id =
      lookup<decltype(F::by_pci_bus_id)>(library_, "nvmlDeviceGetHandleByPciBusId_v2");
  fn->by_uuid = lookup<decltype(F::by_uuid)>(library_, "nvmlDeviceGetHandleByUUID");
  fn->clock_info = lookup<decltype(F::clock_info)>(library_, "nvmlDeviceGetClockInfo");
  fn->max_clock_info = lookup<decltype(F::max_clock_info)>(library_, "nvmlDeviceGetMaxClockInfo");
  fn->temperature = lookup<decltype(F::temperature)>(library_, "nvmlDeviceGetTemperature");
  fn->temperature_v = lookup<decltype(F::temperature_v)>(library_, "nvmlDeviceGetTemperatureV");
  fn->power_usage = lookup<decltype(F::power_usage)>(library_, "nvmlDeviceGetPowerUsage");
  fn->clocks_event_reasons =
      lookup<decltype(F::clocks_event_reasons)>(library_, "nvmlDeviceGetCurrentClocksEventReasons");
  if (fn->clocks_event_reasons == nullptr)  // drivers before 535 have only the old name
    fn->clocks_event_reasons = lookup<decltype(F::clocks_event_reasons)>(
        library_, "nvmlDeviceGetCurrentClocksThrottleReasons");
  fn->violation_status =
      lookup<decltype(F::violation_status)>(library_, "nvmlDeviceGetViolationStatus");
  fn->name = lookup<decltype(F::name)>(library_, "nvmlDeviceGetName");
  fn->uuid = lookup<decltype(F::uuid)>(library_, "nvmlDeviceGetUUID");
  fn->driver_version = lookup<decltype(F::driver_version)>(library_, "nvmlSystemGetDriverVersion");

  if (fn->init == nullptr || fn->shutdown == nullptr) {
    reason_ = "libnvidia-ml.so.1 lacks nvmlInit_v2 / nvmlShutdown";
  } else if (const nvmlReturn_t status = fn->init(); status != kNvmlSuccess) {
    reason_ = "nvmlInit_v2 failed with NVML status " + std::to_string(status);
  } else {
    initialised_ = true;
  }
  fn_ = fn.release();
}

NvmlLibrary::~NvmlLibrary() {
  if (initialised_) fn_->shutdown();
  delete fn_;
  if (library_ != nullptr) dlclose(library_);
}

NvmlLibrary::DeviceHandle NvmlLibrary::find_device(const std::string& pci_bus_id,
                                                   const std::string& uuid) const {
  if (!initialised_) return nullptr;
  DeviceHandle device = nullptr;
  if (fn_->by_pci_bus_id != nullptr && !pci_bus_id.empty() &&
      fn_->by_pci_bus_id(pci_bus_id.c_str(), &device) == kNvmlSuccess)
    return device;
  device = nullptr;
  if (fn_->by_uuid != nullptr && !uuid.empty() &&
      fn_->by_uuid(uuid.c_str(), &device) == kNvmlSuccess)
    return device;
  return nullptr;
}

DeviceReadings NvmlLibrary::read(DeviceHandle device) const {
  DeviceReadings r;
  if (!initialised_ || device == nullptr) return r;
  unsigned value = 0;
  if (fn_->clock_info != nullptr && fn_->clock_info(device, kClockSm, &value) == kNvmlSuccess)
    r.sm_clock_mhz = value;
  if (fn_->clock_info != nullptr && fn_->clock_info(device, kClockMem, &value) == kNvmlSuccess)
    r.mem_clock_mhz = value;
  if (fn_->temperature != nullptr &&
      fn_->temperature(device, kTemperatureGpu, &value) == kNvmlSuccess) {
    r.temperature_c = value;
  } else if (fn_->temperature_v != nullptr) {
    // A driver that has dropped the deprecated call, or refuses it, answers the versioned one.
    NvmlTemperatureV1 t;
    t.version = kTemperatureV1Version;
    t.sensor_type = kTemperatureGpu;
    if (fn_->temperature_v(device, &t) == kNvmlSuccess) r.temperature_c = t.temperature;
  }
  if (fn_->power_usage != nullptr && fn_->power_usage(device, &value) == kNvmlSuccess)
    r.power_w = static_cast<double>(value) * 1e-3;  // NVML reports milliwatts
  r.throttle_reasons = clocks_event_reasons(device);
  return r;
}

std::uint64_t NvmlLibrary::clocks_event_reasons(DeviceHandle device) const {
  unsigned long long reasons = 0;
  if (!initialised_ || device == nullptr || fn_->clocks_event_reasons == nullptr ||
      fn_->clocks_event_reasons(device, &reasons) != kNvmlSuccess)
    return 0;
  return reasons;
}

NvmlLibrary::ViolationTimes NvmlLibrary::violation_times(DeviceHandle device) const {
  ViolationTimes t;
  if (!initialised_ || device == nullptr || fn_->violation_status == nullptr) return t;
  NvmlViolationTime v;
  if (fn_->violation_status(device, kPerfPolicyPower, &v) == kNvmlSuccess) {
    t.power_ns = v.violation_time;
    t.known = true;
  }
  if (fn_->violation_status(device, kPerfPolicyThermal, &v) == kNvmlSuccess) {
    t.thermal_ns = v.violation_time;
    t.known = true;
  }
  return t;
}

std::string NvmlLibrary::device_name(DeviceHandle device) const {
  std::array<char, kNameBuffer> buffer{};
  if (!initialised_ || device == nullptr || fn_->name == nullptr ||
      fn_->name(device, buffer.data(), kNameBuffer) != kNvmlSuccess)
    return {};
  return buffer.data();
}

std::string NvmlLibrary::device_uuid(DeviceHandle device) const {
  std::array<char, kUuidBuffer> buffer{};
  if (!initialised_ || device == nullptr || fn_->uuid == nullptr ||
      fn_->uuid(device, buffer.data(), kUuidBuffer) != kNvmlSuccess)
    return {};
  return buffer.data();
}

std::string NvmlLibrary::driver_version() const {
  std::array<char, kDriverBuffer> buffer{};
  if (!initialised_ || fn_->driver_version == nullptr ||
      fn_->driver_version(buffer.data(), kDriverBuffer) != kNvmlSuccess)
    return {};
  return buffer.data();
}

double NvmlLibrary::max_sm_clock_mhz(DeviceHandle device) const {
  unsigned value = 0;
  if (!initialised_ || device == nullptr || fn_->max_clock_info == nullptr ||
      fn_->max_clock_info(device, kClockSm, &value) != kNvmlSuccess)
    return 0;
  return value;
}

double NvmlLibrary::max_mem_clock_mhz(DeviceHandle device) const {
  unsigned value = 0;
  if (!initialised_ || device == nullptr || fn_->max_clock_info == nullptr ||
      fn_->max_clock_info(device, kClockMem, &value) != kNvmlSuccess)
    return 0;
  return value;
}

}  // namespace gs
