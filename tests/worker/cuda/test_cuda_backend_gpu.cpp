// The cuda backend on a real GPU (label gpu; registered only with GEMMSWEEP_DEVICE_TESTS). Each
// test asserts behaviour: correct products for every op and dtype, the stopping rule's bookkeeping,
// the memory pre-check, NVML fields, autotuning. No pass/fail depends on a speed.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "jobs/op_shape.hpp"
#include "worker/cuda/cuda_backend.hpp"

namespace gs {
namespace {

constexpr DType kGpuDTypes[] = {DType::fp16, DType::bf16, DType::fp32, DType::tf32, DType::fp8};

Task make_task(Op op, DType dtype, const GemmShape& shape, std::uint64_t id = 1) {
  Task t;
  t.id = id;
  t.op = op;
  t.point.dtype = dtype;
  t.point.raw = shape;
  t.shape = shape;
  return t;
}

// A small transformer point: h = 256, a = 4 (h/a = 64), b = 2, s = 128, v = 512.
Task model_task(Op op, DType dtype) {
  Point p;
  p.dtype = dtype;
  p.hidden_size = 256;
  p.heads = 4;
  p.head_dim = 64;
  p.microbatch = 2;
  p.seq_length = 128;
  p.tensor_parallel = 1;
  p.vocab_size = 512;
  const auto shape = gemm_shape_for(op, p);
  Task t;
  t.id = static_cast<std::uint64_t>(op) + 100;
  t.op = op;
  t.point = p;
  t.shape = std::get<GemmShape>(shape);
  return t;
}

TimingSettings quick_timing() {
  TimingSettings t;
  t.warmup = 2;
  t.min_samples = 10;
  t.max_samples = 100;
  t.max_rel_ci = 0.05;
  t.max_seconds_per_point = 2.0;
  return t;
}

// A time no GPU can beat: the product's flops at 8192 dense flops per SM per clock, twice what
// Hopper's tensor cores do in fp16 (4096), at the device's highest SM clock. A time below it
// means the events did not enclose the work.
double fastest_possible_seconds(const Task& task, const DeviceInfo& info) {
  const double peak = 8192.0 * info.sm_count * info.sm_clock_max_mhz * 1e6;
  return task.flops() / peak;
}

class CudaBackendGpu : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(cuda_device_available()) << "these tests need a GPU";
    backend_ = std::make_unique<CudaBackend>(CudaOptions{});
  }
  static void TearDownTestSuite() { backend_.reset(); }
  static bool fp8_capable() {
    const std::string cc = backend_->device_info().compute_capability;
    return std::stod(cc) >= 8.9;
  }
  static std::unique_ptr<CudaBackend> backend_;
};
std::unique_ptr<CudaBackend> CudaBackendGpu::backend_;

TEST_F(CudaBackendGpu, EveryOpAndDtypeMatchesTheHostReference) {
  for (Op op : kAllOps) {
    for (DType d : kGpuDTypes) {
      if (is_backward(op) && d == DType::fp8) continue;  // out of scope: op_shape skips them
      const Task task = is_raw(op) ? make_task(op, d, GemmShape{op == Op::bmm ? 3 : 1, 96, 80, 112})
                                   : model_task(op, d);
      SCOPED_TRACE(std::string(to_string(op)) + "/" + std::string(to_string(d)));
      const CheckOutcome outcome = backend_->check_output(task, 256);
      if (d == DType::fp8 && !fp8_capable()) {
        EXPECT_EQ(outcome.checked, 0);
        EXPECT_NE(outcome.detail.find("compute capability"), std::string::npos) << outcome.detail;
        continue;
      }
      EXPECT_EQ(outcome.checked, 256) << outcome.detail;
      EXPECT_TRUE(outcome.ok) << outcome.detail;
    }
  }
}

TEST_F(CudaBackendGpu, UnalignedShapesMatchTheHostReference) {
  // Odd sizes everywhere (the h/a classes 1, 2, 4 of the seed chart) take other kernels.
  for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::tf32}) {
    for (const GemmShape& s :
         {GemmShape{5, 37, 29, 41}, GemmShape{128, 2048, 3, 2048}, GemmShape{2, 130, 2, 66}}) {
      SCOPED_TRACE(std::string(to_string(d)) + " n=" + std::to_string(s.n));
      const CheckOutcome outcome = backend_->check_output(make_task(Op::bmm, d, s), 128);
      EXPECT_EQ(outcome.checked, 128) << outcome.detail;
      EXPECT_TRUE(outcome.ok) << outcome.detail;
    }
  }
}

TEST_F(CudaBackendGpu, MeasureFollowsTheStoppingRule) {
  const TimingSettings timing = quick_timing();
  const Task task = make_task(Op::bmm, DType::fp16, GemmShape{16, 2048, 2048, 2048});
  const Measurement m = backend_->measure(task, timing);
  ASSERT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_GE(m.samples, 1);
  EXPECT_LE(m.samples, timing.max_samples);
  if (m.converged) {
    EXPECT_GE(m.samples, timing.min_samples);
    EXPECT_LE(m.rel_ci, timing.max_rel_ci);
  } else {
    EXPECT_NE(m.message.find("not converged"), std::string::npos) << m.message;
  }
  EXPECT_GE(m.time_min_s, fastest_possible_seconds(task, backend_->device_info()));
  EXPECT_LE(m.time_min_s, m.time_s);
  EXPECT_GE(m.time_std_s, 0);
  EXPECT_EQ(m.launches_per_sample, 1) << "a 275 GFLOP product is never a short call";
  EXPECT_EQ(m.compute_dtype, "fp16");
  EXPECT_NE(m.algo.find("cublasGemmStridedBatchedEx"), std::string::npos) << m.algo;
}

TEST_F(CudaBackendGpu, ShortProductsAreBatchedAndSaySo) {
  const Task task = make_task(Op::bmm, DType::fp16, GemmShape{1, 64, 64, 64});
  const Measurement m = backend_->measure(task, quick_timing());
  ASSERT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_GT(m.launches_per_sample, 1);
  EXPECT_NE(m.message.find("batched"), std::string::npos) << m.message;
  EXPECT_GE(m.time_min_s, fastest_possible_seconds(task, backend_->device_info()));
}

TEST_F(CudaBackendGpu, ThrottleFlagsAreOnlyEverCappingReasons) {
  // An idle-to-busy point must not be flagged for "gpu idle" (0x1) seen between samples.
  const Measurement m = backend_->measure(
      make_task(Op::bmm, DType::bf16, GemmShape{8, 2048, 2048, 2048}), quick_timing());
  ASSERT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_EQ(m.message.find("gpu idle"), std::string::npos) << m.message;
  if (m.message.find("clocks capped during the samples") != std::string::npos) {
    EXPECT_NE(m.after.throttle_reasons & ~std::uint64_t{0x3}, 0u) << m.message;
  }
}

TEST(CudaBackendSharing, ARankSharingTheGpuCountsOnItsShareOfFreeMemory) {
  ASSERT_TRUE(cuda_device_available());
  std::size_t free_bytes = 0, total_bytes = 0;
  ASSERT_EQ(cudaMemGetInfo(&free_bytes, &total_bytes), cudaSuccess);
  // A task of 60% of what is free now fits a rank alone and not one of two sharing the GPU.
  const auto side =
      static_cast<std::int64_t>(std::sqrt(0.6 * static_cast<double>(free_bytes) / 12));
  const Task task = make_task(Op::gemm, DType::fp32, GemmShape{1, side, side, side});
  CudaOptions shared;
  shared.ranks_per_gpu = 2;
  CudaBackend backend(shared);
  const CheckOutcome outcome = backend.check_output(task, 8);
  EXPECT_EQ(outcome.checked, 0);
  EXPECT_NE(outcome.detail.find("2 ranks share the GPU"), std::string::npos) << outcome.detail;
}

TEST_F(CudaBackendGpu, TaskLargerThanFreeMemoryIsSkipped) {
  // 1024 x 3 x 16384^2 fp32 values: 3.3 TB.
  const Measurement m = backend_->measure(
      make_task(Op::bmm, DType::fp32, GemmShape{1024, 16384, 16384, 16384}), quick_timing());
  EXPECT_EQ(m.status, TaskStatus::skipped);
  EXPECT_NE(m.message.find("does not fit in device memory"), std::string::npos) << m.message;
  EXPECT_NE(m.message.find("free"), std::string::npos) << m.message;
  EXPECT_EQ(m.samples, 0);
}

TEST_F(CudaBackendGpu, Fp64IsSkippedWithAReason) {
  const Measurement m =
      backend_->measure(make_task(Op::gemm, DType::fp64, GemmShape{1, 64, 64, 64}), quick_timing());
  EXPECT_EQ(m.status, TaskStatus::skipped);
  EXPECT_NE(m.message.find("cpu"), std::string::npos) << m.message;
}

TEST_F(CudaBackendGpu, Fp8RunsThroughCublasLtOrIsSkipped) {
  const Measurement m = backend_->measure(
      make_task(Op::bmm, DType::fp8, GemmShape{4, 512, 256, 512}), quick_timing());
  if (fp8_capable()) {
    ASSERT_EQ(m.status, TaskStatus::ok) << m.message;
    EXPECT_NE(m.algo.find("cublasLt algo"), std::string::npos) << m.algo;
  } else {
    EXPECT_EQ(m.status, TaskStatus::skipped);
  }
}

TEST_F(CudaBackendGpu, Fp8ShapesOffTheKernelRuleAreSkippedWithTheRule) {
  // n = 40 is not a multiple of 16: skipped before cuBLASLt is asked, never a failure.
  const Measurement m =
      backend_->measure(make_task(Op::bmm, DType::fp8, GemmShape{2, 96, 40, 112}), quick_timing());
  EXPECT_EQ(m.status, TaskStatus::skipped) << m.message;
  if (fp8_capable()) {
    EXPECT_NE(m.message.find("n and k multiples of 16"), std::string::npos) << m.message;
  }
}

TEST_F(CudaBackendGpu, AnEarlierFailedCallDoesNotFailTheNextTask) {
  // A refused allocation leaves cudaErrorMemoryAllocation as the runtime's last error; the fill
  // and delay launches that follow must not take it for their own.
  void* huge = nullptr;
  ASSERT_NE(cudaMalloc(&huge, std::size_t{1} << 55), cudaSuccess);
  const Measurement m = backend_->measure(
      make_task(Op::bmm, DType::fp16, GemmShape{2, 256, 256, 256}), quick_timing());
  EXPECT_EQ(m.status, TaskStatus::ok) << m.message;
}

TEST_F(CudaBackendGpu, DeviceInfoAndNvmlFieldsAreFilled) {
  const DeviceInfo info = backend_->device_info();
  EXPECT_EQ(info.backend, "cuda");
  EXPECT_FALSE(info.name.empty());
  EXPECT_EQ(info.uuid.rfind("GPU-", 0), 0u) << info.uuid;
  EXPECT_FALSE(info.compute_capability.empty());
  EXPECT_GT(info.sm_count, 0);
  EXPECT_GT(info.memory_bytes, 0u);
  EXPECT_FALSE(info.runtime_version.empty());
  EXPECT_EQ(info.blas_version.rfind("cuBLAS ", 0), 0u) << info.blas_version;
  ASSERT_TRUE(backend_->nvml_available()) << "libnvidia-ml.so.1 should load where a driver is";
  EXPECT_FALSE(info.driver_version.empty());
  EXPECT_GT(info.sm_clock_max_mhz, 0);
  const DeviceReadings r = backend_->read_device();
  EXPECT_GT(r.sm_clock_mhz, 0);
  EXPECT_GT(r.mem_clock_mhz, 0);
  EXPECT_GT(r.temperature_c, 0);
  EXPECT_GT(r.power_w, 0);
  const Measurement m = backend_->measure(
      make_task(Op::bmm, DType::bf16, GemmShape{8, 1024, 1024, 1024}), quick_timing());
  ASSERT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_GT(m.before.sm_clock_mhz, 0);
  EXPECT_GT(m.after.sm_clock_mhz, 0);
  EXPECT_GT(m.after.power_w, 0);
}

TEST(CudaBackendAutotune, RecordsTheChosenAlgorithm) {
  ASSERT_TRUE(cuda_device_available());
  CudaOptions options;
  options.autotune = true;
  CudaBackend backend(options);
  const Measurement m = backend.measure(
      make_task(Op::bmm, DType::fp16, GemmShape{8, 1024, 512, 1024}), quick_timing());
  ASSERT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_NE(m.algo.find("cublasLt algo"), std::string::npos) << m.algo;
  EXPECT_NE(m.algo.find("tile"), std::string::npos) << m.algo;
  EXPECT_NE(m.algo.find("splitK"), std::string::npos) << m.algo;
  // The autotuned product is checked against the reference like any other.
  const CheckOutcome outcome =
      backend.check_output(make_task(Op::bmm, DType::fp16, GemmShape{8, 1024, 512, 1024}), 64);
  EXPECT_TRUE(outcome.ok) << outcome.detail;
}

TEST(CudaBackendAutotune, ShortAutotunedProductsAreBatchedLikeAnyOther) {
  // A product of a few microseconds: its samples are batched, and so were its candidates' (the
  // same rule, gemm_planner.cpp); what the first GPU run compares is in docs/gpu-check.md.
  ASSERT_TRUE(cuda_device_available());
  CudaOptions options;
  options.autotune = true;
  CudaBackend tuned(options);
  const Measurement m =
      tuned.measure(make_task(Op::bmm, DType::fp16, GemmShape{4, 128, 64, 128}), quick_timing());
  ASSERT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_GT(m.launches_per_sample, 1) << m.message;
  EXPECT_NE(m.algo.find("cublasLt algo"), std::string::npos) << m.algo;
}

}  // namespace
}  // namespace gs
