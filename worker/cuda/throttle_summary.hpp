#pragma once
#include <cstdint>
#include <string>

#include "worker/measurement.hpp"

namespace gs {

// NVML clocks-event reasons (nvmlClocksEventReason*): which bits mean the clocks were held down.
inline constexpr std::uint64_t kClocksEventIdle = 0x1;
inline constexpr std::uint64_t kClocksEventAppClocksSetting = 0x2;
inline constexpr std::uint64_t kClocksEventSwPowerCap = 0x4;
inline constexpr std::uint64_t kClocksEventSwThermal = 0x20;
// Idle and the application-clocks setting are states, not caps (io/report_data.cpp agrees).
inline constexpr std::uint64_t kClocksEventBenign = kClocksEventIdle | kClocksEventAppClocksSetting;

// What a point's samples saw of clock capping (see ThrottleWatch).
struct ThrottleSummary {
  std::uint64_t reasons = 0;  // every clocks-event reason polled while the samples ran
  int polls = 0;
  // Growth of NVML's violation counters over the samples: time the power or thermal policy held
  // the clocks down, which a cap shorter than the poll period still shows.
  std::uint64_t power_violation_ns = 0;
  std::uint64_t thermal_violation_ns = 0;

  // The capping reasons: polled ones, plus the power-cap / thermal bit for a violation counter
  // that grew.
  std::uint64_t capping_reasons() const;
};

// "sw power cap, sw thermal slowdown": names of the set bits, hex for the unknown ones.
std::string clocks_event_names(std::uint64_t reasons);

// Flags a measurement whose samples were capped: the capping reasons are OR-ed into
// m.after.throttle_reasons (the row's throttle_reasons is before | after, which `gemmsweep
// report` lists as throttled), and a note naming them and the violation times is appended to
// m.message. An uncapped summary changes nothing.
void flag_throttling(const ThrottleSummary& summary, Measurement& m);

}  // namespace gs
