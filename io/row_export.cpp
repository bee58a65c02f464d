#include "io/row_export.hpp"

#include <fmt/format.h>

#include <cmath>
#include <type_traits>

#include "io/result_columns.hpp"

namespace gs {
namespace {

struct JsonColumns {
  nlohmann::ordered_json* out;
  template <class T, class Access>
  void column(const ColumnInfo& c, const T& value, Access) {
    auto& slot = (*out)[std::string(c.name)];
    if constexpr (std::is_floating_point_v<T>)
      slot = std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
    else
      slot = value;
  }
};

std::string csv_text(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Shortest text that reads back exactly, always with a point or exponent so that a reader
// infers a float column (0.0 would print as 0); NaN (not read) empty.
std::string float_text(double value) {
  if (std::isnan(value)) return "";
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

struct CsvColumns {
  std::string line;
  template <class T, class Access>
  void column(const ColumnInfo&, const T& value, Access) {
    if (!line.empty()) line += ',';
    if constexpr (std::is_same_v<T, std::string>)
      line += csv_text(value);
    else if constexpr (std::is_same_v<T, bool>)
      line += value ? "true" : "false";
    else if constexpr (std::is_floating_point_v<T>)
      line += float_text(value);
    else
      line += fmt::format("{}", value);
  }
};

struct NameCollector {
  std::vector<std::string> names;
  template <class T, class Access>
  void column(const ColumnInfo& c, const T&, Access) {
    names.emplace_back(c.name);
  }
};

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view text) {
  if (text == "csv") return ExportFormat::csv;
  if (text == "jsonl") return ExportFormat::jsonl;
  return std::nullopt;
}

bool RowFilter::keeps(const ResultRow& row) const {
  return (!op || row.op == *op) && (!status || row.status == *status);
}

nlohmann::ordered_json row_to_json(const ResultRow& row) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  JsonColumns columns{&j};
  visit_result_columns(row, columns);
  return j;
}

std::vector<std::string> result_column_names() {
  NameCollector collector;
  const ResultRow row;
  visit_result_columns(row, collector);
  return collector.names;
}

std::size_t export_rows(const std::vector<ResultRow>& rows, ExportFormat format,
                        const RowFilter& filter, std::ostream& out) {
  if (format == ExportFormat::csv)
    out << fmt::format("{}\n", fmt::join(result_column_names(), ","));
  std::size_t written = 0;
  for (const ResultRow& row : rows) {
    if (!filter.keeps(row)) continue;
    ++written;
    if (format == ExportFormat::jsonl) {
      out << row_to_json(row).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          << '\n';
      continue;
    }
    CsvColumns columns;
    visit_result_columns(row, columns);
    out << columns.line << '\n';
  }
  return written;
}

}  // namespace gs
