#include <gtest/gtest.h>

#include <chrono>

#include "jobs/timing_settings.hpp"
#include "worker/model/model_backend.hpp"
#include "worker/model/seed_chart.hpp"

namespace gs {
namespace {

ModelOptions options_for(const char* gpu, double simulate = 0) {
  ModelOptions o;
  o.gpu = gpu;
  o.simulate_factor = simulate;
  return o;
}

TEST(ModelBackend, ReturnsThePredictionAsOneConvergedSample) {
  ModelBackend backend(options_for("a100"));
  EXPECT_EQ(backend.kind(), "model");
  const Task t = seed_chart_task(128);
  const Measurement m = backend.measure(t, TimingSettings{});
  EXPECT_EQ(m.status, TaskStatus::ok);
  EXPECT_EQ(m.samples, 1);
  EXPECT_TRUE(m.converged);
  EXPECT_DOUBLE_EQ(m.time_s, predict_seconds(t, *find_gpu("A100")));
  EXPECT_DOUBLE_EQ(m.time_min_s, m.time_s);
  EXPECT_EQ(m.compute_dtype, "fp16");
  EXPECT_NE(m.algo.find("model:A100 tile"), std::string::npos) << m.algo;
}

TEST(ModelBackend, DeviceInfo) {
  const DeviceInfo info = ModelBackend(options_for("H200")).device_info();
  EXPECT_EQ(info.backend, "model");
  EXPECT_EQ(info.name, "model:H200");
  EXPECT_EQ(info.sm_count, 132);
  EXPECT_EQ(info.memory_bytes, 141ull << 30);
}

TEST(ModelBackend, UnknownGpuOrBadFactorIsRejected) {
  EXPECT_THROW(ModelBackend(options_for("B200")), std::invalid_argument);
  EXPECT_THROW(ModelBackend(options_for("A100", -1)), std::invalid_argument);
  try {
    ModelBackend backend(options_for("B200"));
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("known: V100, A100, H100, H200, MI250X"),
              std::string::npos);
  }
}

TEST(ModelBackend, SkipsWhatTheGpuCannotRun) {
  Task t = seed_chart_task(64);
  t.point.dtype = DType::fp8;
  const Measurement on_a100 = ModelBackend(options_for("A100")).measure(t, {});
  EXPECT_EQ(on_a100.status, TaskStatus::skipped);
  EXPECT_NE(on_a100.message.find("fp8"), std::string::npos);
  EXPECT_EQ(ModelBackend(options_for("H100")).measure(t, {}).status, TaskStatus::ok);

  Task huge;
  huge.op = Op::gemm;
  huge.shape = {1, 200000, 200000, 200000};
  huge.point.raw = huge.shape;
  const Measurement m = ModelBackend(options_for("A100")).measure(huge, {});
  EXPECT_EQ(m.status, TaskStatus::skipped);
  EXPECT_NE(m.message.find("80 GiB"), std::string::npos) << m.message;
}

TEST(ModelBackend, Tf32OnV100RunsAsFp32) {
  Task t = seed_chart_task(64);
  t.point.dtype = DType::tf32;
  EXPECT_EQ(ModelBackend(options_for("V100")).measure(t, {}).compute_dtype, "fp32");
}

TEST(ModelBackend, SimulationSleepsWhatTheStoppingRuleWouldTakeTimesTheFactor) {
  // sleep_for never returns early, so this lower bound holds on any machine: warm-ups plus
  // min_samples calls (5 + 10 with the default timing), not one call.
  const Task t = seed_chart_task(256);
  const double predicted = predict_seconds(t, *find_gpu("A100"));
  const TimingSettings timing;
  ASSERT_DOUBLE_EQ(sampled_wall_seconds(predicted, timing), 15 * predicted);
  ModelBackend backend(options_for("A100", 5.0));
  const auto start = std::chrono::steady_clock::now();
  const Measurement m = backend.measure(t, timing);
  const double slept =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(slept, 5.0 * sampled_wall_seconds(predicted, timing));
  EXPECT_EQ(m.stop_reason, "converged");
  EXPECT_DOUBLE_EQ(m.time_s, predicted) << "the reported time is the prediction, not the sleep";
}

}  // namespace
}  // namespace gs
