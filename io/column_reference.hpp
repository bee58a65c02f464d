#pragma once
#include <string>

namespace gs {

// The column reference of docs/results-format.md as Markdown, made from the column tables
// (io/result_columns.hpp): one table for /results, one for /devices, each line a column with
// its type, unit, the format_version that added it and its doc line. tests/io checks that the
// page holds exactly this between kColumnReferenceBegin and kColumnReferenceEnd, and
// io_column_reference rewrites that part of the page after a column is added.
std::string render_column_reference();

inline constexpr const char* kColumnReferenceBegin =
    "<!-- column reference: generated from io/result_columns.hpp by io_column_reference -->";
inline constexpr const char* kColumnReferenceEnd = "<!-- end of column reference -->";

}  // namespace gs
