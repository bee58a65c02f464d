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
  // 0.015 s: hours would print as 0.0000, so the seconds are given too.
  EXPECT_NE(text.find("estimated time: 4.167e-06 GPU-hours (0.015 s) on A100"), std::string::npos)
      << text;
}

TEST(PlanSummary, DurationsAUserReads) {
  EXPECT_EQ(human_seconds(4.25), "4.25 s");
  EXPECT_EQ(human_seconds(90), "1.5 min");
  EXPECT_EQ(human_seconds(3 * 3600 + 720), "3.2 h");
}

TEST(PlanSummary, TheCpuBackendGetsTheTimeLimitBound) {
  PlanSummary p;
  p.tasks = 192;
  p.cpu_bound_seconds = 192 * 0.5;
  p.backend = "cpu";
  EXPECT_NE(render_cpu_bound(p, 2).find("at most about 48 s on 2 rank(s) (192 GEMM task(s) x "
                                        "max_seconds_per_point 0.5 s / 2 rank(s)"),
            std::string::npos)
      << render_cpu_bound(p, 2);
  EXPECT_NE(render_plan(p).find("cpu backend:    at most about 1.6 min on 1 rank(s)"),
            std::string::npos)
      << render_plan(p);
}

}  // namespace
}  // namespace gs
