// The column table is the one description of /results: the docs page, the units attribute and
// the layouts of each format_version come from it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/column_reference.hpp"
#include "io/record_schema.hpp"
#include "io/results_layout.hpp"
#include "io/row_export.hpp"

namespace gs {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ColumnTable, TheDocsPageHoldsTheGeneratedColumnReference) {
  const std::string page = read_text(GEMMSWEEP_RESULTS_FORMAT_DOC);
  const std::size_t begin = page.find(kColumnReferenceBegin);
  const std::size_t end = page.find(kColumnReferenceEnd);
  ASSERT_NE(begin, std::string::npos) << "docs/results-format.md lacks the reference's start";
  ASSERT_NE(end, std::string::npos);
  const std::string in_page =
      page.substr(begin, end + std::string(kColumnReferenceEnd).size() - begin) + "\n";
  EXPECT_EQ(in_page, render_column_reference())
      << "the column table changed: run build/nocuda/tests/io/io_column_reference "
         "docs/results-format.md";
}

TEST(ColumnTable, EveryColumnIsDocumentedAndHasAUnitEntry) {
  const std::string reference = render_column_reference();
  const auto units = nlohmann::json::parse(results_units_json());
  const std::vector<std::string> names = result_column_names();
  EXPECT_EQ(units.size(), names.size());
  for (const std::string& name : names) {
    EXPECT_THAT(reference, ::testing::HasSubstr("| `" + name + "` |")) << name;
    EXPECT_TRUE(units.contains(name)) << name;
  }
  EXPECT_EQ(units.at("time_s"), "s");
  EXPECT_EQ(units.at("busbw_gbs"), "GB/s");
  EXPECT_EQ(units.at("power_after_w"), "W");
}

TEST(ColumnTable, EachReadableVersionHasTheLayoutOfItsColumns) {
  // Version 3 added stop_reason (24 bytes) at the end; nothing else moved.
  EXPECT_EQ(result_record_size(3), result_record_size(2) + 24);
  const H5Type v2 = make_result_type(2), v3 = make_result_type(3);
  EXPECT_EQ(H5Tget_nmembers(v3.get()), H5Tget_nmembers(v2.get()) + 1);
  EXPECT_EQ(H5Tget_member_index(v2.get(), "stop_reason"), -1);
  EXPECT_EQ(static_cast<std::size_t>(H5Tget_nmembers(v3.get())), result_column_names().size());
  for (int version : kReadableFormatVersions) EXPECT_TRUE(is_readable_format_version(version));
  EXPECT_EQ(std::end(kReadableFormatVersions)[-1], kFormatVersion);
}

}  // namespace
}  // namespace gs
