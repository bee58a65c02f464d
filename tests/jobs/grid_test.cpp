#include "jobs/grid.hpp"

#include <gtest/gtest.h>

#include <set>

#include "jobs/job_parser.hpp"

namespace gs {
namespace {

Grid grid(const std::string& text) { return expand(parse_job_text(text, "t.toml")); }

TEST(Grid, SeedHas1024PointsInHeadDimOrder) {
  const Grid g = grid(R"(
name = "seed"
ops = ["attention_score"]
[model]
heads = 32
head_dim = { start = 1, stop = 1024 }
microbatch = 4
seq_length = 2048
)");
  EXPECT_EQ(g.point_count, 1024u);
  ASSERT_EQ(g.tasks.size(), 1024u);
  EXPECT_TRUE(g.skipped.empty());
  for (std::size_t i = 0; i < g.tasks.size(); ++i) {
    const Task& t = g.tasks[i];
    EXPECT_EQ(t.point.id, i);
    EXPECT_EQ(t.id, task_id(i, Op::attention_score));
    EXPECT_EQ(t.point.head_dim, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(t.point.hidden_size, 32 * t.point.head_dim);
    EXPECT_EQ(t.point.tensor_parallel, 1);
    EXPECT_EQ(t.shape, (GemmShape{128, 2048, t.point.head_dim, 2048}));
  }
}

TEST(Grid, RowMajorOrderLastAxisFastest) {
  const Grid g = grid(R"(
name = "order"
ops = ["attention_score", "attention_over_value"]
dtype = ["fp16", "bf16"]
[model]
heads = [8, 16]
head_dim = [64, 128, 256]
seq_length = 128
)");
  EXPECT_EQ(g.point_count, 12u);
  ASSERT_EQ(g.tasks.size(), 24u);
  // Tasks come point by point, ops in the job's order.
  EXPECT_EQ(g.tasks[0].op, Op::attention_score);
  EXPECT_EQ(g.tasks[1].op, Op::attention_over_value);
  const auto& p = [&](std::size_t point) { return g.tasks[2 * point].point; };
  EXPECT_EQ(p(0).dtype, DType::fp16);
  EXPECT_EQ(p(0).heads, 8);
  EXPECT_EQ(p(0).head_dim, 64);
  EXPECT_EQ(p(1).head_dim, 128);
  EXPECT_EQ(p(3).heads, 16);
  EXPECT_EQ(p(3).head_dim, 64);
  EXPECT_EQ(p(6).dtype, DType::bf16);
  EXPECT_EQ(p(11).heads, 16);
  EXPECT_EQ(p(11).head_dim, 256);
  std::set<std::uint64_t> ids;
  for (const Task& t : g.tasks) ids.insert(t.id);
  EXPECT_EQ(ids.size(), g.tasks.size());
}

TEST(Grid, IdsAreStableAcrossExpansions) {
  const std::string text = R"(
name = "s"
ops = ["mlp_h_to_4h"]
[model]
hidden_size = [1024, 2048]
heads = 16
seq_length = [128, 256]
tensor_parallel = [1, 2]
)";
  const Grid a = grid(text), b = grid(text);
  ASSERT_EQ(a.tasks.size(), b.tasks.size());
  for (std::size_t i = 0; i < a.tasks.size(); ++i) EXPECT_EQ(a.tasks[i], b.tasks[i]);
}

TEST(Grid, DerivesHeadDimAndSkipsNonWholeValues) {
  const Grid g = grid(R"(
name = "derive"
ops = ["attention_score"]
[model]
hidden_size = [1024, 1000]
heads = 16
seq_length = 64
)");
  ASSERT_EQ(g.tasks.size(), 1u);
  EXPECT_EQ(g.tasks[0].point.head_dim, 64);
  ASSERT_EQ(g.skipped.size(), 1u);
  EXPECT_EQ(g.skipped[0].reason, "hidden_size 1000 is not a multiple of heads 16");
  EXPECT_EQ(g.skipped[0].task.point.id, 1u);
  EXPECT_EQ(g.skipped[0].task.id, task_id(1, Op::attention_score));
}

TEST(Grid, DerivesHeadsFromHiddenAndHeadDim) {
  const Grid g = grid(R"(
name = "derive2"
ops = ["attention_over_value"]
[model]
hidden_size = 4096
head_dim = [128, 96]
seq_length = 64
)");
  ASSERT_EQ(g.tasks.size(), 1u);
  EXPECT_EQ(g.tasks[0].point.heads, 32);
  ASSERT_EQ(g.skipped.size(), 1u);
  EXPECT_EQ(g.skipped[0].reason, "hidden_size 4096 is not a multiple of head_dim 96");
}

TEST(Grid, TensorParallelSkipsPerOp) {
  const Grid g = grid(R"(
name = "tp"
ops = ["attention_score", "mlp_h_to_4h"]
[model]
heads = 25
head_dim = 64
seq_length = 64
tensor_parallel = 2
)");
  // 25 heads cannot be split over 2 GPUs; the MLP (4h = 6400) can.
  ASSERT_EQ(g.tasks.size(), 1u);
  EXPECT_EQ(g.tasks[0].op, Op::mlp_h_to_4h);
  EXPECT_EQ(g.tasks[0].shape, (GemmShape{1, 64, 1600, 3200}));
  ASSERT_EQ(g.skipped.size(), 1u);
  EXPECT_EQ(g.skipped[0].task.op, Op::attention_score);
}

TEST(Grid, RawGemmTakesShapeAxes) {
  const Grid g = grid(R"(
name = "raw"
ops = ["gemm"]
dtype = "fp32"
[shape]
m = [64, 128]
n = 32
k = 16
)");
  ASSERT_EQ(g.tasks.size(), 2u);
  EXPECT_EQ(g.tasks[0].shape, (GemmShape{1, 64, 32, 16}));
  EXPECT_EQ(g.tasks[1].shape, (GemmShape{1, 128, 32, 16}));
  EXPECT_DOUBLE_EQ(g.tasks[1].flops(), 2.0 * 128 * 32 * 16);
  EXPECT_EQ(g.tasks[0].bytes(), 4u * (64 * 32 + 32 * 16 + 64 * 16));
}

TEST(Grid, PointCountWithoutExpanding) {
  const JobSpec s = parse_job_text(R"(
name = "big"
ops = ["attention_score"]
[model]
heads = { start = 1, stop = 3000 }
head_dim = { start = 1, stop = 3000 }
seq_length = 1
)",
                                   "t.toml");
  EXPECT_EQ(grid_point_count(s), 9000000u);
}

}  // namespace
}  // namespace gs
