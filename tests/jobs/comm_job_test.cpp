// Collective ops in job files: the [comm] table, messages derived from [model], skip reasons,
// nccl-tests' bus factors and what `plan` says about them.
#include <gtest/gtest.h>

#include "jobs/collective_message.hpp"
#include "jobs/grid.hpp"
#include "jobs/job_parser.hpp"
#include "jobs/plan_summary.hpp"

namespace gs {
namespace {

// Stored in files and task ids: the GEMM ops keep their numbers, collectives come after.
static_assert(static_cast<int>(Op::bmm) == 8);
static_assert(static_cast<int>(Op::all_reduce) == 9);
static_assert(static_cast<int>(Op::all_to_all) == 13);
static_assert(static_cast<std::uint64_t>(Op::all_to_all) < kOpSlots);

Grid grid(const std::string& text) { return expand(parse_job_text(text, "t.toml")); }

TEST(CommJob, ParsesCommTableWithGeometricBytes) {
  const JobSpec spec = parse_job_text(R"(
name = "comm"
ops = ["all_reduce", "all_gather"]
dtype = ["fp16", "fp32"]
[comm]
bytes = { start = 1024, stop = 1048576, factor = 4 }
group_size = [2, 4]
)",
                                      "t.toml");
  EXPECT_TRUE(spec.comm_job());
  EXPECT_FALSE(spec.raw());
  EXPECT_EQ(spec.comm.bytes.values,
            (std::vector<std::int64_t>{1024, 4096, 16384, 65536, 262144, 1048576}));
  EXPECT_EQ(spec.comm.group_size.values, (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(grid_point_count(spec), 2u * 2u * 6u);
}

TEST(CommJob, GridOrderIsDtypeGroupBytesWithStableIds) {
  const Grid g = grid(R"(
name = "comm"
ops = ["all_reduce", "broadcast"]
dtype = ["bf16", "fp32"]
[comm]
bytes = [256, 1024]
group_size = [2, 4]
)");
  ASSERT_EQ(g.point_count, 8u);
  ASSERT_EQ(g.tasks.size(), 16u);
  EXPECT_TRUE(g.skipped.empty());
  for (std::size_t i = 0; i < g.tasks.size(); ++i) {
    const Task& t = g.tasks[i];
    const std::uint64_t point = i / 2;
    EXPECT_EQ(t.point.id, point);
    EXPECT_EQ(t.op, i % 2 ? Op::broadcast : Op::all_reduce);
    EXPECT_EQ(t.id, task_id(point, t.op));
    EXPECT_EQ(t.point.dtype, point < 4 ? DType::bf16 : DType::fp32);
    EXPECT_EQ(t.point.group_size, point % 4 < 2 ? 2 : 4);
    EXPECT_EQ(t.point.message_bytes, point % 2 ? 1024 : 256);
    EXPECT_EQ(t.flops(), 0.0);
    EXPECT_EQ(t.bytes(), 2u * static_cast<std::uint64_t>(t.point.message_bytes));
    EXPECT_EQ(t.point.hidden_size, 0);
  }
}

TEST(CommJob, MessagesThatDoNotSplitAreSkippedWithAReason) {
  const Grid g = grid(R"(
name = "split"
ops = ["all_reduce", "reduce_scatter"]
dtype = "fp32"
[comm]
bytes = [12, 24, 6]
group_size = 4
)");
  // 12 bytes = 3 floats: all_reduce runs, reduce_scatter cannot split 3 into 4.
  // 24 bytes = 6 floats: the same. 6 bytes is not whole floats: both skipped.
  ASSERT_EQ(g.tasks.size(), 2u);
  for (const Task& t : g.tasks) EXPECT_EQ(t.op, Op::all_reduce);
  ASSERT_EQ(g.skipped.size(), 4u);
  EXPECT_EQ(g.skipped[0].reason,
            "3 elements do not split into group_size 4 equal parts for "
            "reduce_scatter");
  EXPECT_EQ(g.skipped[2].reason, "message_bytes 6 is not a whole number of 4-byte fp32 elements");
}

TEST(CommJob, ModelJobDerivesTheTensorParallelAllReduce) {
  const Grid g = grid(R"(
name = "tp"
ops = ["attention_linear_projection", "all_reduce"]
dtype = ["bf16", "fp8"]
[model]
heads = 32
head_dim = 128
microbatch = 2
seq_length = 1024
tensor_parallel = [1, 4]
)");
  // Points: (bf16, t=1), (bf16, t=4), (fp8, t=1), (fp8, t=4).
  ASSERT_EQ(g.point_count, 4u);
  std::vector<const Task*> collectives;
  for (const Task& t : g.tasks)
    if (is_collective(t.op)) collectives.push_back(&t);
  ASSERT_EQ(collectives.size(), 1u);
  const Task& ar = *collectives[0];
  EXPECT_EQ(ar.point.id, 1u);
  EXPECT_EQ(ar.point.group_size, 4);
  EXPECT_EQ(ar.point.message_bytes, 2 * 1024 * 4096 * 2);  // b*s*h bf16 elements
  // The GEMM of the same point carries no message.
  for (const Task& t : g.tasks) {
    if (!is_collective(t.op)) {
      EXPECT_EQ(t.point.message_bytes, 0);
    }
  }
  ASSERT_EQ(g.skipped.size(), 3u);
  EXPECT_NE(g.skipped[0].reason.find("group_size 1: a collective needs at least 2 ranks"),
            std::string::npos);
  EXPECT_EQ(g.skipped[2].reason, "collectives move fp16, bf16, fp32, fp64 elements, not fp8");
}

TEST(CommJob, ADerivedMessagePastSixteenGibIsSkippedEvenPastInt64) {
  // 2^24 x 2^24 x 2^24 x 4 bytes is 2^74: the product must not wrap into a small number.
  const Grid g = grid(R"(
name = "huge"
ops = ["all_reduce"]
dtype = "fp32"
[model]
heads = 32
hidden_size = [4096, 16777216]
microbatch = 16777216
seq_length = 16777216
tensor_parallel = 2
)");
  ASSERT_EQ(g.skipped.size(), 2u);
  EXPECT_TRUE(g.tasks.empty());
  for (const SkippedTask& s : g.skipped)
    EXPECT_NE(s.reason.find("is larger than 16 GiB (17179869184 bytes) per rank"),
              std::string::npos)
        << s.reason;
}

TEST(CommJob, BusFactorsAreNcclTests) {
  EXPECT_DOUBLE_EQ(bus_factor(Op::all_reduce, 4), 1.5);
  EXPECT_DOUBLE_EQ(bus_factor(Op::all_reduce, 2), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(Op::all_gather, 4), 0.75);
  EXPECT_DOUBLE_EQ(bus_factor(Op::reduce_scatter, 8), 0.875);
  EXPECT_DOUBLE_EQ(bus_factor(Op::all_to_all, 2), 0.5);
  EXPECT_DOUBLE_EQ(bus_factor(Op::broadcast, 16), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(Op::gemm, 4), 0.0);
}

TEST(CommJob, OpNamesRoundTrip) {
  for (Op op : kCollectiveOps) {
    EXPECT_TRUE(is_collective(op));
    EXPECT_EQ(parse_op(to_string(op)), op);
  }
  for (Op op : kAllOps) EXPECT_FALSE(is_collective(op));
}

TEST(CommJob, PlanShowsCollectives) {
  const JobSpec spec = parse_job_text(R"(
name = "comm"
ops = ["all_reduce"]
[comm]
bytes = { start = 1024, stop = 1048576, factor = 1024 }
group_size = [2, 8]
)",
                                      "t.toml");
  const std::string text = render_plan(summarize_plan(spec, expand(spec)));
  EXPECT_NE(text.find("all_reduce                   4"), std::string::npos) << text;
  EXPECT_NE(text.find("collectives:    4 task(s), messages 1.0 KiB to 1.0 MiB, groups of up to 8"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace gs
