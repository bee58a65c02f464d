// Rows with an empty status: /results grown (H5Dset_extent) but never written, as a write that
// failed on a full disk left them before the store shrank the dataset back. Every reader must
// ignore them, and --resume must measure their tasks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "io/merge.hpp"
#include "io/report.hpp"
#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io_test_support.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // the io tests' builders (io_test_support.hpp)

// Rows 1..10 (no task 0, which is what an unwritten row's task_id reads as), then `extra` rows
// grown but never written.
void write_file_with_unwritten_rows(const std::string& path, hsize_t extra) {
  write_results_file(path, sample_provenance(), sample_rows(1, 10), {sample_device(0)}, false);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t results = H5Dopen2(file, "results", H5P_DEFAULT);
  ASSERT_GE(results, 0);
  const hsize_t rows = 10 + extra;
  EXPECT_GE(H5Dset_extent(results, &rows), 0);
  H5Dclose(results);
  EXPECT_GE(H5Fclose(file), 0);
}

TEST(UnwrittenRows, TheReaderLeavesThemOutAndCountsThem) {
  TempDir dir;
  write_file_with_unwritten_rows(dir.file("u.h5"), 5);
  const ResultsFile f = read_results_file(dir.file("u.h5"));
  EXPECT_EQ(f.rows.size(), 10u);
  EXPECT_EQ(f.unwritten_rows, 5u);
  for (const ResultRow& r : f.rows) EXPECT_EQ(r.status, "ok");
}

TEST(UnwrittenRows, ResumeDropsThemAtTheEndAndMeasuresTheirTasks) {
  TempDir dir;
  const std::string path = dir.file("u.h5");
  write_file_with_unwritten_rows(path, 7);
  {
    ResultsStore store = ResultsStore::resume(path, sample_provenance());
    EXPECT_EQ(store.unwritten_rows(), 7u);
    EXPECT_EQ(store.finished().size(), 10u);
    EXPECT_FALSE(store.finished().contains(0)) << "an unwritten row counted as task 0 done";
    store.append({sample_row(0)});
    store.close(true);
  }
  const ResultsFile f = read_results_file(path);
  EXPECT_EQ(f.unwritten_rows, 0u);
  ASSERT_EQ(f.rows.size(), 11u);
  EXPECT_EQ(f.rows.back(), sample_row(0));  // right after the last written row
}

TEST(UnwrittenRows, ReportIgnoresThemAndSaysHowMany) {
  TempDir dir;
  write_file_with_unwritten_rows(dir.file("u.h5"), 5);
  const ResultsFile f = read_results_file(dir.file("u.h5"));
  std::ostringstream table, json;
  write_report(f, ReportFormat::table, table);
  EXPECT_THAT(table.str(), HasSubstr("results: 10 rows"));
  EXPECT_THAT(table.str(), HasSubstr("ignored 5 unwritten row(s)"));
  EXPECT_THAT(table.str(), HasSubstr("status:  ok 10\n"));
  write_report(f, ReportFormat::json, json);
  const auto j = nlohmann::json::parse(json.str());
  EXPECT_EQ(j.at("run").at("unwritten_rows"), 5);
  EXPECT_FALSE(j.at("status_counts").contains(""));

  // A ResultsFile built by hand with such a row (not through the reader) is treated the same.
  ResultsFile by_hand = f;
  by_hand.unwritten_rows = 0;
  by_hand.rows.push_back(ResultRow{});
  std::ostringstream again;
  write_report(by_hand, ReportFormat::table, again);
  EXPECT_THAT(again.str(), HasSubstr("results: 10 rows"));
  EXPECT_THAT(again.str(), HasSubstr("ignored 1 unwritten row(s)"));
}

TEST(UnwrittenRows, MergeDropsThem) {
  TempDir dir;
  write_file_with_unwritten_rows(dir.file("u.h5"), 5);
  const MergeSummary s = merge_results(dir.file("m.h5"), {dir.file("u.h5")});
  EXPECT_EQ(s.rows_read, 10u);
  EXPECT_EQ(s.rows_written, 10u);
  EXPECT_EQ(s.unwritten_rows, 5u);
  const ResultsFile m = read_results_file(dir.file("m.h5"));
  EXPECT_EQ(m.rows.size(), 10u);
  EXPECT_EQ(m.unwritten_rows, 0u);
}

}  // namespace
}  // namespace gs
