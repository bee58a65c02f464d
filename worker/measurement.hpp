#pragma once
#include <cstdint>
#include <string>

namespace gs {

enum class TaskStatus : std::uint8_t { ok = 0, skipped = 1, failed = 2 };
std::string_view to_string(TaskStatus s);

// Readings of the device around one point (NVML on GPUs); NaN / 0 where not available.
struct DeviceReadings {
  double sm_clock_mhz = 0;
  double mem_clock_mhz = 0;
  double temperature_c = 0;
  double power_w = 0;
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
  int launches_per_sample = 1;
  std::string compute_dtype;  // what actually ran, e.g. "fp32" for an fp16 request on cpu
  std::string algo;           // library / algorithm description (cuBLASLt algo id, tile, ...)
  DeviceReadings before;
  DeviceReadings after;
};

}  // namespace gs
