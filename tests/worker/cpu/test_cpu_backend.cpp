#include <gtest/gtest.h>

#include "worker/cpu/cpu_backend.hpp"
#include "worker/cpu/host_info.hpp"

namespace gs {
namespace {

CpuOptions small_options() {
  CpuOptions o;
  o.threads = 1;
  o.cache_bytes = 1 << 20;  // keeps the rotating arena small in tests
  return o;
}

TimingSettings quick() {
  TimingSettings t;
  t.warmup = 1;
  t.min_samples = 6;
  t.max_samples = 8;
  t.max_rel_ci = 0.5;
  t.max_seconds_per_point = 5.0;
  return t;
}

Task bmm_task(DType dtype, GemmShape shape = {4, 32, 48, 40}) {
  Task t;
  t.op = Op::bmm;
  t.point.dtype = dtype;
  t.point.raw = shape;
  t.shape = shape;
  return t;
}

TEST(CpuBackend, MeasuresFp32) {
  CpuBackend backend(small_options());
  EXPECT_EQ(backend.kind(), "cpu");
  EXPECT_EQ(backend.threads(), 1);
  const Measurement m = backend.measure(bmm_task(DType::fp32), quick());
  EXPECT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_EQ(m.compute_dtype, "fp32");
  EXPECT_GE(m.samples, 6);
  EXPECT_LE(m.samples, 8);
  EXPECT_GT(m.time_s, 0);
  EXPECT_LE(m.time_min_s, m.time_s);
  EXPECT_GE(m.launches_per_sample, 1);
  EXPECT_NE(m.algo.find("cblas_sgemm"), std::string::npos) << m.algo;
}

TEST(CpuBackend, Fp64IsNative) {
  CpuBackend backend(small_options());
  const Measurement m = backend.measure(bmm_task(DType::fp64), quick());
  EXPECT_EQ(m.status, TaskStatus::ok) << m.message;
  EXPECT_EQ(m.compute_dtype, "fp64");
  EXPECT_NE(m.algo.find("cblas_dgemm"), std::string::npos) << m.algo;
}

TEST(CpuBackend, HalfPrecisionRequestsRunInFp32AndSaySo) {
  CpuBackend backend(small_options());
  for (DType d : {DType::fp16, DType::bf16, DType::tf32}) {
    const Measurement m = backend.measure(bmm_task(d), quick());
    EXPECT_EQ(m.status, TaskStatus::ok) << m.message;
    EXPECT_EQ(m.compute_dtype, "fp32") << to_string(d);
    EXPECT_NE(m.message.find(std::string(to_string(d)) + " requested, computed in fp32"),
              std::string::npos)
        << m.message;
  }
}

TEST(CpuBackend, Fp8IsSkippedWithAReason) {
  CpuBackend backend(small_options());
  const Measurement m = backend.measure(bmm_task(DType::fp8), quick());
  EXPECT_EQ(m.status, TaskStatus::skipped);
  EXPECT_NE(m.message.find("fp8"), std::string::npos);
  EXPECT_EQ(m.samples, 0);
}

TEST(CpuBackend, TaskLargerThanMemoryIsSkipped) {
  CpuBackend backend(small_options());
  const Measurement m =
      backend.measure(bmm_task(DType::fp32, {1, 1 << 20, 1 << 20, 1 << 20}), quick());
  EXPECT_EQ(m.status, TaskStatus::skipped);
  EXPECT_NE(m.message.find("host memory"), std::string::npos) << m.message;
}

TEST(CpuBackend, RanksOfANodeShareItsMemory) {
  // A task needing about 1/500 of the free memory: within one rank's reach, but not within the
  // share of one of 1000 ranks (skipped before anything is allocated).
  const std::uint64_t available = available_memory_bytes();
  ASSERT_GT(available, 0u);
  const auto batch = static_cast<std::int64_t>(available / 500 / (3 * 16 * 16 * 4)) + 1;
  CpuOptions shared = small_options();
  shared.ranks_on_node = 1000;
  CpuBackend backend(shared);
  const Measurement m = backend.measure(bmm_task(DType::fp32, {batch, 16, 16, 16}), quick());
  EXPECT_EQ(m.status, TaskStatus::skipped);
  EXPECT_NE(m.message.find("shared by 1000 ranks"), std::string::npos) << m.message;
}

TEST(CpuBackend, EmptyShapeThrows) {
  CpuBackend backend(small_options());
  EXPECT_THROW(backend.measure(bmm_task(DType::fp32, {1, 0, 4, 4}), quick()),
               std::invalid_argument);
}

TEST(CpuBackend, RotationExceedsTheCache) {
  CpuBackend backend(small_options());
  const GemmShape small{1, 16, 16, 16};  // 3 KiB per set
  const std::uint64_t sets = backend.rotation_sets(small, 4);
  EXPECT_GT(sets * 3 * 16 * 16 * 4, 1u << 20);
  // A set larger than the cache still gets a second one to alternate with.
  EXPECT_EQ(backend.rotation_sets({1, 512, 512, 512}, 4), 2u);
}

TEST(CpuBackend, DeviceInfoDescribesTheHost) {
  CpuBackend backend(small_options());
  const DeviceInfo info = backend.device_info();
  EXPECT_EQ(info.backend, "cpu");
  EXPECT_FALSE(info.name.empty());
  EXPECT_FALSE(info.host.empty());
  EXPECT_EQ(info.threads, 1);
  EXPECT_GT(info.memory_bytes, 0u);
  EXPECT_NE(info.blas_version.find("OpenBLAS"), std::string::npos) << info.blas_version;
}

}  // namespace
}  // namespace gs
