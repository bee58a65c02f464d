// Typed API errors and the handle owner of the cuda backend, on the host. No GPU needed.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/unique_handle.hpp"

namespace gs {
namespace {

TEST(CudaCheck, StickyErrorsAreTheRuntimesUnrecoverableOnes) {
  for (cudaError_t sticky : {cudaErrorIllegalAddress, cudaErrorLaunchFailure, cudaErrorAssert,
                             cudaErrorIllegalInstruction, cudaErrorMisalignedAddress,
                             cudaErrorHardwareStackError, cudaErrorECCUncorrectable})
    EXPECT_TRUE(cuda_detail::is_sticky(sticky)) << cudaGetErrorName(sticky);
  for (cudaError_t ordinary : {cudaErrorMemoryAllocation, cudaErrorInvalidValue, cudaErrorNoDevice,
                               cudaErrorInsufficientDriver, cudaSuccess})
    EXPECT_FALSE(cuda_detail::is_sticky(ordinary)) << cudaGetErrorName(ordinary);
}

TEST(CudaCheck, ThrownErrorsCarryTheApiTheCodeAndWhetherTheDeviceIsLost) {
  try {
    CUDA_CHECK(cudaErrorIllegalAddress);
    FAIL() << "CUDA_CHECK must throw";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.api(), "CUDA");
    EXPECT_EQ(e.code(), static_cast<long long>(cudaErrorIllegalAddress));
    EXPECT_TRUE(e.device_lost());
    EXPECT_NE(std::string(e.what()).find("cudaErrorIllegalAddress"), std::string::npos) << e.what();
  }
  try {
    CUDA_CHECK(cudaErrorMemoryAllocation);
    FAIL() << "CUDA_CHECK must throw";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), static_cast<long long>(cudaErrorMemoryAllocation));
    EXPECT_FALSE(e.device_lost()) << "a refused allocation leaves the device usable";
  }
  try {
    CUBLAS_CHECK(CUBLAS_STATUS_NOT_SUPPORTED);
    FAIL() << "CUBLAS_CHECK must throw";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.api(), "cuBLAS");
    EXPECT_EQ(e.code(), static_cast<long long>(CUBLAS_STATUS_NOT_SUPPORTED));
    EXPECT_FALSE(e.device_lost());
  }
}

// Records what it destroys, so that the tests see each handle freed exactly once.
std::vector<int>& destroyed() {
  static std::vector<int> log;
  return log;
}
struct RecordDestroy {
  void operator()(int handle) const noexcept { destroyed().push_back(handle); }
};
using Owned = UniqueHandle<int, RecordDestroy>;

TEST(UniqueHandle, FreesEachHandleOnceThroughMovesAndResets) {
  destroyed().clear();
  {
    Owned a(7);
    Owned b(std::move(a));
    EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    EXPECT_EQ(b.get(), 7);
    Owned c(9);
    c = std::move(b);  // frees 9, takes 7
    EXPECT_EQ(destroyed(), (std::vector<int>{9}));
    EXPECT_EQ(c.get(), 7);
    Owned empty;
    EXPECT_FALSE(empty);
  }
  EXPECT_EQ(destroyed(), (std::vector<int>{9, 7})) << "the empty and moved-from ones free nothing";
  Owned d(3);
  d.reset();
  d.reset();
  EXPECT_EQ(destroyed(), (std::vector<int>{9, 7, 3}));
}

}  // namespace
}  // namespace gs
