#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "io/result_row.hpp"

namespace gs {

// gemmsweep export: every column of /results (io/result_columns.hpp), one line per row.
//   csv:   a header of the column names, then one line per row; text quoted where it holds a
//          comma, quote or line break; booleans true / false; NaN (telemetry not read) empty,
//          which pandas.read_csv reads as NaN; an infinite rel_ci as inf.
//   jsonl: one JSON object per line, numbers as numbers, booleans as booleans; NaN and infinity,
//          which JSON lacks, as null.
enum class ExportFormat { csv, jsonl };
std::optional<ExportFormat> parse_export_format(std::string_view text);  // csv | jsonl

// Which rows to write: all, or those of one op and / or one status.
struct RowFilter {
  std::optional<std::string> op;
  std::optional<std::string> status;
  bool keeps(const ResultRow& row) const;
};

// The row with every column typed; non-finite numbers as null.
nlohmann::ordered_json row_to_json(const ResultRow& row);
// Column names in file order.
std::vector<std::string> result_column_names();

// Writes the rows that the filter keeps; returns how many.
std::size_t export_rows(const std::vector<ResultRow>& rows, ExportFormat format,
                        const RowFilter& filter, std::ostream& out);

}  // namespace gs
