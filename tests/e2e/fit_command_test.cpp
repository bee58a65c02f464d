// gemmsweep fit end to end: a model-backend sweep of one GPU fitted from another's terms, the
// spec it writes used by plan and run --backend model, and the refusals (one line, exit 2,
// nothing written).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "binary_test.hpp"
#include "io/results_file.hpp"
#include "process.hpp"

namespace gs::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJob = R"(name = "fit-e2e"
ops = ["attention_score"]
dtype = "fp16"

[model]
heads = 32
head_dim = { start = 1, stop = 160 }
microbatch = 4
seq_length = 1024
tensor_parallel = 1
)";

class FitCommand : public BinaryTest {
 protected:
  void SetUp() override {
    BinaryTest::SetUp();
    write("job.toml", kJob);
  }
  void expect_one_line_refusal(const ProcessResult& r, const std::string& needle) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("gemmsweep: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }
};

TEST_F(FitCommand, H100SweepFittedFromTheA100GivesTheH100Back) {
  ASSERT_EQ(gemmsweep({"run", path("job.toml"), "-o", path("h100.h5"), "--backend", "model",
                       "--gpu", "H100"})
                .exit_code,
            0);
  const ProcessResult fit = gemmsweep(
      {"fit", path("h100.h5"), "-o", path("h100.toml"), "--base", "A100", "--folds", "4"});
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_NE(fit.out.find("kfold"), std::string::npos) << fit.out;
  const std::string spec = read("h100.toml");
  EXPECT_NE(spec.find("name = \"H100\""), std::string::npos);
  EXPECT_NE(spec.find("[terms.fp16]\ncompute_efficiency = 0.85"), std::string::npos) << spec;
  EXPECT_NE(spec.find("base = \"A100\""), std::string::npos);
  EXPECT_NE(spec.find("job_fingerprint = \"" +
                      read_results_file(path("h100.h5")).attributes.at("spec_hash") + "\""),
            std::string::npos);
  EXPECT_NE(spec.find("method = \"leave_one_class_out\""), std::string::npos);

  // The fitted spec drives plan and the model backend like the built-in H100.
  const ProcessResult plan = gemmsweep({"plan", path("job.toml"), "--gpu-spec", path("h100.toml")});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out, gemmsweep({"plan", path("job.toml"), "--gpu", "H100"}).out);
  ASSERT_EQ(gemmsweep({"run", path("job.toml"), "-o", path("again.h5"), "--backend", "model",
                       "--gpu-spec", path("h100.toml")})
                .exit_code,
            0);
  std::map<std::uint64_t, double> before;
  for (const ResultRow& r : read_results_file(path("h100.h5")).rows) before[r.task_id] = r.time_s;
  const ResultsFile again = read_results_file(path("again.h5"));
  ASSERT_EQ(again.rows.size(), before.size());
  // Fitted from exact model rows: the terms come back to the fit's tolerance, not bit for bit.
  for (const ResultRow& r : again.rows)
    EXPECT_NEAR(r.time_s / before.at(r.task_id), 1.0, 1e-6) << r.task_id;
  EXPECT_EQ(again.devices.at(0).name, "model:H100");
}

TEST_F(FitCommand, BuiltinSpecFileAndNameAreOneMechanism) {
  const std::string h200 =
      (fs::path(GEMMSWEEP_SOURCE_DIR) / "worker/model/gpus/H200.toml").string();
  EXPECT_EQ(gemmsweep({"plan", path("job.toml"), "--gpu-spec", h200}).out,
            gemmsweep({"plan", path("job.toml"), "--gpu", "H200"}).out);
  expect_one_line_refusal(
      gemmsweep({"plan", path("job.toml"), "--gpu", "H200", "--gpu-spec", h200}), "give one");
  expect_one_line_refusal(gemmsweep({"run", path("job.toml"), "-o", path("x.h5"), "--backend",
                                     "model", "--gpu-spec", path("missing.toml")}),
                          "missing.toml");
  EXPECT_FALSE(fs::exists(path("x.h5")));
}

TEST_F(FitCommand, RowsThatCannotIdentifyTheTermsAreRefusedAndNothingIsWritten) {
  std::ofstream(path("few.csv")) << "pow2_class,hidden_size,tflops\n1,1024,20\n64,8192,150\n";
  expect_one_line_refusal(gemmsweep({"fit", path("few.csv"), "-o", path("out.toml")}),
                          "cannot fit: 2 fp16 row(s)");
  expect_one_line_refusal(gemmsweep({"fit", path("nothing.h5"), "-o", path("out.toml")}),
                          "nothing.h5");
  expect_one_line_refusal(
      gemmsweep({"fit", path("few.csv"), "-o", path("out.toml"), "--base", "Z80"}), "Z80");
  expect_one_line_refusal(
      gemmsweep({"fit", path("few.csv"), "-o", path("out.toml"), "--folds", "1"}), "--folds");
  expect_one_line_refusal(
      gemmsweep({"fit", path("few.csv"), "-o", path("out.toml"), "--hold", "colour"}), "colour");
  expect_one_line_refusal(
      gemmsweep({"fit", path("few.csv"), "-o", path("out.toml"), "--bound", "1.5"}),
      "--bound: 1.5");
  EXPECT_FALSE(fs::exists(path("out.toml")));
}

}  // namespace
}  // namespace gs::test
