// Layer and step time as the sum of the right rows of a fixture file (data/layer_rows.csv).
#include "advise/step_time.hpp"

#include <gtest/gtest.h>

#include "advise_test_support.hpp"

namespace gs {
namespace {

constexpr double kMs = 1e-3;

TEST(StepTime, LayerTimeIsTheSumOfTheLayersForwardRows) {
  const ProductTimes times = ProductTimes::from_rows(test::read_rows_fixture("layer_rows.csv"));
  TimeSource source;
  source.times = &times;
  const StepEstimate e = estimate_step(test::tiny_candidate(), AdviseSpec{}, source);
  ASSERT_TRUE(e.complete) << (e.missing.empty() ? "" : e.missing.front());
  EXPECT_TRUE(e.measured);
  EXPECT_TRUE(e.backward_measured);
  EXPECT_FALSE(e.comm_estimated);
  // qkv 1 + score 2 (the median of 2, 2, 50) + over_value 3 + projection 4 + MLP 5 + 6.
  EXPECT_NEAR(e.layer_time_s, 21 * kMs, 1e-12);
  // Backward: qkv 11 + 12, dQ 3 (the same GEMM as over_value's forward) + dK 13, dP 14 + dV 13
  // (the same GEMM as dK), projection 15 + 16, MLP 17 + 18 + 19 + 20.
  EXPECT_NEAR(e.layer_backward_s, 171 * kMs, 1e-12);
  EXPECT_NEAR(e.logit_s, (7 + 21 + 22) * kMs, 1e-12);
  EXPECT_NEAR(e.step_time_s, (2 * (21 + 171) + 50) * kMs, 1e-12);
  // Every used row has rel_ci 0.01: the spread is 1% of the step.
  EXPECT_NEAR(e.spread_s, 0.01 * e.step_time_s, 1e-12);
}

TEST(StepTime, MissingBackwardRowsFallBackToThreeTimesForward) {
  std::vector<ResultRow> forward_only;
  for (const ResultRow& r : test::read_rows_fixture("layer_rows.csv"))
    if (r.op.find("_grad_") == std::string::npos) forward_only.push_back(r);
  const ProductTimes times = ProductTimes::from_rows(forward_only);
  TimeSource source;
  source.times = &times;
  const StepEstimate e = estimate_step(test::tiny_candidate(), AdviseSpec{}, source);
  ASSERT_TRUE(e.complete);
  // dQ's row is over_value's forward, so that one backward product still has a time; the rest
  // are missing, and the step is 3 x forward.
  EXPECT_FALSE(e.backward_measured);
  EXPECT_NEAR(e.step_time_s, 3 * (2 * 21 + 7) * kMs, 1e-12);
}

TEST(StepTime, MissingForwardRowLeavesTheCandidateUnranked) {
  std::vector<ResultRow> rows;
  for (const ResultRow& r : test::read_rows_fixture("layer_rows.csv"))
    if (r.op != "mlp_4h_to_h") rows.push_back(r);
  const ProductTimes times = ProductTimes::from_rows(rows);
  TimeSource source;
  source.times = &times;
  const StepEstimate e = estimate_step(test::tiny_candidate(), AdviseSpec{}, source);
  EXPECT_FALSE(e.complete);
  ASSERT_FALSE(e.missing.empty());
  EXPECT_EQ(e.missing.front(), "mlp_4h_to_h 1x32x512x128 fp16");

  // With a predictor the product is filled in and the candidate flagged.
  source.predict = [](const Task&) { return 6 * kMs; };
  const StepEstimate predicted = estimate_step(test::tiny_candidate(), AdviseSpec{}, source);
  ASSERT_TRUE(predicted.complete);
  EXPECT_FALSE(predicted.measured);
  EXPECT_NEAR(predicted.layer_time_s, 21 * kMs, 1e-12);
}

TEST(StepTime, TensorParallelAddsFourAllReducesPerLayer) {
  Candidate c = test::tiny_candidate();
  c.tensor_parallel = 2;
  TimeSource source;
  source.predict = [](const Task&) { return 1 * kMs; };  // every GEMM 1 ms
  source.allreduce_bus_gbs = 100;
  source.allreduce_latency_s = 0;
  const StepEstimate estimated = estimate_step(c, AdviseSpec{}, source);
  ASSERT_TRUE(estimated.complete);
  EXPECT_TRUE(estimated.comm_estimated);
  // b*s*h fp16 = 8192 bytes; ring all-reduce of 2 ranks moves 2 * (1/2) of it: 8192 / 100 GB/s.
  const double one = 8192.0 / 100e9;
  EXPECT_NEAR(estimated.layer_time_s, 6 * kMs + 2 * one, 1e-15);

  // A measured all_reduce row of that size replaces the estimate.
  ResultRow row;
  row.op = "all_reduce";
  row.dtype = "fp16";
  row.status = "ok";
  row.group_size = 2;
  row.message_bytes = 8192;
  row.time_s = 5 * kMs;
  const ProductTimes times = ProductTimes::from_rows({row});
  source.times = &times;
  const StepEstimate measured = estimate_step(c, AdviseSpec{}, source);
  EXPECT_FALSE(measured.comm_estimated);
  EXPECT_NEAR(measured.layer_time_s, 6 * kMs + 2 * 5 * kMs, 1e-12);
}

}  // namespace
}  // namespace gs
