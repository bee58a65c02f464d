// gemmsweep advise end to end: the real binary under a real mpiexec with the model backend:
// a sweep of the distinct GEMMs, /advice, resume of an interrupted advise run, --from, plan,
// and bad tables (exit 2, nothing written).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "advise/advice_dataset.hpp"
#include "binary_test.hpp"
#include "io/results_file.hpp"
#include "process.hpp"

namespace gs::test {
namespace {

namespace fs = std::filesystem;

// tests/advise/data/tiny_advise.toml: 4 candidates, 35 distinct GEMMs.
std::string tiny_job() {
  std::ifstream in(std::string(GEMMSWEEP_SOURCE_DIR) + "/tests/advise/data/tiny_advise.toml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
constexpr std::size_t kCandidates = 4, kDistinct = 35;

class AdviseE2E : public BinaryTest {
 protected:
  void SetUp() override {
    BinaryTest::SetUp();
    write("advise.toml", tiny_job());
  }
  ProcessResult advise(int ranks, const std::string& out, std::vector<std::string> extra = {},
                       const Environment& env = {}) {
    std::vector<std::string> args = {"advise", path("advise.toml"), "-o",
                                     out,      "--backend",         "model"};
    args.insert(args.end(), extra.begin(), extra.end());
    return gemmsweep(ranks, args, env);
  }
};

void expect_one_error_line(const ProcessResult& r, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::vector<std::string> ours;
  for (const std::string& line : lines_of(r.err))
    if (line.rfind("gemmsweep:", 0) == 0) ours.push_back(line);
  ASSERT_EQ(ours.size(), 1u) << r.err;
  EXPECT_EQ(ours[0].rfind("gemmsweep: error: ", 0), 0u) << ours[0];
  EXPECT_NE(ours[0].find(needle), std::string::npos) << ours[0];
}

void expect_complete_advice(const std::vector<AdviceRecord>& advice) {
  ASSERT_EQ(advice.size(), kCandidates);
  std::set<int> ranks;
  int baselines = 0;
  for (const AdviceRecord& r : advice) {
    ranks.insert(r.rank);
    baselines += r.baseline;
    EXPECT_EQ(r.measured, 1);
    EXPECT_EQ(r.backward_measured, 1);
    EXPECT_GT(r.tokens_per_s, 0);
  }
  EXPECT_EQ(ranks, (std::set<int>{1, 2, 3, 4}));
  EXPECT_EQ(baselines, 1);
}

TEST_F(AdviseE2E, MeasuresTheDistinctGemmsUnderMpirunAndWritesAdvice) {
  const auto r = advise(3, path("out.h5"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ResultsFile file = read_results_file(path("out.h5"));
  EXPECT_EQ(file.rows.size(), kDistinct);
  std::set<int> measured_by;
  for (const ResultRow& row : file.rows) measured_by.insert(row.rank);
  EXPECT_GT(measured_by.size(), 1u) << "the scheduler gave every task to one rank";
  expect_complete_advice(read_advice(path("out.h5")));
  EXPECT_NE(r.out.find("baseline rank"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("35 distinct GEMMs for 84 products"), std::string::npos) << r.out;
}

TEST_F(AdviseE2E, AnInterruptedAdviseRunResumes) {
  // Task 2 (qkv of the first product) fails on every rank: the sweep is incomplete, exit 3,
  // and no /advice is written from it.
  const auto failed = advise(2, path("out.h5"), {}, {{"GEMMSWEEP_TEST_FAIL", "task=2,everywhere"}});
  ASSERT_EQ(failed.exit_code, 3) << failed.err;
  EXPECT_ANY_THROW(read_advice(path("out.h5")));
  const auto resumed = advise(2, path("out.h5"), {"--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find(std::to_string(kDistinct - 1) + " already in"), std::string::npos)
      << resumed.err;
  expect_complete_advice(read_advice(path("out.h5")));
}

TEST_F(AdviseE2E, RanksFromAnExistingFile) {
  ASSERT_EQ(advise(0, path("out.h5")).exit_code, 0);
  const auto from = gemmsweep(0, {"advise", path("advise.toml"), "--from", path("out.h5")});
  ASSERT_EQ(from.exit_code, 0) << from.err;
  expect_complete_advice(read_advice(path("out.h5")));

  // Another vocabulary needs logit products the file lacks: named, exit 2, file left alone...
  std::string other = tiny_job();
  other.replace(other.find("vocab_size = 256\n"), 17, "vocab_size = 320\n");
  other.replace(other.find("vocab_size = 256 }"), 18, "vocab_size = 320 }");
  write("other.toml", other);
  // (the logit's three products at each width: 6 of 38, h 256 no longer sharing them with the
  // projection)
  const auto refused = gemmsweep(0, {"advise", path("other.toml"), "--from", path("out.h5")});
  expect_one_error_line(refused, "--predict-missing");
  EXPECT_NE(refused.err.find("lacks 6 of its 38 distinct GEMMs (e.g. logit_vocab_parallel"),
            std::string::npos)
      << refused.err;
  expect_complete_advice(read_advice(path("out.h5")));
  // ... and predicted by the model when asked, those candidates flagged.
  const auto predicted =
      gemmsweep(0, {"advise", path("other.toml"), "--from", path("out.h5"), "--predict-missing"});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  EXPECT_NE(predicted.out.find("6 of the 38 distinct GEMMs have no row"), std::string::npos)
      << predicted.out;
  for (const AdviceRecord& r : read_advice(path("out.h5"))) EXPECT_EQ(r.measured, 0);
}

// With t > 1 and measure_collectives the sweep measures the all-reduces too (cpu backend, MPI),
// and the step uses those rows instead of the estimate.
TEST_F(AdviseE2E, MeasuresTheTensorParallelAllReducesWhenAsked) {
  std::string job = tiny_job();
  job.replace(job.find("seq_length = 32\n"), 16,
              "seq_length = 32\ntensor_parallel = 2\nmeasure_collectives = true\n");
  job += "[timing]\nwarmup = 1\nmin_samples = 3\nmax_samples = 5\n";
  write("tp.toml", job);
  const auto r = gemmsweep(2, {"advise", path("tp.toml"), "-o", path("tp.h5"), "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t reduces = 0;
  for (const ResultRow& row : read_results_file(path("tp.h5")).rows)
    if (row.op == "all_reduce") {
      ++reduces;
      EXPECT_EQ(row.status, "ok") << row.message;
      EXPECT_EQ(row.group_size, 2);
    }
  EXPECT_EQ(reduces, 2u);  // b*s*h for h 128 and h 256
  const auto advice = read_advice(path("tp.h5"));
  ASSERT_EQ(advice.size(), kCandidates);
  for (const AdviceRecord& a : advice) {
    EXPECT_EQ(a.comm_estimated, 0);
    EXPECT_TRUE(std::isnan(a.mfu));  // the cpu has no dense peak
  }
}

// Shards measure their part of the distinct GEMMs; merge knows an advise job's tasks, so the
// merged file is complete, and --from ranks from it.
TEST_F(AdviseE2E, ShardsMergeIntoACompleteFileToRankFrom) {
  for (const char* shard : {"0/2", "1/2"}) {
    const auto r = advise(2, path(std::string("s") + shard[0] + ".h5"), {"--shard", shard});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("merge the shards"), std::string::npos) << r.err;
    EXPECT_ANY_THROW(read_advice(path(std::string("s") + shard[0] + ".h5")));
  }
  const auto merged = gemmsweep(0, {"merge", "-o", path("m.h5"), path("s0.h5"), path("s1.h5")});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(read_results_file(path("m.h5")).rows.size(), kDistinct);
  const auto from = gemmsweep(0, {"advise", path("advise.toml"), "--from", path("m.h5")});
  ASSERT_EQ(from.exit_code, 0) << from.err;
  expect_complete_advice(read_advice(path("m.h5")));
}

TEST_F(AdviseE2E, PlanShowsCandidatesAndDistinctGemms) {
  const auto r = gemmsweep(0, {"plan", path("advise.toml")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("candidates:     4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("distinct GEMMs: 35"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("GPU-hours"), std::string::npos) << r.out;
}

TEST_F(AdviseE2E, BadTablesExitTwoAndWriteNothing) {
  std::string bad = tiny_job();
  bad.replace(bad.find("tolerance = 0.9"), 15, "tolerance = 0");
  write("bad.toml", bad);
  for (int ranks : {0, 2}) {
    expect_one_error_line(
        gemmsweep(ranks, {"advise", path("bad.toml"), "-o", path("out.h5"), "--backend", "model"}),
        "advise.params.tolerance");
    EXPECT_FALSE(fs::exists(path("out.h5")));
  }
  std::string outside = tiny_job();
  outside.replace(outside.find("baseline = { hidden_size = 128"), 30,
                  "baseline = { hidden_size = 192");
  write("outside.toml", outside);
  expect_one_error_line(gemmsweep(0, {"advise", path("outside.toml"), "-o", path("out.h5")}),
                        "advise.baseline.hidden_size: 192 is outside the axes");
  EXPECT_FALSE(fs::exists(path("out.h5")));
}

}  // namespace
}  // namespace gs::test
