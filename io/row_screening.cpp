#include "io/row_screening.hpp"

#include <fmt/format.h>

#include <cmath>
#include <unordered_set>

#include "io/results_layout.hpp"

namespace gs {
namespace {

bool finite_positive(double x) { return std::isfinite(x) && x > 0; }

}  // namespace

bool has_valid_measurement(const ResultRow& row) {
  if (!finite_positive(row.time_s)) return false;
  return row.group_size > 0 || finite_positive(row.tflops);  // collectives carry no FLOPs
}

ScreenedRows screen_rows(const std::vector<ResultRow>& rows) {
  ScreenedRows out;
  std::unordered_set<std::uint64_t> seen;
  for (const ResultRow& row : rows) {
    const RowStatus status = parse_row_status(row.status);
    if (status == RowStatus::unwritten) continue;
    if (status != RowStatus::calibration && !seen.insert(row.task_id).second) {
      ++out.duplicates;
      continue;
    }
    if (status == RowStatus::ok && !has_valid_measurement(row)) {
      ++out.invalid_ok;
      continue;
    }
    out.kept.push_back(&row);
  }
  return out;
}

std::string ScreenedRows::describe() const {
  std::string text;
  if (duplicates > 0) text = fmt::format("{} duplicate task id(s)", duplicates);
  if (invalid_ok > 0)
    text += fmt::format("{}{} ok row(s) with a non-finite or non-positive time or TFLOP/s",
                        text.empty() ? "" : ", ", invalid_ok);
  return text;
}

}  // namespace gs
