// export: one line per row, every column, typed; the v2 fixture reads; the wire and the table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/merge.hpp"
#include "io/record_schema.hpp"
#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io/row_export.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;

std::vector<ResultRow> sample_rows() {
  std::vector<ResultRow> rows;
  const char* statuses[] = {"ok", "ok", "skipped", "failed"};
  for (std::uint64_t i = 0; i < 8; ++i) rows.push_back(testing::sample_row(i, statuses[i % 4]));
  rows[1].power_after_w = kNotRead;
  rows[2].message = "a, \"quoted\"\nmessage";
  rows[3].rel_ci = std::numeric_limits<double>::infinity();
  return rows;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(RowExport, JsonlHasOneTypedObjectPerRowWithEveryColumn) {
  std::ostringstream out;
  EXPECT_EQ(export_rows(sample_rows(), ExportFormat::jsonl, {}, out), 8u);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 8u);  // the message's line break is escaped inside its string
  const auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first.size(), result_column_names().size());
  EXPECT_TRUE(first.at("task_id").is_number_unsigned());
  EXPECT_TRUE(first.at("rank").is_number_integer());
  EXPECT_TRUE(first.at("time_s").is_number_float());
  EXPECT_TRUE(first.at("converged").is_boolean());
  EXPECT_TRUE(first.at("op").is_string());
  EXPECT_EQ(first.at("stop_reason"), "converged");
  const auto second = nlohmann::json::parse(lines[1]);
  EXPECT_TRUE(second.at("power_after_w").is_null());  // not read: NaN, which JSON lacks
  EXPECT_TRUE(nlohmann::json::parse(lines[3]).at("rel_ci").is_null());
  EXPECT_EQ(nlohmann::json::parse(lines[2]).at("message"), "a, \"quoted\"\nmessage");
}

TEST(RowExport, CsvHasAHeaderOfEveryColumnAndQuotesText) {
  std::ostringstream out;
  export_rows(sample_rows(), ExportFormat::csv, {}, out);
  const std::string csv = out.str();
  const auto header = lines_of(csv).at(0);
  EXPECT_TRUE(header.starts_with("task_id,point_id,op,dtype,"));
  EXPECT_TRUE(header.ends_with(",busbw_gbs,stop_reason"));
  EXPECT_THAT(csv, HasSubstr(",\"a, \"\"quoted\"\"\nmessage\","));
  EXPECT_THAT(csv, HasSubstr(",true,"));
  // Row 1: power_after_w empty (NaN); floats always read back as floats.
  const auto row1 = lines_of(csv).at(2);
  EXPECT_THAT(row1, HasSubstr(",301.0,,1,"));  // power before 300 + id, after empty, reasons 0x1
}

TEST(RowExport, FiltersByOpAndStatus) {
  std::ostringstream out;
  const RowFilter ok_scores{std::string("attention_score"), std::string("ok")};
  // Odd ids are attention_score; statuses cycle ok, ok, skipped, failed: ids 1 and 5.
  EXPECT_EQ(export_rows(sample_rows(), ExportFormat::jsonl, ok_scores, out), 2u);
  for (const auto& line : lines_of(out.str())) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.at("op"), "attention_score");
    EXPECT_EQ(j.at("status"), "ok");
  }
  EXPECT_FALSE(parse_export_format("xml"));
}

TEST(RowExport, NaNSurvivesTheFileAndRowsCompareEqualWithIt) {
  testing::TempDir dir;
  const std::string path = dir.file("nan.h5");
  const std::vector<ResultRow> rows = sample_rows();
  {
    ResultsStore store = ResultsStore::create(path, testing::sample_provenance());
    store.append(rows);
    store.close(true);
  }
  const ResultsFile file = read_results_file(path);
  ASSERT_EQ(file.rows.size(), rows.size());
  EXPECT_TRUE(std::isnan(file.rows[1].power_after_w));
  EXPECT_EQ(file.rows, rows);  // NaN matches NaN in ResultRow's ==
  ResultRow other = rows[1];
  other.power_after_w = 0;  // 0 is a reading, not "not read"
  EXPECT_FALSE(other == rows[1]);
}

// tests/io/data/format_v2.h5 was written by gemmsweep at format_version 2 (commit f01f6ad) from
// tests/io/data/format_v2.toml: cpu rows, telemetry stored as 0, none converged, 5 skipped.
TEST(FormatVersion2, FilesOfTheEarlierVersionStillRead) {
  const ResultsFile file = read_results_file(GEMMSWEEP_IO_DATA_DIR "/format_v2.h5");
  EXPECT_EQ(file.layout_version, 2);
  EXPECT_EQ(file.attributes.at("format_version"), "2");
  ASSERT_EQ(file.rows.size(), 10u);
  int ok = 0;
  for (const ResultRow& r : file.rows) {
    EXPECT_TRUE(std::isnan(r.sm_clock_before_mhz)) << "0 of version 2 means not read";
    EXPECT_TRUE(std::isnan(r.power_after_w));
    if (r.status != "ok") {
      EXPECT_EQ(r.stop_reason, "");
      continue;
    }
    ++ok;
    EXPECT_GT(r.time_s, 0);
    EXPECT_FALSE(r.converged);
    EXPECT_EQ(r.stop_reason, "max_samples");  // from its message: "max_samples reached"
  }
  EXPECT_EQ(ok, 5);
  EXPECT_TRUE(is_readable_format_version(2));
  EXPECT_FALSE(is_readable_format_version(1));
}

TEST(FormatVersion2, IsNotResumedButMayBeMergedOrExported) {
  testing::TempDir dir;
  const std::string copy = dir.file("v2.h5");
  std::filesystem::copy_file(GEMMSWEEP_IO_DATA_DIR "/format_v2.h5", copy);
  RunProvenance p = testing::sample_provenance(read_results_file(copy).attributes.at("spec_hash"));
  p.backend = "cpu";
  try {
    ResultsStore::resume(copy, p);
    FAIL() << "resumed a format_version 2 file";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("has format_version 2"));
    EXPECT_THAT(e.what(), HasSubstr("appends only to format_version 3"));
  }
}

TEST(FormatVersion2, MergesIntoAFileOfTheCurrentVersion) {
  testing::TempDir dir;
  const std::string out = dir.file("merged.h5");
  const MergeSummary s = merge_results(out, {GEMMSWEEP_IO_DATA_DIR "/format_v2.h5"}, "test");
  EXPECT_EQ(s.rows_written, 10u);
  const ResultsFile merged = read_results_file(out);
  EXPECT_EQ(merged.layout_version, kFormatVersion);
  EXPECT_EQ(merged.attributes.at("format_version"), std::to_string(kFormatVersion));
  const ResultsFile original = read_results_file(GEMMSWEEP_IO_DATA_DIR "/format_v2.h5");
  EXPECT_EQ(merged.rows, original.rows);  // NaN telemetry and the implied stop_reason kept
}

}  // namespace
}  // namespace gs
