#pragma once
#include <cstdint>
#include <limits>
#include <string>

namespace gs {

enum class TaskStatus : std::uint8_t { ok = 0, skipped = 1, failed = 2 };
std::string_view to_string(TaskStatus s);

// A reading the backend could not take (no NVML, the cpu and model backends).
inline constexpr double kNotRead = std::numeric_limits<double>::quiet_NaN();

// Readings of the device around one point (NVML on GPUs); NaN where not read (throttle reasons
// 0, which also means none).
struct DeviceReadings {
  double sm_clock_mhz = kNotRead;
  double mem_clock_mhz = kNotRead;
  double temperature_c = kNotRead;
  double power_w = kNotRead;
  std::uint64_t throttle_reasons = 0;  // NVML clocks-event bitmask
};

// What a backend reports for one task. Times are seconds per GEMM call.
struct Measurement {
  TaskStatus status = TaskStatus::ok;
  std::string message;  // why skipped / failed; notes such as "launches batched x8"
  int samples = 0;
  double time_s = 0;  // median, the headline
  double time_min_s = 0;
  double time_mean_s = 0;
  double time_std_s = 0;
  double rel_ci = 0;       // 95% CI half-width of the median over the median
  bool converged = false;  // true when the rel_ci rule stopped sampling, not a limit
  // What stopped sampling (to_string(StopReason) of worker/sampler.hpp); empty when not sampled.
  std::string stop_reason;
  int launches_per_sample = 1;
  std::string compute_dtype;  // what actually ran, e.g. "fp32" for an fp16 request on cpu
  std::string algo;           // library / algorithm description (cuBLASLt algo id, tile, ...)
  DeviceReadings before;
  DeviceReadings after;
};

}  // namespace gs
