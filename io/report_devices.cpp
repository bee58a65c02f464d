// The report's per-device comparison on equal work.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "io/report.hpp"
#include "io/report_data.hpp"

namespace gs {
namespace {

using DeviceKey = std::tuple<std::string, std::int32_t, std::string>;  // host, rank, device
using ShapeKey =
    std::tuple<std::string, std::string, std::int64_t, std::int64_t, std::int64_t, std::int64_t>;

// Calibration rows are the one shape every rank measures: equal work by construction.
bool compares(const ResultRow& r) {
  return (r.status == "ok" || r.status == "calib") && r.group_size == 0 && r.tflops > 0;
}

}  // namespace

void compare_devices(const std::vector<ResultRow>& rows, ReportData& data) {
  // shape -> device -> TFLOP/s of its rows of that shape
  std::map<ShapeKey, std::map<DeviceKey, std::vector<double>>> by_shape;
  std::set<DeviceKey> measuring;
  for (const ResultRow& r : rows) {
    if (!compares(r)) continue;
    by_shape[{r.op, r.dtype, r.batch, r.m, r.n, r.k}][{r.host, r.rank, r.device}].push_back(
        r.tflops);
    if (r.status == "ok") measuring.insert({r.host, r.rank, r.device});
  }
  data.measuring_devices = measuring.size();
  std::map<DeviceKey, std::vector<double>> ratios, tflops;
  for (const auto& [shape, per_device] : by_shape) {
    if (per_device.size() < 2) continue;
    std::vector<double> medians;
    for (const auto& [device, values] : per_device) medians.push_back(median_of(values));
    const double typical = median_of(medians);
    for (const auto& [device, values] : per_device) {
      ratios[device].push_back(median_of(values) / typical);
      tflops[device].push_back(median_of(values));
    }
  }
  for (const auto& [device, values] : ratios)
    data.devices.push_back({std::get<0>(device), std::get<1>(device), std::get<2>(device),
                            values.size(), median_of(values), median_of(tflops[device])});
  if (data.devices.empty() && measuring.size() > 1)
    data.device_note = fmt::format(
        "{} devices measured, but no shape was measured by more than one of them: each measured "
        "other shapes, so their TFLOP/s do not compare; run --calibrate for a shape every rank "
        "measures",
        measuring.size());
}

}  // namespace gs
