#pragma once
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "worker/measurement.hpp"

namespace gs {

// The description of one column of /results or /devices: everything every reader and writer
// needs to know about it, written once in the column table (io/result_columns.hpp).
struct ColumnInfo {
  std::string_view name;
  std::string_view unit;  // "" for counts, names and flags
  std::string_view doc;   // one line for docs/results-format.md
  std::size_t width = 0;  // text columns: bytes of the fixed-length field
  int since = 1;          // the format_version that added the column
  // A float column that a backend may not read (clocks, power on cpu/model rows): NaN there.
  // Files of format_version 2 stored 0.0 instead, which the readers turn into NaN.
  bool nan_when_missing = false;
};

// The third argument of a column that the table gives no source in the Measurement: the row
// builder or rank 0 fills it (task fields, rank, host, derived values).
struct NotMeasured {};
inline constexpr NotMeasured kNotMeasured{};

// A column that a worker measures: it travels in the Measurement from the worker to rank 0
// (orchestrator/task_outcome.cpp) and is copied into the row (io/result_row.cpp). `Members` is
// the path to it in Measurement, e.g. <&Measurement::before, &DeviceReadings::power_w>.
template <auto... Members>
struct MeasuredAt {
  static auto get(const Measurement& m) { return (m.*....*Members); }
  template <class T>
  static void set(Measurement& m, const T& value) {
    (m.*....*Members) = value;
  }
};
template <auto... Members>
inline constexpr MeasuredAt<Members...> kMeasured{};

// The NVML clocks-event bits of a row: the OR of the readings before and after. It travels as
// that OR (unpacked into `before`, `after` 0), which is all the row keeps.
struct MeasuredThrottleReasons {
  static std::uint64_t get(const Measurement& m) {
    return m.before.throttle_reasons | m.after.throttle_reasons;
  }
  static void set(Measurement& m, std::uint64_t value) {
    m.before.throttle_reasons = value;
    m.after.throttle_reasons = 0;
  }
};
inline constexpr MeasuredThrottleReasons kMeasuredThrottleReasons{};

template <class Access>
inline constexpr bool is_measured = !std::is_same_v<Access, NotMeasured>;

}  // namespace gs
