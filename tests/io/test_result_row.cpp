#include <gtest/gtest.h>

#include "io/result_row.hpp"
#include "jobs/op.hpp"
#include "tests/worker/worker_test_support.hpp"

namespace gs {
namespace {

Task sample_task() {
  Task t;
  t.op = Op::attention_score;
  t.point.id = 7;
  t.point.dtype = DType::bf16;
  t.point.hidden_size = 4096;
  t.point.heads = 32;
  t.point.head_dim = 128;
  t.point.microbatch = 4;
  t.point.seq_length = 2048;
  t.point.tensor_parallel = 2;
  t.point.vocab_size = 51200;
  t.shape = {64, 2048, 128, 2048};
  t.id = task_id(t.point.id, t.op);
  return t;
}

TEST(ResultRow, MakeResultRowCopiesTaskAndMeasurement) {
  const Measurement m = testing::sample_measurement();
  const Task t = sample_task();
  const ResultRow r = make_result_row(t, m, 3, "node7", "NVIDIA H200", 2, 1.7e9);
  EXPECT_EQ(r.task_id, t.id);
  EXPECT_EQ(r.point_id, 7u);
  EXPECT_EQ(r.op, "attention_score");
  EXPECT_EQ(r.dtype, "bf16");
  EXPECT_EQ(r.hidden_size, 4096);
  EXPECT_EQ(r.heads, 32);
  EXPECT_EQ(r.head_dim, 128);
  EXPECT_EQ(r.microbatch, 4);
  EXPECT_EQ(r.seq_length, 2048);
  EXPECT_EQ(r.tensor_parallel, 2);
  EXPECT_EQ(r.vocab_size, 51200);
  EXPECT_EQ(r.batch, 64);
  EXPECT_EQ(r.m, 2048);
  EXPECT_EQ(r.n, 128);
  EXPECT_EQ(r.k, 2048);
  EXPECT_DOUBLE_EQ(r.flops, t.flops());
  EXPECT_EQ(r.samples, 42);
  EXPECT_DOUBLE_EQ(r.time_s, 2e-3);
  EXPECT_DOUBLE_EQ(r.time_min_s, 1.9e-3);
  EXPECT_DOUBLE_EQ(r.time_mean_s, 2.1e-3);
  EXPECT_DOUBLE_EQ(r.time_std_s, 1e-5);
  EXPECT_DOUBLE_EQ(r.rel_ci, 0.01);
  EXPECT_DOUBLE_EQ(r.tflops, t.flops() / 2e-3 / 1e12);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.launches_per_sample, 8);
  EXPECT_EQ(r.status, "ok");
  EXPECT_EQ(r.message, "launches batched x8");
  EXPECT_EQ(r.rank, 3);
  EXPECT_EQ(r.attempt, 2);
  EXPECT_EQ(r.host, "node7");
  EXPECT_EQ(r.device, "NVIDIA H200");
  EXPECT_EQ(r.compute_dtype, "fp32");
  EXPECT_EQ(r.algo, "algo 3");
  EXPECT_EQ(r.sm_clock_before_mhz, 1980);
  EXPECT_EQ(r.sm_clock_after_mhz, 1900);
  EXPECT_EQ(r.temperature_before_c, 40);
  EXPECT_EQ(r.temperature_after_c, 50);
  EXPECT_EQ(r.power_before_w, 300);
  EXPECT_EQ(r.power_after_w, 650);
  EXPECT_EQ(r.throttle_reasons, 0x21u);
  EXPECT_EQ(r.started_unix, 1.7e9);
}

TEST(ResultRow, FailedRowsHaveNoThroughput) {
  Measurement m;
  m.status = TaskStatus::failed;
  m.time_s = 1e-3;
  m.message = "out of memory";
  const ResultRow r = make_result_row(sample_task(), m, 0, "h", "d", 1, 0);
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(r.tflops, 0);
  EXPECT_EQ(r.message, "out of memory");
}

TEST(ResultRow, SkippedRowCarriesTheReason) {
  const ResultRow r = make_skipped_row({sample_task(), "h/a is not a whole number"});
  EXPECT_EQ(r.status, "skipped");
  EXPECT_EQ(r.message, "h/a is not a whole number");
  EXPECT_EQ(r.task_id, sample_task().id);
  EXPECT_EQ(r.hidden_size, 4096);
  EXPECT_EQ(r.rank, -1);
  EXPECT_EQ(r.tflops, 0);
}

}  // namespace
}  // namespace gs
