#include "io/column_reference.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <type_traits>

#include "io/result_columns.hpp"

namespace gs {
namespace {

template <class T>
std::string type_name(const ColumnInfo& c) {
  if constexpr (std::is_same_v<T, std::string>) return fmt::format("string ({} B)", c.width);
  if constexpr (std::is_same_v<T, bool>) return "bool";
  if constexpr (std::is_same_v<T, double>) return "float64";
  if constexpr (std::is_same_v<T, std::uint64_t>) return "uint64";
  if constexpr (std::is_same_v<T, std::int64_t>) return "int64";
  if constexpr (std::is_same_v<T, std::int32_t>) return "int32";
}

// A '|' in a doc line would end its table cell.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

struct MarkdownRows {
  std::string text;
  bool wire_column = false;
  template <class T, class Access>
  void column(const ColumnInfo& c, const T&, Access) {
    text += fmt::format("| `{}` | {} | {} | {} |", c.name, type_name<T>(c),
                        c.unit.empty() ? "-" : c.unit, c.since);
    if (wire_column) text += is_measured<Access> ? " yes |" : " |";
    text += fmt::format(" {} |\n", cell(c.doc));
  }
};

}  // namespace

std::string render_column_reference() {
  MarkdownRows results{
      "### /results\n\n"
      "| column | type | unit | since | measured | meaning |\n"
      "| --- | --- | --- | --- | --- | --- |\n",
      true};
  const ResultRow row;
  visit_result_columns(row, results);
  MarkdownRows devices{
      "\n### /devices\n\n"
      "| column | type | unit | since | meaning |\n"
      "| --- | --- | --- | --- | --- |\n",
      false};
  const DeviceInfo device;
  visit_device_columns(device, devices);
  return fmt::format("{}\n{}\n{}{}\n", kColumnReferenceBegin, results.text, devices.text,
                     kColumnReferenceEnd);
}

}  // namespace gs
