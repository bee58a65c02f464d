#include "jobs/plan_summary.hpp"

#include <gtest/gtest.h>

#include "jobs/job_parser.hpp"

namespace gs {
namespace {

TEST(PlanSummary, ReasonClassReplacesNumbers) {
  EXPECT_EQ(reason_class("hidden_size 100 is not a multiple of heads 32"),
            "hidden_size N is not a multiple of heads N");
  EXPECT_EQ(reason_class("needs 1.5 GiB"), "needs N GiB");
}

TEST(PlanSummary, CountsTasksSkipsFlopsAndMemory) {
  const JobSpec spec = parse_job_text(R"(
name = "plan"
ops = ["attention_score", "mlp_h_to_4h"]
[model]
heads = [25, 32]
head_dim = 64
seq_length = 128
tensor_parallel = 2
[timing]
warmup = 1
min_samples = 4
)",
                                      "p.toml");
  const Grid grid = expand(spec);
  const PlanSummary p = summarize_plan(
      spec, grid, [](const Task&) { return 0.001; }, "A100");
  EXPECT_EQ(p.points, 2u);
  EXPECT_EQ(p.tasks, 3u);
  EXPECT_EQ(p.skipped, 1u);
  EXPECT_EQ(p.tasks_per_op.at("attention_score"), 1u);
  EXPECT_EQ(p.tasks_per_op.at("mlp_h_to_4h"), 2u);
  ASSERT_EQ(p.skipped_by_reason.size(), 1u);
  EXPECT_EQ(p.skipped_by_reason.begin()->first, "tensor_parallel N does not divide heads N");
  double flops = 0;
  std::uint64_t bytes = 0;
  for (const Task& t : grid.tasks) {
    flops += t.flops();
    bytes = std::max(bytes, t.bytes());
  }
  EXPECT_DOUBLE_EQ(p.total_flops, flops);
  EXPECT_EQ(p.max_bytes, bytes);
  // 3 tasks * (1 warm-up + 4 samples) * 1 ms.
  EXPECT_NEAR(p.estimated_seconds, 0.015, 1e-12);
  const std::string text = render_plan(p);
  EXPECT_NE(text.find("points:         2"), std::string::npos) << text;
  EXPECT_NE(text.find("GPU-hours on A100"), std::string::npos) << text;
}

}  // namespace
}  // namespace gs
