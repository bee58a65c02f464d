// Runs the real gemmsweep binary: `plan` on every shipped job file, exit status 2 and one line
// naming the problem for every bad one.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct Result {
  int status = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result run_gemmsweep(const std::string& args) {
  const fs::path dir = fs::temp_directory_path() / ("plan_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string cmd = std::string("'") + GEMMSWEEP_BINARY + "' " + args + " >'" +
                          (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
  const int rc = std::system(cmd.c_str());
  Result r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  fs::remove_all(dir);
  return r;
}

const fs::path kSource = GEMMSWEEP_SOURCE_DIR;

TEST(PlanCli, SeedJobHas1024Points) {
  const Result r =
      run_gemmsweep("plan '" + (kSource / "jobs/attention_score_a32.toml").string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("points:         1024\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tasks:          1024\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skipped:        0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("largest memory: 2.0 GiB"), std::string::npos) << r.out;
}

TEST(PlanCli, EveryShippedJobPlans) {
  const std::map<std::string, std::string> expected = {
      {"attention_a32.toml", "tasks:          2048\n"},
      {"heads_sweep.toml", "points:         112\n"},
      {"transformer_layer.toml", "skipped:        68\n"},
      {"demo.toml", "points:         192\n"},
      {"attention_score_a32.toml", "points:         1024\n"},
      {"comm_small.toml", "collectives:    50 task(s), messages 1.0 KiB to 64.0 MiB"},
      {"tensor_parallel_comm.toml", "collectives:    18 task(s)"},
      {"advise_gpt3_2p7b.toml", "distinct GEMMs: 206 (ratio 0.1752)\n"},
      {"advise_llama_8b.toml", "distinct GEMMs: 92 (ratio 0.3651)\n"}};
  int seen = 0;
  for (const auto& e : fs::directory_iterator(kSource / "jobs")) {
    if (e.path().extension() != ".toml") continue;
    ++seen;
    const Result r = run_gemmsweep("plan '" + e.path().string() + "'");
    EXPECT_EQ(r.status, 0) << e.path() << ": " << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    const auto it = expected.find(e.path().filename().string());
    ASSERT_NE(it, expected.end()) << "no expectation for " << e.path();
    EXPECT_NE(r.out.find(it->second), std::string::npos) << e.path() << "\n" << r.out;
  }
  EXPECT_EQ(seen, static_cast<int>(expected.size()));
}

// plan on each bad file of a folder: exit 2, nothing on stdout, the one line of the corpus.
int expect_plan_refuses_each(const fs::path& dir) {
  int seen = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++seen;
    std::ifstream in(e.path());
    std::string first;
    std::getline(in, first);
    const std::string expected = first.substr(std::string("# expect: ").size());
    const Result r = run_gemmsweep("plan '" + e.path().string() + "'");
    EXPECT_EQ(r.status, 2) << e.path();
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.rfind("gemmsweep: error: " + e.path().string(), 0), 0u) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  return seen;
}

TEST(PlanCli, BadJobFilesExitTwoWithOneLine) {
  EXPECT_GE(expect_plan_refuses_each(kSource / "tests/jobs/bad"), 25);
}

// plan on an advise job with a bad [advise] table: the same one line and exit 2.
TEST(PlanCli, BadAdviseTablesExitTwoWithOneLine) {
  EXPECT_GE(expect_plan_refuses_each(kSource / "tests/advise/bad"), 10);
}

TEST(PlanCli, MissingJobFileAndBadUsage) {
  Result r = run_gemmsweep("plan /nonexistent/job.toml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/nonexistent/job.toml: cannot open the job file"), std::string::npos)
      << r.err;
  r = run_gemmsweep("frobnicate");
  EXPECT_EQ(r.status, 2);
  r = run_gemmsweep("plan");
  EXPECT_EQ(r.status, 2);
}

}  // namespace
