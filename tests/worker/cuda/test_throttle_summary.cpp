// Capping during a point's samples flags its row: the host side of ThrottleWatch. No GPU needed.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "worker/cuda/nvml_library.hpp"
#include "worker/cuda/throttle_summary.hpp"
#include "worker/cuda/throttle_watch.hpp"

namespace gs {
namespace {

TEST(ThrottleSummary, IdleAndApplicationClocksAreNotCaps) {
  ThrottleSummary s;
  s.reasons = kClocksEventIdle | kClocksEventAppClocksSetting;
  s.polls = 40;
  EXPECT_EQ(s.capping_reasons(), 0u);
  Measurement m;
  m.message = "launches batched x4";
  flag_throttling(s, m);
  EXPECT_EQ(m.after.throttle_reasons, 0u);
  EXPECT_EQ(m.message, "launches batched x4") << "an uncapped point is left as it was";
}

TEST(ThrottleSummary, APolledCapFlagsTheRowAndSaysWhich) {
  ThrottleSummary s;
  s.reasons = kClocksEventIdle | 0x40;  // hw thermal slowdown, seen once
  Measurement m;
  m.after.throttle_reasons = kClocksEventIdle;
  flag_throttling(s, m);
  EXPECT_EQ(m.after.throttle_reasons, kClocksEventIdle | 0x40);
  EXPECT_NE(m.message.find("clocks capped during the samples: hw thermal slowdown"),
            std::string::npos)
      << m.message;
  EXPECT_NE(m.message.find("0x40"), std::string::npos) << m.message;
}

TEST(ThrottleSummary, AGrownViolationCounterFlagsACapThePollsMissed) {
  ThrottleSummary s;
  s.power_violation_ns = 2'500'000;
  Measurement m;
  m.message = "not converged";
  flag_throttling(s, m);
  EXPECT_EQ(m.after.throttle_reasons, kClocksEventSwPowerCap);
  EXPECT_NE(m.message.find("not converged; clocks capped during the samples: sw power cap"),
            std::string::npos)
      << m.message;
  EXPECT_NE(m.message.find("power policy held the clocks down 2.500 ms"), std::string::npos)
      << m.message;
  s = {};
  s.thermal_violation_ns = 1;
  EXPECT_EQ(s.capping_reasons(), kClocksEventSwThermal);
}

TEST(ThrottleSummary, NamesEveryBitAndHexForUnknownOnes) {
  EXPECT_EQ(clocks_event_names(0x4 | 0x20), "sw power cap, sw thermal slowdown");
  EXPECT_EQ(clocks_event_names(0x80 | 0x1000), "hw power brake, 0x1000");
  EXPECT_EQ(clocks_event_names(0), "");
}

TEST(ThrottleWatch, WithoutAnNvmlDeviceItPollsNothingAndReportsNothing) {
  const NvmlLibrary nvml;  // loaded or not: no device handle means nothing to watch
  ThrottleWatch watch(nvml, nullptr, std::chrono::milliseconds(1));
  const ThrottleSummary s = watch.stop();
  EXPECT_EQ(s.polls, 0);
  EXPECT_EQ(s.capping_reasons(), 0u);
  EXPECT_EQ(watch.stop().polls, 0) << "stop is idempotent";
}

}  // namespace
}  // namespace gs
