#pragma once
#include <optional>
#include <ostream>
#include <string_view>

#include "io/results_file.hpp"

namespace gs {

enum class ReportFormat { table, csv, json };
std::optional<ReportFormat> parse_report_format(std::string_view text);  // table|csv|json

// gemmsweep report FILE [--format table|csv|json]: counts by status; per op best and worst
// shapes by TFLOP/s; mean TFLOP/s per power-of-two class of head_dim (largest power of two
// dividing h/a, capped at 64); median TFLOP/s per device (host, rank, device); throttled rows;
// and per op the recommended head dimensions (see the rule printed in the report).
void write_report(const ResultsFile& file, ReportFormat format, std::ostream& out);

// Largest power of two dividing head_dim, capped at 64; 0 when head_dim <= 0.
int pow2_class(std::int64_t head_dim);
// NVML clocks-event bits other than GPU idle (0x1) and application clocks setting (0x2) are
// set, or the SM clock fell below 0.9 of its value before the point.
bool is_throttled(const ResultRow& row);

}  // namespace gs
