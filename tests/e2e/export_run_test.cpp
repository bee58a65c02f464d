// gemmsweep export, end to end, and what run says when `auto` falls back to the cpu.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "binary_test.hpp"
#include "io/results_file.hpp"
#include "io/row_export.hpp"
#include "process.hpp"

namespace gs::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJob = R"(name = "export"
ops = ["attention_score", "qkv_transform"]
dtype = "fp16"

[model]
heads = 32
head_dim = [8, 16, 64]
microbatch = 1
seq_length = 256
tensor_parallel = [1, 3]   # t = 3 does not divide 32 heads: skipped rows
)";

class Export : public BinaryTest {
 protected:
  void SetUp() override {
    BinaryTest::SetUp();
    write("job.toml", kJob);
  }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_F(Export, EveryRowEveryColumnTypedAndFiltered) {
  const std::string out = path("out.h5");
  ASSERT_EQ(gemmsweep({"run", path("job.toml"), "-o", out, "--backend", "model"}).exit_code, 0);
  const ResultsFile file = read_results_file(out);
  ASSERT_EQ(file.rows.size(), 12u);  // 3 head dims x 2 t x 2 ops

  const ProcessResult jsonl = gemmsweep({"export", out, "--format", "jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  const auto rows = lines(jsonl.out);
  ASSERT_EQ(rows.size(), file.rows.size());
  std::size_t ok = 0;
  for (const std::string& line : rows) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.size(), result_column_names().size());
    EXPECT_TRUE(j.at("tflops").is_number());
    EXPECT_TRUE(j.at("converged").is_boolean());
    EXPECT_TRUE(j.at("power_after_w").is_null());  // the model reads no telemetry
    ok += j.at("status") == "ok";
  }
  EXPECT_EQ(ok, 9u);  // qkv_transform divides by t = 3 too: only attention_score skips

  const ProcessResult csv =
      gemmsweep({"export", out, "-o", path("ok.csv"), "--status", "ok", "--op", "qkv_transform"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::ifstream in(path("ok.csv"));
  std::stringstream text;
  text << in.rdbuf();
  const auto csv_lines = lines(text.str());
  ASSERT_EQ(csv_lines.size(), 1u + 6u);  // header + the ok qkv_transform rows
  EXPECT_EQ(csv_lines[0].substr(0, 16), "task_id,point_id");
  for (std::size_t i = 1; i < csv_lines.size(); ++i)
    EXPECT_NE(csv_lines[i].find(",qkv_transform,"), std::string::npos) << csv_lines[i];
}

TEST_F(Export, BadUseIsOneLineExitTwoAndWritesNothing) {
  const std::string out = path("out.h5");
  ASSERT_EQ(gemmsweep({"run", path("job.toml"), "-o", out, "--backend", "model"}).exit_code, 0);
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--format", "xml"},
                                              {"--op", "attention_scor"},
                                              {"--status", "fine"},
                                              {"--status", "failed"}}) {
    std::vector<std::string> args = {"export", out, "-o", path("x.csv")};
    args.insert(args.end(), bad.begin(), bad.end());
    const ProcessResult r = gemmsweep(args);
    EXPECT_EQ(r.exit_code, 2) << bad[0] << " " << r.err;
    EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("gemmsweep: error: " + bad[0], 0), 0u) << r.err;
    EXPECT_FALSE(fs::exists(path("x.csv")));
  }
  const ProcessResult missing = gemmsweep({"export", path("none.h5")});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
}

TEST_F(Export, AutoOnTheCpuSaysSoWithPlansCpuEstimate) {
  std::ofstream(path("small.toml")) << R"(name = "auto"
ops = ["attention_score"]
dtype = "fp16"
[model]
heads = 4
head_dim = 8
microbatch = 1
seq_length = 64
tensor_parallel = 1
[timing]
warmup = 1
min_samples = 6
max_samples = 8
max_seconds_per_point = 0.1
)";
  const ProcessResult r =
      gemmsweep({"run", path("small.toml"), "-o", path("auto.h5"), "--backend", "auto"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
  // Only where auto meant cpu (no GPU, or a build without CUDA) is there anything to say.
  if (r.err.find("backend cpu") == std::string::npos) {
    EXPECT_EQ(r.err.find("found no usable GPU"), std::string::npos) << r.err;
    return;
  }
  EXPECT_NE(r.err.find("--backend auto found no usable GPU here, so it measures on the cpu"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("plan's estimate for the cpu: at most about"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gs::test
