#include "io/report_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "io/grid_coverage.hpp"
#include "io/report.hpp"
#include "io/results_layout.hpp"
#include "io/row_screening.hpp"

namespace gs {
namespace {

OpRecommendation recommend(const std::string& op, const std::vector<const ResultRow*>& rows,
                           const std::vector<ClassMean>& classes) {
  OpRecommendation rec;
  rec.op = op;
  double best_mean = -1;
  for (const ClassMean& c : classes)
    if (c.op == op && c.mean_tflops > best_mean) {
      best_mean = c.mean_tflops;
      rec.best_class = c.pow2_class;
    }
  rec.recommended_class = rec.best_class;
  for (const ClassMean& c : classes)  // classes are sorted by class within an op
    if (c.op == op && c.mean_tflops >= (1 - kRecommendTolerance) * best_mean) {
      rec.recommended_class = c.pow2_class;
      break;
    }
  for (const ResultRow* r : rows) rec.best_tflops = std::max(rec.best_tflops, r->tflops);
  std::set<std::int64_t> dims;
  for (const ResultRow* r : rows)
    if (r->head_dim > 0 && r->tflops >= (1 - kRecommendTolerance) * rec.best_tflops)
      dims.insert(r->head_dim);
  rec.head_dims.assign(dims.begin(), dims.end());
  return rec;
}

}  // namespace

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  return (*std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid)) +
          upper) /
         2;
}

int pow2_class(std::int64_t head_dim) {
  if (head_dim <= 0) return 0;
  int c = 1;
  while (c < 64 && head_dim % (2 * c) == 0) c *= 2;
  return c;
}

bool is_throttled(const ResultRow& row) {
  constexpr std::uint64_t kBenign = 0x1 | 0x2;  // GPU idle, application clocks setting
  if ((row.throttle_reasons & ~kBenign) != 0) return true;
  return row.sm_clock_before_mhz > 0 && row.sm_clock_after_mhz > 0 &&
         row.sm_clock_after_mhz < 0.9 * row.sm_clock_before_mhz;
}

ReportData summarize_results(const ResultsFile& file) {
  ReportData data;
  for (const char* name :
       {"job_name", "backend", "spec_hash", "created_utc", "finished_utc", "complete",
        "gemmsweep_version", "git_revision", "hosts", "ranks", "slurm_job_id"}) {
    const auto it = file.attributes.find(name);
    data.run[name] = it == file.attributes.end() ? "" : it->second;
  }
  // Rows with an empty status were never written (see RowStatus::unwritten): counted, not shown.
  std::size_t unwritten = file.unwritten_rows;
  for (const ResultRow& row : file.rows)
    if (is_unwritten_row(row)) ++unwritten;
  data.run["rows"] = std::to_string(file.rows.size() + file.unwritten_rows - unwritten);
  data.run["unwritten_rows"] = std::to_string(unwritten);
  data.run["devices"] = std::to_string(file.devices.size());

  std::vector<std::string> ops;  // in order of appearance
  std::map<std::string, std::vector<const ResultRow*>> ok_by_op;
  std::map<std::pair<std::string, int>, std::pair<std::size_t, double>> by_class;
  using CommKey = std::tuple<std::string, std::string, std::int64_t, std::int64_t>;
  std::map<CommKey, std::vector<const ResultRow*>> comm;
  // A forged or damaged file: what the report relies on is checked, and what it left out said.
  const ScreenedRows screened = screen_rows(file.rows);
  data.run["ignored_rows"] = std::to_string(screened.ignored());
  data.run["ignored_why"] = screened.describe();
  std::vector<std::string> specs;
  if (const auto spec = file.attributes.find("spec"); spec != file.attributes.end())
    specs.push_back(spec->second);
  const GridCoverage coverage = specs.empty() ? GridCoverage{} : grid_coverage(specs, file.rows);
  if (data.run["complete"] == "1" && coverage.known && !coverage.complete()) {
    data.run["complete"].assign(1, '0');  // (not = "0": GCC 12 warns falsely, -Wrestrict)
    data.run["complete_why"] = fmt::format(
        "the file says complete, but {} of the {} task(s) of its job have no ok or skipped row",
        coverage.missing, coverage.tasks);
  }
  for (const ResultRow* kept : screened.kept) {
    const ResultRow& row = *kept;
    ++data.status_counts[row.status];
    if (row.status != "ok") continue;
    if (row.group_size > 0) {  // a collective: bandwidth, not TFLOP/s
      comm[{row.op, row.dtype, row.group_size, row.message_bytes}].push_back(&row);
      continue;
    }
    if (ok_by_op.find(row.op) == ok_by_op.end()) ops.push_back(row.op);
    ok_by_op[row.op].push_back(&row);
    if (const int c = pow2_class(row.head_dim); c > 0) {
      auto& [count, sum] = by_class[{row.op, c}];
      ++count;
      sum += row.tflops;
    }
    if (is_throttled(row)) data.throttled.push_back(&row);
  }
  for (const auto& [key, value] : by_class)
    data.classes.push_back(
        {key.first, key.second, value.first, value.second / static_cast<double>(value.first)});
  for (const std::string& op : ops) {
    const auto& rows = ok_by_op[op];
    const auto [lo, hi] = std::minmax_element(
        rows.begin(), rows.end(),
        [](const ResultRow* a, const ResultRow* b) { return a->tflops < b->tflops; });
    data.best.push_back({op, *hi});
    data.worst.push_back({op, *lo});
    data.recommendations.push_back(recommend(op, rows, data.classes));
  }
  for (const auto& [key, rows] : comm) {
    std::vector<double> time, alg, bus;
    for (const ResultRow* r : rows) {
      time.push_back(r->time_s);
      alg.push_back(r->algbw_gbs);
      bus.push_back(r->busbw_gbs);
    }
    data.bandwidth.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key),
                              std::get<3>(key), rows.size(), median_of(time), median_of(alg),
                              median_of(bus)});
  }
  compare_devices(file.rows, data);
  count_unconverged(file.rows, data);
  return data;
}

}  // namespace gs
