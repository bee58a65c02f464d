#include "fit/fit_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "fit/fit_refused.hpp"
#include "io/results_file.hpp"
#include "jobs/job_error.hpp"
#include "worker/model/perf_model.hpp"
#include "worker/model/seed_chart.hpp"

namespace gs {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

const GpuSpec& base_or_error(const std::optional<std::string>& base, const std::string& fallback) {
  const std::string name = base.value_or(fallback);
  const GpuSpec* gpu = find_gpu(name);
  if (!gpu)
    throw JobError("--base", 0, "",
                   fmt::format("unknown GPU '{}'; known: {}", name, known_gpu_names()));
  return *gpu;
}

FitInput read_reference_csv(const std::string& path, const std::optional<std::string>& base) {
  FitInput in;
  std::vector<SeedChartReading> readings;
  try {
    readings = read_seed_chart_csv(path);
  } catch (const std::runtime_error& e) {
    throw JobError(path, 0, "", std::string(e.what()).substr(path.size() + 2));
  }
  in.base = base_or_error(base, "A100");
  in.hardware = in.base;
  in.hardware_from = fmt::format("a reference chart: the hardware of --base {}", in.base.name);
  in.fingerprint = "reference: attention_score fp16, a 32, microbatch 4, seq 2048";
  in.rows_read = readings.size();
  for (const SeedChartReading& r : readings) {
    FitObservation o;
    o.task = seed_chart_task(r.hidden_size / kSeedHeads);
    o.chart_class = r.pow2_class;
    o.hidden_size = r.hidden_size;
    o.measured_s = o.task.flops() / (r.tflops * 1e12);
    o.alignment_class =
        alignment_class_of(seed_chart_task(r.pow2_class).shape, DType::fp16, in.base.terms);
    in.rows.push_back(o);
  }
  if (in.rows.empty()) throw FitRefused("the reference chart has no readings");
  return in;
}

// The clock the rows ran at: the median over rows of the mean of each row's SM clock before and
// after it, capped at the clock behind the peak (the peak is the ceiling). 0 when the rows
// recorded no clock or the GPU has no recorded boost clock (docs/model.md, "Clocks").
double sustained_clock_of(std::vector<double> clocks, double boost_mhz) {
  if (clocks.empty() || !(boost_mhz > 0)) return 0;
  const auto mid = clocks.begin() + static_cast<std::ptrdiff_t>(clocks.size() / 2);
  std::nth_element(clocks.begin(), mid, clocks.end());
  return std::min(*mid, boost_mhz);
}

}  // namespace

const GpuSpec* known_gpu_of_device(const std::string& device_name) {
  if (device_name.rfind("model:", 0) == 0) return find_gpu(device_name.substr(6));
  const std::string name = upper(device_name);
  for (const GpuSpec& g : known_gpus()) {
    const std::string want = upper(g.name);
    for (std::size_t at = name.find(want); at != std::string::npos; at = name.find(want, at + 1)) {
      const std::size_t end = at + want.size();
      if ((at == 0 || !is_word_char(name[at - 1])) &&
          (end == name.size() || !is_word_char(name[end])))
        return &g;
    }
  }
  return nullptr;
}

FitInput read_fit_input(const std::string& path, const std::optional<std::string>& base) {
  if (path.size() >= 4 && upper(path.substr(path.size() - 4)) == ".CSV")
    return read_reference_csv(path, base);
  const ResultsFile file = read_results_file(path);
  FitInput in;
  in.rows_read = file.rows.size();
  std::set<std::string> named;
  const GpuSpec* device = nullptr;
  for (const DeviceInfo& d : file.devices)
    if (const GpuSpec* g = known_gpu_of_device(d.name)) {
      named.insert(g->name);
      device = g;
    }
  if (named.size() > 1)
    throw FitRefused(fmt::format("/devices names {} GPU types ({}); fit one GPU type at a time",
                                 named.size(), fmt::join(named, ", ")));
  in.base = base_or_error(base, device ? device->name : "A100");
  in.hardware = device ? *device : in.base;
  in.hardware_from = device ? fmt::format("/devices names {}", device->name)
                            : fmt::format("/devices names no known GPU: --base {}", in.base.name);
  const auto hash = file.attributes.find("spec_hash");
  in.fingerprint = hash == file.attributes.end() ? "" : hash->second;
  std::size_t gemm = 0;
  std::vector<double> row_clocks;
  for (const ResultRow& r : file.rows) {
    const auto op = parse_op(r.op);
    const auto dtype = parse_dtype(r.dtype);
    if (!op || !dtype || is_collective(*op)) continue;
    ++gemm;
    if (r.status != "ok" || !r.converged || !(r.time_s > 0)) continue;
    FitObservation o;
    o.task.op = *op;
    o.task.point.dtype = *dtype;
    o.task.point.hidden_size = r.hidden_size;
    o.task.point.heads = r.heads;
    o.task.point.head_dim = r.head_dim;
    o.task.point.microbatch = r.microbatch;
    o.task.point.seq_length = r.seq_length;
    o.task.point.tensor_parallel = r.tensor_parallel;
    o.task.shape = GemmShape{r.batch, r.m, r.n, r.k};
    o.measured_s = r.time_s;
    o.hidden_size = r.hidden_size > 0 ? r.hidden_size : r.m;
    o.alignment_class = alignment_class_of(o.task.shape, *dtype, in.base.terms_for(*dtype));
    in.rows.push_back(o);
    if (r.sm_clock_before_mhz > 0 && r.sm_clock_after_mhz > 0)
      row_clocks.push_back((r.sm_clock_before_mhz + r.sm_clock_after_mhz) / 2);
  }
  // Clock and compute efficiency enter as a product; the measured clock makes the ratio data, so
  // the fitted efficiency is the library's share of the peak at the clock the rows ran at.
  if (const double sustained = sustained_clock_of(row_clocks, in.hardware.boost_clock_mhz);
      sustained > 0) {
    in.hardware.sustained_clock_mhz = sustained;
    in.hardware_from += fmt::format(
        "; sustained clock {:.0f} MHz of {:.0f} behind the peak: the median SM clock of {} rows",
        sustained, in.hardware.boost_clock_mhz, row_clocks.size());
  }
  if (gemm == 0)
    throw FitRefused(
        fmt::format("{} row(s) and none of a GEMM; fit needs a GEMM sweep", file.rows.size()));
  if (in.rows.empty())
    throw FitRefused(fmt::format(
        "none of its {} GEMM row(s) is ok and met the stopping rule (converged)", gemm));
  return in;
}

}  // namespace gs
