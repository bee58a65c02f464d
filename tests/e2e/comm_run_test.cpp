// Collective sweeps end to end: the real binary under mpiexec -n 4 (oversubscribed) with the cpu
// backend, whose collectives are MPI's. Groups of 2 and 4 run, 8 is skipped; every task has
// exactly one row; the bandwidth columns follow from time and size.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "binary_test.hpp"
#include "io/results_file.hpp"
#include "jobs/op.hpp"
#include "process.hpp"
#include "results_poll.hpp"

namespace gs::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCommJob = R"(name = "comm-e2e"
ops = ["all_reduce", "all_gather", "reduce_scatter", "broadcast", "all_to_all"]
dtype = ["fp32", "bf16"]
[comm]
bytes = { start = 1024, stop = 65536, factor = 8 }   # 1 KiB, 8 KiB, 64 KiB
group_size = [2, 4, 8]
[timing]
warmup = 1
min_samples = 3
max_samples = 5
max_seconds_per_point = 0.5
)";
// 2 dtypes x 3 groups x 3 sizes x 5 ops; the 30 of group 8 cannot run on 4 ranks.
constexpr std::size_t kCommRows = 90, kCommSkipped = 30;

// GEMMs and the tensor-parallel collectives of the same layer in one sweep.
constexpr const char* kMixedJob = R"(name = "mixed-e2e"
ops = ["qkv_transform", "all_reduce", "reduce_scatter"]
dtype = "fp32"
[model]
heads = 8
head_dim = 16
microbatch = 1
seq_length = 64
tensor_parallel = [1, 2, 4]
[timing]
warmup = 1
min_samples = 3
max_samples = 5
max_seconds_per_point = 0.5
)";

class CommE2E : public BinaryTest {
 protected:
  void SetUp() override {
    BinaryTest::SetUp();
    write("comm.toml", kCommJob);
    write("mixed.toml", kMixedJob);
  }
};

std::map<std::uint64_t, ResultRow> exactly_once(const ResultsFile& f) {
  std::map<std::uint64_t, ResultRow> rows;
  for (const ResultRow& r : f.rows) EXPECT_TRUE(rows.emplace(r.task_id, r).second) << r.task_id;
  return rows;
}

void expect_consistent_bandwidth(const ResultRow& r) {
  const Op op = *parse_op(r.op);
  ASSERT_GT(r.time_s, 0) << r.task_id;
  EXPECT_NEAR(r.algbw_gbs, static_cast<double>(r.message_bytes) / r.time_s / 1e9,
              1e-9 * r.algbw_gbs);
  EXPECT_NEAR(r.busbw_gbs, r.algbw_gbs * bus_factor(op, r.group_size), 1e-9 * r.busbw_gbs);
  EXPECT_EQ(r.tflops, 0.0);
}

TEST_F(CommE2E, GroupsOfTwoAndFourOnFourRanksAndEightFails) {
  const auto r = gemmsweep(4, {"run", path("comm.toml"), "-o", path("out.h5"), "--backend", "cpu"});
  // The groups of 8 are left failed: incomplete, exit 3, and --resume with 8 ranks finishes it.
  ASSERT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("incomplete: 30 task(s) failed"), std::string::npos) << r.err;
  const ResultsFile f = read_results_file(path("out.h5"));
  EXPECT_EQ(f.attributes.at("complete"), "0");
  const auto rows = exactly_once(f);
  ASSERT_EQ(rows.size(), kCommRows);
  std::map<std::int64_t, std::size_t> ok_by_group;
  std::size_t skipped = 0;
  for (const auto& [id, row] : rows) {
    EXPECT_TRUE(is_collective(*parse_op(row.op)));
    EXPECT_GT(row.message_bytes, 0);
    if (row.group_size == 8) {
      ++skipped;
      EXPECT_EQ(row.status, "failed");  // this run cannot form it; --resume with 8 ranks can
      EXPECT_EQ(row.message,
                "group_size 8 needs 8 ranks at once; this run has 4 (run it with more ranks)");
      continue;
    }
    ASSERT_EQ(row.status, "ok") << row.message;  // ok: the result was checked before timing
    ++ok_by_group[row.group_size];
    EXPECT_EQ(row.rank, 0);  // one host: the group is ranks 0.., and its first member reports
    // Notes of the stopping rule may come first; the group always ends the message.
    const std::string group = row.group_size == 2 ? "group of ranks 0,1 on 1 host(s)"
                                                  : "group of ranks 0,1,2,3 on 1 host(s)";
    EXPECT_TRUE(row.message.ends_with(group)) << row.message;
    EXPECT_EQ(row.algo.rfind("MPI", 0), 0u) << row.algo;
    EXPECT_GE(row.samples, 1);  // the time limit may cut min_samples short on a loaded machine
    expect_consistent_bandwidth(row);
  }
  EXPECT_EQ(skipped, kCommSkipped);
  EXPECT_EQ(ok_by_group[2], 30u);
  EXPECT_EQ(ok_by_group[4], 30u);

  const auto report = gemmsweep(0, {"report", path("out.h5"), "--format", "json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto j = nlohmann::json::parse(report.out);
  ASSERT_EQ(j.at("bandwidth").size(), 60u);  // one line per op, dtype, group, size
  for (const auto& b : j.at("bandwidth")) {
    EXPECT_EQ(b.at("rows"), 1);
    EXPECT_GT(b.at("busbw_gbs").get<double>(), 0);
  }
  const auto table = gemmsweep(0, {"report", path("out.h5")});
  EXPECT_NE(table.out.find("collectives (median of ok rows"), std::string::npos) << table.out;
}

TEST_F(CommE2E, GemmsAndTensorParallelCollectivesShareOneSweep) {
  const auto r =
      gemmsweep(4, {"run", path("mixed.toml"), "-o", path("out.h5"), "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = exactly_once(read_results_file(path("out.h5")));
  ASSERT_EQ(rows.size(), 9u);  // 3 points x 3 ops
  std::size_t gemms = 0, collectives = 0, skipped = 0;
  for (const auto& [id, row] : rows) {
    if (row.op == "qkv_transform") {
      ++gemms;
      EXPECT_EQ(row.status, "ok") << row.message;
      EXPECT_EQ(row.message_bytes, 0);
      EXPECT_GT(row.tflops, 0);
      continue;
    }
    if (row.tensor_parallel == 1) {
      ++skipped;
      EXPECT_EQ(row.status, "skipped");
      continue;
    }
    ++collectives;
    ASSERT_EQ(row.status, "ok") << row.message;
    EXPECT_EQ(row.group_size, row.tensor_parallel);
    EXPECT_EQ(row.message_bytes, 1 * 64 * 128 * 4);  // b*s*h fp32 elements
    expect_consistent_bandwidth(row);
  }
  EXPECT_EQ(gemms, 3u);
  EXPECT_EQ(collectives, 4u);
  EXPECT_EQ(skipped, 2u);
}

TEST_F(CommE2E, WithoutEnoughRanksOrCollectivesEveryCollectiveFailsWithAReason) {
  // Alone: no group of 2 can form.
  auto r = gemmsweep(0, {"run", path("comm.toml"), "-o", path("alone.h5"), "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 3) << r.err;
  for (const auto& [id, row] : exactly_once(read_results_file(path("alone.h5")))) {
    EXPECT_EQ(row.status, "failed");
    EXPECT_NE(row.message.find("this run has 1"), std::string::npos) << row.message;
  }
  // The model backend models GEMMs, not links.
  r = gemmsweep(2, {"run", path("comm.toml"), "-o", path("model.h5"), "--backend", "model"});
  ASSERT_EQ(r.exit_code, 3) << r.err;
  const auto rows = exactly_once(read_results_file(path("model.h5")));
  ASSERT_EQ(rows.size(), kCommRows);
  for (const auto& [id, row] : rows) {
    EXPECT_EQ(row.status, "failed");
    EXPECT_EQ(row.message,
              "backend model has no collectives; use --backend cpu (MPI) or cuda (NCCL)");
  }
}

TEST_F(CommE2E, ResumingWithMoreRanksMeasuresTheGroupsAnEarlierRunCouldNotForm) {
  auto r = gemmsweep(2, {"run", path("comm.toml"), "-o", path("grow.h5"), "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 3) << r.err;
  std::size_t not_formed = 0;
  for (const auto& [id, row] : exactly_once(read_results_file(path("grow.h5"))))
    not_formed += row.group_size > 2 && row.status == "failed";
  EXPECT_EQ(not_formed, 30u + kCommSkipped);  // groups of 4 and 8
  r = gemmsweep(4,
                {"run", path("comm.toml"), "-o", path("grow.h5"), "--backend", "cpu", "--resume"});
  ASSERT_EQ(r.exit_code, 3) << r.err;  // the groups of 8 still cannot form
  const auto rows = exactly_once(read_results_file(path("grow.h5")));
  ASSERT_EQ(rows.size(), kCommRows);
  for (const auto& [id, row] : rows)
    EXPECT_EQ(row.status, row.group_size == 8 ? "failed" : "ok") << row.message;
}

// Each collective samples until its 0.3 s limit (the CI rule never holds): 12 tasks, about 4 s.
constexpr const char* kSlowJob = R"(name = "comm-slow"
ops = ["all_reduce", "all_gather", "broadcast"]
dtype = "fp32"
[comm]
bytes = [4096, 65536]
group_size = [2, 4]
[timing]
warmup = 1
min_samples = 1000000
max_samples = 1000000
max_rel_ci = 1e-12
max_seconds_per_point = 0.3
)";

TEST_F(CommE2E, SigtermDuringCollectivesExitsThreeAndResumeCompletesThemOnce) {
  std::ofstream(path("slow.toml")) << kSlowJob;
  const std::vector<std::string> run = {"run",          path("slow.toml"), "-o",
                                        path("out.h5"), "--backend",       "cpu"};
  std::vector<std::string> argv{GEMMSWEEP_BINARY};
  argv.insert(argv.end(), run.begin(), run.end());
  Process sweep(with_mpiexec(4, argv), dir_.string());
  ASSERT_TRUE(sweep.wait_for_stderr("to measure", 120));
  ASSERT_TRUE(wait_for_rows(path("out.h5"), 1, 60)) << "no collective measured";
  sweep.signal_children(SIGTERM);  // every rank, as Slurm does
  const auto r = sweep.wait();
  ASSERT_EQ(r.exit_code, 3) << r.err;
  const auto before = exactly_once(read_results_file(path("out.h5")));
  EXPECT_LT(before.size(), 12u) << "the sweep finished before the signal";

  std::vector<std::string> resume = run;
  resume.push_back("--resume");
  const auto resumed = gemmsweep(4, resume);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto after = exactly_once(read_results_file(path("out.h5")));
  EXPECT_EQ(after.size(), 12u);
  for (const auto& [id, row] : before) {
    ASSERT_TRUE(after.contains(id)) << "lost " << id;
    EXPECT_EQ(after.at(id).started_unix, row.started_unix) << "redid " << id;
  }
  for (const auto& [id, row] : after) {
    EXPECT_EQ(row.status, "ok") << row.message;
    EXPECT_NE(row.message.find("max_seconds_per_point reached"), std::string::npos) << row.message;
  }
}

}  // namespace
}  // namespace gs::test
