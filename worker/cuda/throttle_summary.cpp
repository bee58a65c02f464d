#include "worker/cuda/throttle_summary.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace gs {
namespace {

constexpr std::array<std::pair<std::uint64_t, const char*>, 9> kNames{{
    {0x1, "gpu idle"},
    {0x2, "application clocks setting"},
    {0x4, "sw power cap"},
    {0x8, "hw slowdown"},
    {0x10, "sync boost"},
    {0x20, "sw thermal slowdown"},
    {0x40, "hw thermal slowdown"},
    {0x80, "hw power brake"},
    {0x100, "display clock setting"},
}};

}  // namespace

std::uint64_t ThrottleSummary::capping_reasons() const {
  std::uint64_t capping = reasons & ~kClocksEventBenign;
  if (power_violation_ns > 0) capping |= kClocksEventSwPowerCap;
  if (thermal_violation_ns > 0) capping |= kClocksEventSwThermal;
  return capping;
}

std::string clocks_event_names(std::uint64_t reasons) {
  std::string names;
  std::uint64_t unknown = reasons;
  for (const auto& [bit, name] : kNames) {
    if ((reasons & bit) == 0) continue;
    unknown &= ~bit;
    names += names.empty() ? name : fmt::format(", {}", name);
  }
  if (unknown != 0) names += fmt::format("{}0x{:x}", names.empty() ? "" : ", ", unknown);
  return names;
}

void flag_throttling(const ThrottleSummary& summary, Measurement& m) {
  const std::uint64_t capping = summary.capping_reasons();
  if (capping == 0) return;
  m.after.throttle_reasons |= capping;
  std::string note = fmt::format("clocks capped during the samples: {} (NVML clocks-event 0x{:x}",
                                 clocks_event_names(capping), capping);
  if (summary.power_violation_ns > 0)
    note += fmt::format("; power policy held the clocks down {:.3f} ms",
                        static_cast<double>(summary.power_violation_ns) * 1e-6);
  if (summary.thermal_violation_ns > 0)
    note += fmt::format("; thermal policy {:.3f} ms",
                        static_cast<double>(summary.thermal_violation_ns) * 1e-6);
  note += ")";
  m.message = m.message.empty() ? note : m.message + "; " + note;
}

}  // namespace gs
