#include "orchestrator/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <variant>

#include "jobs/op_shape.hpp"

namespace gs {

Task calibration_task(DType dtype, std::string_view backend_kind) {
  Point p;
  p.id = kCalibrationPointBase;
  p.dtype = dtype;
  p.heads = 32;
  p.head_dim = 128;
  p.hidden_size = 32 * 128;
  p.microbatch = backend_kind == "cpu" ? 1 : 4;
  p.seq_length = backend_kind == "cpu" ? 256 : 2048;
  p.tensor_parallel = 1;
  Task t;
  t.op = Op::attention_score;
  t.point = p;
  t.shape = std::get<GemmShape>(gemm_shape_for(t.op, p));
  t.id = task_id(kCalibrationPointBase, t.op);
  return t;
}

std::uint64_t calibration_point_id(std::uint64_t run_stamp_s, int rank, bool end) {
  // 32 bits of seconds, 20 bits of rank, 1 bit of phase, below the base bit.
  const std::uint64_t stamp = run_stamp_s & 0xFFFFFFFFull;
  const std::uint64_t r = static_cast<std::uint64_t>(rank) & ((1ull << 20) - 1);
  return kCalibrationPointBase | (stamp << 21) | (r << 1) | (end ? 1u : 0u);
}

bool is_calibration_row(const ResultRow& row) { return row.status == kCalibrationStatus; }

CalibrationSummary summarize_calibration(const std::vector<ResultRow>& rows, double tolerance) {
  struct Readings {
    std::string label;
    std::vector<double> start, end;
  };
  std::map<std::tuple<std::string, int, std::string>, Readings> by_device;
  for (const ResultRow& r : rows) {
    if (!is_calibration_row(r) || !(r.tflops > 0)) continue;
    auto& d = by_device[{r.host, r.rank, r.device}];
    d.label = fmt::format("rank {} on {} ({})", r.rank, r.host, r.device);
    (r.message.find("end") != std::string::npos ? d.end : d.start).push_back(r.tflops);
  }
  CalibrationSummary s;
  s.tolerance = tolerance;
  s.devices = by_device.size();
  if (by_device.empty()) return s;
  const auto best = [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
  };
  std::vector<double> starts;
  for (const auto& [key, d] : by_device)
    if (!d.start.empty()) starts.push_back(best(d.start));
  if (!starts.empty()) {
    std::sort(starts.begin(), starts.end());
    const std::size_t n = starts.size();
    s.median_tflops = n % 2 ? starts[n / 2] : 0.5 * (starts[n / 2 - 1] + starts[n / 2]);
  }
  for (const auto& [key, d] : by_device) {
    const double start = best(d.start), end = best(d.end);
    if (start > 0 && s.median_tflops > 0 && start < (1 - tolerance) * s.median_tflops)
      s.flags.push_back(
          {d.label, fmt::format("{:.1f}% slower than the median device ({:.4g} vs "
                                "{:.4g} TFLOP/s)",
                                100 * (1 - start / s.median_tflops), start, s.median_tflops)});
    if (start > 0 && end > 0 && end < (1 - tolerance) * start)
      s.flags.push_back({d.label, fmt::format("slowed down {:.1f}% during the run ({:.4g} -> "
                                              "{:.4g} TFLOP/s)",
                                              100 * (1 - end / start), start, end)});
  }
  return s;
}

std::string render_calibration(const CalibrationSummary& s) {
  if (s.devices == 0) return {};
  std::string out = fmt::format(
      "calibration: {} device(s), median {:.4g} TFLOP/s on the reference "
      "shape; ",
      s.devices, s.median_tflops);
  if (s.flags.empty()) return out + fmt::format("none more than {:.0f}% off\n", 100 * s.tolerance);
  out += fmt::format("{} flag(s):\n", s.flags.size());
  for (const auto& f : s.flags) out += fmt::format("  WARNING {}: {}\n", f.device, f.problem);
  return out;
}

}  // namespace gs
