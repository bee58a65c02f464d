#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/merge.hpp"
#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io_test_support.hpp"
#include "jobs/grid.hpp"
#include "jobs/job_parser.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // the io tests' builders (io_test_support.hpp)

ResultRow row_at(std::uint64_t id, const std::string& status, double started) {
  ResultRow r = sample_row(id, status);
  r.started_unix = started;
  return r;
}

TEST(Merge, DuplicatesKeepTheNewestOkRowDevicesAreUnitedProvenanceIsKept) {
  TempDir dir;
  std::vector<ResultRow> a, b;
  for (std::uint64_t i = 0; i < 10; ++i) a.push_back(row_at(i, "ok", 100));
  for (std::uint64_t i = 5; i < 8; ++i) b.push_back(row_at(i, "ok", 200));       // newer ok
  for (std::uint64_t i = 8; i < 10; ++i) b.push_back(row_at(i, "failed", 300));  // newer, failed
  for (std::uint64_t i = 10; i < 15; ++i) b.push_back(row_at(i, "ok", 200));
  b[0].tflops = 777;  // marks the row that must win for task 5
  write_results_file(dir.file("a.h5"), sample_provenance(), a, {sample_device(0)});
  write_results_file(dir.file("b.h5"), sample_provenance(), b,
                     {sample_device(0), sample_device(1)});

  const MergeSummary summary = merge_results(dir.file("m.h5"), {dir.file("a.h5"), dir.file("b.h5")},
                                             "gemmsweep merge -o m.h5 a.h5 b.h5");
  EXPECT_EQ(summary.inputs, 2u);
  EXPECT_EQ(summary.rows_read, 20u);
  EXPECT_EQ(summary.rows_written, 15u);
  EXPECT_EQ(summary.duplicates_dropped, 5u);
  EXPECT_EQ(summary.devices, 2u);
  // The sample job text is not a whole job file: no grid to check against, so not complete.
  EXPECT_FALSE(summary.grid_known);
  EXPECT_FALSE(summary.complete);

  const ResultsFile m = read_results_file(dir.file("m.h5"));
  ASSERT_EQ(m.rows.size(), 15u);
  std::map<std::uint64_t, ResultRow> by_id;
  for (const ResultRow& r : m.rows) by_id[r.task_id] = r;
  ASSERT_EQ(by_id.size(), 15u);
  EXPECT_EQ(by_id[5].tflops, 777);
  EXPECT_EQ(by_id[6].started_unix, 200);
  EXPECT_EQ(by_id[8].status, "ok");  // the older ok row beats the newer failed one
  EXPECT_EQ(by_id[8].started_unix, 100);
  EXPECT_EQ(by_id[14], b.back());
  EXPECT_EQ(m.devices.size(), 2u);
  EXPECT_EQ(m.attributes.at("spec_hash"), "abc123");
  EXPECT_EQ(m.attributes.at("complete"), "0");
  EXPECT_EQ(m.attributes.at("command_line"), "gemmsweep merge -o m.h5 a.h5 b.h5");
  ASSERT_EQ(m.provenance.size(), 3u);
  const auto input = nlohmann::json::parse(m.provenance[1]);
  EXPECT_EQ(input.at("event"), "merge-input");
  EXPECT_EQ(input.at("source"), dir.file("a.h5"));
  EXPECT_EQ(input.at("history").at(0).at("event"), "create");
  EXPECT_EQ(input.at("attributes").at("spec_hash"), "abc123");
}

TEST(Merge, CollectiveRowsAreKeyedByMessageAndGroupCalibrationRowsAllKept) {
  TempDir dir;
  std::vector<ResultRow> rows;
  for (std::uint64_t i = 0; i < 4; ++i) {
    ResultRow r = row_at(i, "ok", 100);
    r.op = "all_reduce";
    r.hidden_size = r.heads = r.head_dim = r.microbatch = r.seq_length = 0;
    r.batch = r.m = r.n = r.k = 0;
    r.message_bytes = 1024 << (i % 2);  // two sizes
    r.group_size = i < 2 ? 2 : 4;       // two groups
    rows.push_back(r);
  }
  for (std::uint64_t i = 4; i < 7; ++i) {
    ResultRow r = row_at(4, "calib", 100 + static_cast<double>(i));  // one shape, three ranks
    r.task_id = r.point_id = i;
    r.rank = static_cast<std::int32_t>(i);
    rows.push_back(r);
  }
  write_results_file(dir.file("c.h5"), sample_provenance(), rows, {sample_device(0)});
  const MergeSummary summary = merge_results(dir.file("m.h5"), {dir.file("c.h5")});
  EXPECT_EQ(summary.rows_written, 7u);
  EXPECT_EQ(summary.duplicates_dropped, 0u);
  EXPECT_EQ(read_results_file(dir.file("m.h5")).rows.size(), 7u);
}

// A job of four tasks (head_dim 1..4) and its rows, as shards of it would write them.
constexpr const char* kFourTaskJob =
    "name = \"four\"\nops = [\"attention_score\"]\ndtype = \"fp16\"\n[model]\nheads = 32\n"
    "head_dim = { start = 1, stop = 4 }\nmicrobatch = 4\nseq_length = 2048\ntensor_parallel = 1\n";

std::vector<ResultRow> four_task_rows() {
  std::vector<ResultRow> rows;
  for (const Task& t : expand(parse_job_text(kFourTaskJob, "four.toml")).tasks) {
    ResultRow r = make_skipped_row({t, ""});
    r.status = "ok";
    r.rank = 0;
    r.tflops = 100 + static_cast<double>(rows.size());
    rows.push_back(r);
  }
  return rows;
}

RunProvenance four_task_provenance() {
  RunProvenance p = sample_provenance("four-hash");
  p.spec_text = kFourTaskJob;
  return p;
}

TEST(Merge, IsCompleteOnlyWhenEveryGridTaskHasAnOkOrSkippedRow) {
  TempDir dir;
  const std::vector<ResultRow> rows = four_task_rows();
  ASSERT_EQ(rows.size(), 4u);
  // Each shard's file is complete for its shard.
  write_results_file(dir.file("a.h5"), four_task_provenance(), {rows[0], rows[1]}, {}, true);
  ResultRow failed = rows[3];
  failed.status = "failed";
  write_results_file(dir.file("b.h5"), four_task_provenance(), {rows[2], failed}, {}, true);
  write_results_file(dir.file("c.h5"), four_task_provenance(), {rows[3]}, {}, true);

  const MergeSummary one = merge_results(dir.file("m1.h5"), {dir.file("a.h5")});
  EXPECT_TRUE(one.grid_known) << one.grid_problem;
  EXPECT_EQ(one.grid_tasks, 4u);
  EXPECT_EQ(one.missing_tasks, 2u);
  EXPECT_FALSE(one.complete);
  EXPECT_EQ(read_results_file(dir.file("m1.h5")).attributes.at("complete"), "0");

  const MergeSummary with_failed =
      merge_results(dir.file("m2.h5"), {dir.file("a.h5"), dir.file("b.h5")});
  EXPECT_EQ(with_failed.missing_tasks, 1u);  // a failed row does not cover its task
  EXPECT_FALSE(with_failed.complete);

  const MergeSummary all =
      merge_results(dir.file("m3.h5"), {dir.file("a.h5"), dir.file("b.h5"), dir.file("c.h5")});
  EXPECT_EQ(all.missing_tasks, 0u);
  EXPECT_TRUE(all.complete);
  EXPECT_EQ(read_results_file(dir.file("m3.h5")).attributes.at("complete"), "1");
}

TEST(Merge, DifferentGridsMergeByShapeAndAreMarked) {
  TempDir dir;
  ResultRow same_id_other_shape = sample_row(1, "failed");
  same_id_other_shape.hidden_size = 99999;
  write_results_file(dir.file("a.h5"), sample_provenance("aaaa"), {sample_row(1)}, {});
  write_results_file(dir.file("b.h5"), sample_provenance("bbbb"), {same_id_other_shape}, {});
  merge_results(dir.file("m.h5"), {dir.file("a.h5"), dir.file("b.h5")}, "merge",
                grid_of_job_file_text, /*allow_different_jobs=*/true);
  const ResultsFile m = read_results_file(dir.file("m.h5"));
  EXPECT_EQ(m.rows.size(), 2u);  // same task id, different shapes: both kept
  EXPECT_EQ(m.attributes.at("spec_hash"), "merged:aaaa+bbbb");
  EXPECT_THAT(m.attributes.at("spec"), HasSubstr("spec_hash aaaa"));
}

TEST(Merge, RefusesDifferentJobsUnlessAskedAndWritesNothing) {
  TempDir dir;
  RunProvenance bf16 = sample_provenance("bbbb");
  bf16.job_name = "attention-score-a32-bf16";
  write_results_file(dir.file("a.h5"), sample_provenance("aaaa"), {sample_row(1)}, {});
  write_results_file(dir.file("b.h5"), bf16, {sample_row(2)}, {});
  try {
    merge_results(dir.file("m.h5"), {dir.file("a.h5"), dir.file("b.h5")});
    FAIL() << "merged two different job files without being asked";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("b.h5"));
    EXPECT_THAT(e.what(), HasSubstr("attention-score-a32-bf16"));
    EXPECT_THAT(e.what(), HasSubstr("--allow-different-jobs"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("m.h5")));
}

TEST(Merge, RefusesDifferentBackends) {
  TempDir dir;
  RunProvenance model = sample_provenance();
  model.backend = "model";
  write_results_file(dir.file("a.h5"), sample_provenance(), {sample_row(1)}, {});
  write_results_file(dir.file("b.h5"), model, {sample_row(2)}, {});
  try {
    merge_results(dir.file("m.h5"), {dir.file("a.h5"), dir.file("b.h5")});
    FAIL() << "merged cuda and model results";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("backend"));
    EXPECT_THAT(e.what(), HasSubstr("b.h5"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("m.h5")));
}

TEST(Merge, RefusesAnExistingOutputAMissingInputAndOutputAsInput) {
  TempDir dir;
  write_results_file(dir.file("a.h5"), sample_provenance(), {sample_row(1)}, {});
  EXPECT_THROW(merge_results(dir.file("a.h5"), {dir.file("a.h5")}), StoreError);
  EXPECT_THROW(merge_results(dir.file("m.h5"), {dir.file("a.h5"), dir.file("none.h5")}),
               StoreError);
  EXPECT_THROW(merge_results(dir.file("m.h5"), {}), StoreError);
  write_results_file(dir.file("m.h5"), sample_provenance(), {}, {});
  EXPECT_THROW(merge_results(dir.file("m.h5"), {dir.file("a.h5")}), StoreError);
}

}  // namespace
}  // namespace gs
