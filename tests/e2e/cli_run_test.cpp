// gemmsweep run / resume / report / merge end to end: the real binary, under a real mpiexec
// (oversubscribed), on small grids with the model backend.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "binary_test.hpp"
#include "io/results_file.hpp"
#include "process.hpp"
#include "results_poll.hpp"

namespace gs::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJob = R"(name = "e2e"
ops = ["attention_score", "attention_over_value"]
dtype = "fp16"

[model]
heads = 32
head_dim = { start = 1, stop = 48 }
microbatch = 1
seq_length = 512
tensor_parallel = [1, 3]   # t = 3 does not divide 32 heads: skipped rows
)";
constexpr std::size_t kTasks = 96, kSkipped = 96;

class E2E : public BinaryTest {
 protected:
  void SetUp() override {
    BinaryTest::SetUp();
    write("e2e.toml", kJob);
  }

  std::string job() const { return path("e2e.toml"); }

  ProcessResult run_model(int ranks, const std::string& out, std::vector<std::string> extra = {},
                          const Environment& env = {}) {
    std::vector<std::string> args = {"run", job(), "-o", out, "--backend", "model"};
    args.insert(args.end(), extra.begin(), extra.end());
    return gemmsweep(ranks, args, env);
  }
};

std::map<std::uint64_t, ResultRow> by_task(const ResultsFile& f) {
  std::map<std::uint64_t, ResultRow> m;
  for (const ResultRow& r : f.rows)
    if (r.status != "calib") {
      EXPECT_TRUE(m.emplace(r.task_id, r).second) << "duplicate " << r.task_id;
    }
  return m;
}

std::uint64_t task_id_of(const ResultsFile& f, std::int64_t head_dim, const std::string& op) {
  for (const ResultRow& r : f.rows)
    if (r.head_dim == head_dim && r.op == op && r.tensor_parallel == 1) return r.task_id;
  ADD_FAILURE() << "no row for head_dim " << head_dim;
  return 0;
}

void expect_one_error_line(const ProcessResult& r, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::vector<std::string> ours;
  for (const std::string& line : lines_of(r.err))
    if (line.rfind("gemmsweep:", 0) == 0) ours.push_back(line);
  ASSERT_EQ(ours.size(), 1u) << r.err;
  EXPECT_EQ(ours[0].rfind("gemmsweep: error: ", 0), 0u) << ours[0];
  EXPECT_NE(ours[0].find(needle), std::string::npos) << ours[0];
}

TEST_F(E2E, SameRowsWhateverTheNumberOfRanksAndRankZeroMeasures) {
  std::map<std::uint64_t, ResultRow> reference;
  for (int ranks : {0, 1, 2, 3, 4}) {  // 0: started alone, without mpiexec
    SCOPED_TRACE(::testing::Message() << "ranks " << ranks);
    const std::string out = path(fmt::format("r{}.h5", ranks));
    const auto r = run_model(ranks, out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const ResultsFile f = read_results_file(out);
    const auto rows = by_task(f);
    ASSERT_EQ(rows.size(), kTasks + kSkipped);
    EXPECT_EQ(f.rows.size(), kTasks + kSkipped);
    std::set<int> ranks_seen;
    std::size_t skipped = 0;
    for (const auto& [id, row] : rows) {
      if (row.status == "skipped") {
        ++skipped;
        continue;
      }
      EXPECT_EQ(row.status, "ok");
      ranks_seen.insert(row.rank);
    }
    EXPECT_EQ(skipped, kSkipped);
    EXPECT_TRUE(ranks_seen.contains(0)) << "rank 0 measured nothing";
    EXPECT_EQ(f.devices.size(), static_cast<std::size_t>(std::max(ranks, 1)));
    if (reference.empty()) {
      reference = rows;
      continue;
    }
    for (const auto& [id, row] : rows) {
      const ResultRow& ref = reference.at(id);
      EXPECT_EQ(row.status, ref.status) << id;
      EXPECT_EQ(row.op, ref.op) << id;
      EXPECT_EQ(row.time_s, ref.time_s) << id;
      EXPECT_EQ(row.tflops, ref.tflops) << id;
      EXPECT_EQ(row.samples, ref.samples) << id;
      EXPECT_EQ(row.message, ref.message) << id;
    }
  }
}

TEST_F(E2E, ARankThatFailsEveryTaskHandsThemToTheOthers) {
  const auto r = run_model(2, path("out.h5"), {}, {{"GEMMSWEEP_TEST_FAIL", "task=*,rank=1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = by_task(read_results_file(path("out.h5")));
  ASSERT_EQ(rows.size(), kTasks + kSkipped);
  std::size_t retried = 0;
  for (const auto& [id, row] : rows) {
    if (row.status == "skipped") continue;
    EXPECT_EQ(row.status, "ok") << row.message;
    EXPECT_EQ(row.rank, 0);
    if (row.attempt == 2) ++retried;
  }
  EXPECT_GT(retried, 0u) << "rank 1 got no task to fail";
}

TEST_F(E2E, AChosenTaskFailingOnTwoRanksCompletesOnTheThird) {
  ASSERT_EQ(run_model(0, path("probe.h5")).exit_code, 0);
  const std::uint64_t id = task_id_of(read_results_file(path("probe.h5")), 48, "attention_score");
  const std::string rules =
      "task=" + std::to_string(id) + ",rank=1;task=" + std::to_string(id) + ",rank=2";
  const auto r = run_model(3, path("out.h5"), {}, {{"GEMMSWEEP_TEST_FAIL", rules}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = by_task(read_results_file(path("out.h5")));
  ASSERT_EQ(rows.size(), kTasks + kSkipped);
  EXPECT_EQ(rows.at(id).status, "ok");
  EXPECT_EQ(rows.at(id).rank, 0);
  for (const auto& [tid, row] : rows) EXPECT_NE(row.status, "failed") << tid;
}

TEST_F(E2E, ATaskFailingEverywhereEndsFailedWithItsMessage) {
  ASSERT_EQ(run_model(0, path("probe.h5")).exit_code, 0);
  const std::uint64_t id =
      task_id_of(read_results_file(path("probe.h5")), 7, "attention_over_value");
  for (int ranks : {0, 3}) {
    SCOPED_TRACE(::testing::Message() << "ranks " << ranks);
    const std::string out = path(fmt::format("out{}.h5", ranks));
    const auto r = run_model(
        ranks, out, {}, {{"GEMMSWEEP_TEST_FAIL", "task=" + std::to_string(id) + ",everywhere"}});
    // The sweep goes on past the failure and ends incomplete: exit 3, resumable.
    ASSERT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("incomplete: 1 task(s) failed"), std::string::npos) << r.err;
    const ResultsFile file = read_results_file(out);
    EXPECT_EQ(file.attributes.at("complete"), "0");
    const auto rows = by_task(file);
    ASSERT_EQ(rows.size(), kTasks + kSkipped);
    const ResultRow& bad = rows.at(id);
    EXPECT_EQ(bad.status, "failed");
    EXPECT_EQ(bad.attempt, 3);
    EXPECT_NE(bad.message.find("injected failure"), std::string::npos) << bad.message;
    EXPECT_NE(bad.message.find("task " + std::to_string(id)), std::string::npos) << bad.message;
    for (const auto& [tid, row] : rows)
      if (tid != id) {
        EXPECT_NE(row.status, "failed");
      }
  }
  // Once the cause is gone, --resume measures only the failed task and completes the file.
  const auto resumed = run_model(2, path("out0.h5"), {"--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const ResultsFile file = read_results_file(path("out0.h5"));
  EXPECT_EQ(file.attributes.at("complete"), "1");
  const auto rows = by_task(file);
  ASSERT_EQ(rows.size(), kTasks + kSkipped);
  EXPECT_EQ(rows.at(id).status, "ok");
}

TEST_F(E2E, SigtermDrainsExitsThreeAndResumeCompletesWithoutDuplicates) {
  const std::string out = path("out.h5");
  std::vector<std::string> args = {GEMMSWEEP_BINARY, "run",   job(),        "-o",  out,
                                   "--backend",      "model", "--simulate", "5000"};
  Process sweep(with_mpiexec(2, args), dir_.string());
  // About 9 s of work per rank: signalled once the first measured rows are in the file.
  ASSERT_TRUE(sweep.wait_for_stderr("to measure", 120));
  ASSERT_TRUE(wait_for_rows(out, kSkipped + 1, 60)) << "no row measured";
  sweep.signal_children(SIGTERM);  // as Slurm signals every task of the step
  const auto r = sweep.wait();
  ASSERT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  const ResultsFile partial = read_results_file(out);
  const auto before = by_task(partial);
  EXPECT_GT(before.size(), kSkipped) << "nothing measured before the signal";
  EXPECT_LT(before.size(), kTasks + kSkipped) << "the sweep finished before the signal";

  const auto resumed = run_model(2, out, {"--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const ResultsFile done = read_results_file(out);
  const auto after = by_task(done);
  EXPECT_EQ(after.size(), kTasks + kSkipped);
  EXPECT_EQ(done.rows.size(), kTasks + kSkipped) << "duplicate rows";
  for (const auto& [id, row] : before) {
    ASSERT_TRUE(after.contains(id)) << "lost " << id;
    EXPECT_EQ(after.at(id).started_unix, row.started_unix) << "redid " << id;
  }
  for (const auto& [id, row] : after) EXPECT_TRUE(row.status == "ok" || row.status == "skipped");
}

TEST_F(E2E, ASecondSignalExitsAtOnceAndResumeStillCompletes) {
  const std::string out = path("out.h5");
  // Started alone; each large task sleeps over a minute, so the first signal's drain (30 s at
  // most) is still waiting on one when the second comes.
  Process sweep(
      {GEMMSWEEP_BINARY, "run", job(), "-o", out, "--backend", "model", "--simulate", "1000000"},
      dir_.string());
  // The skipped rows, appended just before the first task goes out, are durable only once the
  // store's flusher has found them old enough: by then the first task is well under way.
  ASSERT_TRUE(sweep.wait_for_stderr("to measure", 120));
  ASSERT_TRUE(wait_for_rows(out, kSkipped, 60));
  sweep.signal(SIGTERM);
  ASSERT_TRUE(sweep.wait_for_stderr("no new work", 60));
  sweep.signal(SIGINT);
  const auto r = sweep.wait();
  ASSERT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("second signal"), std::string::npos) << r.err;

  const auto resumed = run_model(0, out, {"--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const ResultsFile done = read_results_file(out);
  EXPECT_EQ(by_task(done).size(), kTasks + kSkipped);
  EXPECT_EQ(done.rows.size(), kTasks + kSkipped) << "duplicate rows";
}

TEST_F(E2E, EveryOrderGivesTheSameRows) {
  std::map<std::uint64_t, ResultRow> reference;
  for (const char* order : {"cost", "shuffle", "grid"}) {
    SCOPED_TRACE(order);
    const std::string out = path(fmt::format("{}.h5", order));
    ASSERT_EQ(run_model(2, out, {"--order", order}).exit_code, 0);
    const auto rows = by_task(read_results_file(out));
    ASSERT_EQ(rows.size(), kTasks + kSkipped);
    if (reference.empty()) reference = rows;
    for (const auto& [id, row] : rows) EXPECT_EQ(row.time_s, reference.at(id).time_s) << id;
  }
}

TEST_F(E2E, ResumingACompleteFileMeasuresNothing) {
  ASSERT_EQ(run_model(2, path("out.h5")).exit_code, 0);
  const auto r = run_model(2, path("out.h5"), {"--resume"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" 0 task(s) to measure"), std::string::npos) << r.err;
  EXPECT_EQ(read_results_file(path("out.h5")).rows.size(), kTasks + kSkipped);
}

TEST_F(E2E, ShardsCoverTheGridExactlyOnceAndMergeIntoOneFile) {
  std::multiset<std::uint64_t> ids;
  std::vector<std::string> merge = {"merge", "-o", path("merged.h5")};
  for (int i = 0; i < 3; ++i) {
    const std::string out = path(fmt::format("shard{}.h5", i));
    const auto r = run_model(i == 1 ? 2 : 0, out, {"--shard", std::to_string(i) + "/3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& [id, row] : by_task(read_results_file(out))) ids.insert(id);
    merge.push_back(out);
  }
  EXPECT_EQ(ids.size(), kTasks + kSkipped);
  EXPECT_EQ(std::set<std::uint64_t>(ids.begin(), ids.end()).size(), ids.size());
  const auto m = gemmsweep(0, merge);
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(by_task(read_results_file(path("merged.h5"))).size(), kTasks + kSkipped);
}

TEST_F(E2E, CalibrateAddsAStartAndEndRowPerRankAndReportSummarizesThem) {
  ASSERT_EQ(run_model(2, path("out.h5"), {"--calibrate"}).exit_code, 0);
  const ResultsFile f = read_results_file(path("out.h5"));
  std::map<int, std::set<std::string>> phases;
  for (const ResultRow& r : f.rows)
    if (r.status == "calib") phases[r.rank].insert(r.message);
  ASSERT_EQ(phases.size(), 2u);
  for (const auto& [rank, notes] : phases)
    EXPECT_EQ(notes, (std::set<std::string>{"calibration start", "calibration end"})) << rank;
  EXPECT_EQ(by_task(f).size(), kTasks + kSkipped);
  const auto rep = gemmsweep(0, {"report", path("out.h5")});
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  EXPECT_NE(rep.out.find("calibration: 2 device(s)"), std::string::npos) << rep.out;
}

TEST_F(E2E, ReportInEveryFormat) {
  ASSERT_EQ(run_model(0, path("out.h5")).exit_code, 0);
  const auto table = gemmsweep(0, {"report", path("out.h5")});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("ok"), std::string::npos);
  const auto csv = gemmsweep(0, {"report", path("out.h5"), "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_GT(lines_of(csv.out).size(), 1u);
  const auto json = gemmsweep(0, {"report", path("out.h5"), "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto parsed = nlohmann::json::parse(json.out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << json.out;
}

TEST_F(E2E, BadUseIsOneLineExitTwoAndWritesNothing) {
  const std::string out = path("out.h5");
  std::ofstream(path("not_hdf5.h5")) << "hello";
  std::ofstream(path("comm.toml")) << "name = \"comm\"\nops = [\"all_reduce\"]\ndtype = \"fp32\"\n"
                                      "[comm]\nbytes = 4096\ngroup_size = 2\n";
  struct Case {
    std::string name;
    int ranks;
    std::vector<std::string> args;
    std::string needle;
    Environment env = {};
  };
  std::vector<Case> cases = {
      {"unknown backend", 0, {"run", job(), "-o", out, "--backend", "tpu"}, "tpu"},
      {"missing job file", 0, {"run", path("nope.toml"), "-o", out}, "nope.toml"},
      {"output directory missing",
       0,
       {"run", job(), "-o", path("no/such/dir/out.h5")},
       "does not exist"},
      {"unknown order", 0, {"run", job(), "-o", out, "--order", "random"}, "random"},
      {"bad shard", 0, {"run", job(), "-o", out, "--shard", "3/3"}, "--shard"},
      {"simulate without model",
       0,
       {"run", job(), "-o", out, "--backend", "cpu", "--simulate", "2"},
       "--simulate"},
      {"unknown gpu", 0, {"run", job(), "-o", out, "--backend", "model", "--gpu", "Z80"}, "Z80"},
      {"bad fault switch",
       0,
       {"run", job(), "-o", out, "--backend", "model"},
       "GEMMSWEEP_TEST_FAIL",
       {{"GEMMSWEEP_TEST_FAIL", "task=banana,rank=1"}}},
      {"unknown backend under mpiexec", 2, {"run", job(), "-o", out, "--backend", "tpu"}, "tpu"},
      {"missing option", 0, {"run", job()}, "--output"},
      {"report of a missing file", 0, {"report", path("missing.h5")}, "missing.h5"},
      {"report of a foreign file", 0, {"report", path("not_hdf5.h5")}, "not_hdf5.h5"},
      {"report format", 0, {"report", path("not_hdf5.h5"), "--format", "xml"}, "xml"},
      {"merge of a missing file", 0, {"merge", "-o", out, path("missing.h5")}, "missing.h5"},
      {"unknown command", 0, {"frob"}, "unknown command 'frob'; allowed: plan, run"},
      {"no command", 0, {}, "a command is required"},
      {"option value not a number",
       0,
       {"run", job(), "-o", out, "--simulate", "abc"},
       "--simulate: 'abc' is not a number"},
      {"NCCL collectives with ranks sharing a GPU",
       0,
       {"run", path("comm.toml"), "-o", out, "--backend", "cuda", "--ranks-per-gpu", "2"},
       "--ranks-per-gpu 2"},
  };
  if (!fs::exists("/proc/driver/nvidia/gpus")) {
    cases.push_back(
        {"cuda without a GPU", 0, {"run", job(), "-o", out, "--backend", "cuda"}, "cuda"});
    cases.push_back({"cuda without a GPU under mpiexec",
                     2,
                     {"run", job(), "-o", out, "--backend", "cuda"},
                     "cuda"});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    expect_one_error_line(gemmsweep(c.ranks, c.args, c.env), c.needle);
    EXPECT_FALSE(fs::exists(out)) << "wrote " << out;
  }
}

TEST_F(E2E, AnExistingOutputNeedsResume) {
  ASSERT_EQ(run_model(0, path("out.h5")).exit_code, 0);
  const auto size = fs::file_size(path("out.h5"));
  expect_one_error_line(run_model(0, path("out.h5")), "--resume");
  EXPECT_EQ(fs::file_size(path("out.h5")), size);
  // --resume with a job file whose grid differs is refused, and the file is left alone.
  std::string other(kJob);
  other.replace(other.find("stop = 48"), 9, "stop = 49");
  std::ofstream(path("other.toml")) << other;
  expect_one_error_line(gemmsweep(0, {"run", path("other.toml"), "-o", path("out.h5"), "--resume"}),
                        "grid");
  EXPECT_EQ(fs::file_size(path("out.h5")), size);
  // So is --resume with another backend: predicted and measured rows must not mix in one file.
  expect_one_error_line(
      gemmsweep(0, {"run", job(), "-o", path("out.h5"), "--resume", "--backend", "cpu"}),
      "was measured with backend model, and this run's backend is cpu");
  EXPECT_EQ(fs::file_size(path("out.h5")), size);
  EXPECT_EQ(read_results_file(path("out.h5")).rows.size(), kTasks + kSkipped);
}

TEST_F(E2E, VersionAndHelp) {
  const auto v = gemmsweep(0, {"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("gemmsweep ", 0), 0u) << v.out;
  const auto h = gemmsweep(0, {"run", "--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--shard"), std::string::npos);
}

}  // namespace
}  // namespace gs::test
