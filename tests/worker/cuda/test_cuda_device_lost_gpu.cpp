// A sticky CUDA error on a real GPU (label gpu): the backend's next call must throw an ApiError
// that says the device is lost, so that the worker retires its rank (orchestrator/worker_loop.cpp,
// tested with a fake backend in tests/orchestrator/device_loss_test.cpp). The fault ruins the
// context of the process it happens in, so it happens in a death test's child, re-executed
// ("threadsafe") so that it starts without the parent's CUDA state.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "diagnostics/api_error.hpp"
#include "illegal_write_kernel.hpp"
#include "worker/cuda/cuda_backend.hpp"

namespace gs {
namespace {

// Exit codes of the child, so that a failure says which step went wrong.
constexpr int kDeviceLost = 0, kNoThrow = 1, kNotLost = 2, kOtherError = 3;

[[noreturn]] void measure_after_a_fault() {
  CudaBackend backend(CudaOptions{});
  test::launch_illegal_write(nullptr);
  (void)cudaDeviceSynchronize();  // the fault lands; its status is the runtime's, not ours
  Task task;
  task.id = 1;
  task.op = Op::bmm;
  task.point.dtype = DType::fp16;
  task.shape = GemmShape{2, 128, 128, 128};
  task.point.raw = task.shape;
  TimingSettings timing;
  timing.min_samples = 3;
  timing.max_samples = 5;
  try {
    (void)backend.measure(task, timing);
  } catch (const ApiError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::_Exit(e.device_lost() && e.api() == "CUDA" ? kDeviceLost : kNotLost);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::_Exit(kOtherError);
  }
  std::_Exit(kNoThrow);
}

TEST(CudaDeviceLost, TheCallAfterAKernelFaultThrowsADeviceLostApiError) {
  ASSERT_TRUE(cuda_device_available());
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(measure_after_a_fault(), ::testing::ExitedWithCode(kDeviceLost),
              "cudaErrorIllegalAddress");
}

}  // namespace
}  // namespace gs
