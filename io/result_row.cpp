#include "io/result_row.hpp"

#include <algorithm>
#include <cmath>
#include <variant>
#include <vector>

#include "io/result_columns.hpp"
#include "jobs/dtype.hpp"
#include "jobs/op.hpp"

namespace gs {
namespace {

// Copies every column the table marks measured from the Measurement into the row.
struct MeasuredCopier {
  const Measurement& m;
  template <class T, class Access>
  void column(const ColumnInfo&, T& value, Access) {
    if constexpr (is_measured<Access>) value = static_cast<T>(Access::get(m));
  }
};

using ColumnValue =
    std::variant<std::uint64_t, std::int64_t, std::int32_t, double, bool, std::string>;

struct ValueCollector {
  std::vector<ColumnValue> values;
  template <class T, class Access>
  void column(const ColumnInfo&, const T& value, Access) {
    values.emplace_back(value);
  }
};

std::vector<ColumnValue> column_values(const ResultRow& row) {
  ValueCollector collector;
  visit_result_columns(row, collector);
  return collector.values;
}

bool same_value(const ColumnValue& a, const ColumnValue& b) {
  if (const auto* x = std::get_if<double>(&a))
    if (const auto* y = std::get_if<double>(&b))
      return *x == *y || (std::isnan(*x) && std::isnan(*y));
  return a == b;
}

ResultRow row_for_task(const Task& task) {
  ResultRow row;
  row.task_id = task.id;
  row.point_id = task.point.id;
  row.op = std::string(to_string(task.op));
  row.dtype = std::string(to_string(task.point.dtype));
  row.hidden_size = task.point.hidden_size;
  row.heads = task.point.heads;
  row.head_dim = task.point.head_dim;
  row.microbatch = task.point.microbatch;
  row.seq_length = task.point.seq_length;
  row.tensor_parallel = task.point.tensor_parallel;
  row.vocab_size = task.point.vocab_size;
  row.batch = task.shape.batch;
  row.m = task.shape.m;
  row.n = task.shape.n;
  row.k = task.shape.k;
  row.flops = task.flops();
  row.message_bytes = task.point.message_bytes;
  row.group_size = task.point.group_size;
  return row;
}

}  // namespace

ResultRow make_result_row(const Task& task, const Measurement& m, int rank, const std::string& host,
                          const std::string& device, int attempt, double started_unix) {
  ResultRow row = row_for_task(task);
  MeasuredCopier copier{m};
  visit_result_columns(row, copier);
  row.status = std::string(to_string(m.status));
  row.tflops = (m.status == TaskStatus::ok && m.time_s > 0) ? row.flops / m.time_s / 1e12 : 0.0;
  if (is_collective(task.op) && m.status == TaskStatus::ok && m.time_s > 0) {
    row.algbw_gbs = static_cast<double>(row.message_bytes) / m.time_s / 1e9;
    row.busbw_gbs = row.algbw_gbs * bus_factor(task.op, row.group_size);
  }
  row.rank = rank;
  row.attempt = attempt;
  row.host = host;
  row.device = device;
  row.started_unix = started_unix;
  return row;
}

bool ResultRow::operator==(const ResultRow& other) const {
  const std::vector<ColumnValue> mine = column_values(*this), theirs = column_values(other);
  return std::equal(mine.begin(), mine.end(), theirs.begin(), theirs.end(), same_value);
}

ResultRow make_skipped_row(const SkippedTask& skipped) {
  ResultRow row = row_for_task(skipped.task);
  row.status = "skipped";
  row.message = skipped.reason;
  row.rank = -1;  // no rank measured it
  row.samples = 0;
  return row;
}

}  // namespace gs
