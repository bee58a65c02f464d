#pragma once
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/unique_handle.hpp"

namespace gs {

// The CUDA and cuBLAS handles the backend and the NCCL runner own, each a UniqueHandle whose
// destroyer reports (never throws) a failure: destructors run during unwinding.
namespace cuda_detail {
struct DestroyStream {
  void operator()(cudaStream_t s) const noexcept { CUDA_CHECK_NOTHROW(cudaStreamDestroy(s)); }
};
struct DestroyEvent {
  void operator()(cudaEvent_t e) const noexcept { CUDA_CHECK_NOTHROW(cudaEventDestroy(e)); }
};
struct FreeDevice {
  void operator()(void* p) const noexcept { CUDA_CHECK_NOTHROW(cudaFree(p)); }
};
struct DestroyCublas {
  void operator()(cublasHandle_t h) const noexcept { CUBLAS_CHECK_NOTHROW(cublasDestroy(h)); }
};
struct DestroyCublasLt {
  void operator()(cublasLtHandle_t h) const noexcept { CUBLAS_CHECK_NOTHROW(cublasLtDestroy(h)); }
};
}  // namespace cuda_detail

using CudaStream = UniqueHandle<cudaStream_t, cuda_detail::DestroyStream>;
using CudaEvent = UniqueHandle<cudaEvent_t, cuda_detail::DestroyEvent>;
using DeviceMemory = UniqueHandle<void*, cuda_detail::FreeDevice>;
using CublasHandle = UniqueHandle<cublasHandle_t, cuda_detail::DestroyCublas>;
using CublasLtHandle = UniqueHandle<cublasLtHandle_t, cuda_detail::DestroyCublasLt>;

// A non-blocking stream (nvbench's cuda_stream.cuh): it never waits for the legacy stream.
CudaStream make_cuda_stream();
// A timing event.
CudaEvent make_cuda_event();
CublasHandle make_cublas_handle();
CublasLtHandle make_cublaslt_handle();

void synchronize(cudaStream_t stream);
void record(cudaEvent_t event, cudaStream_t stream);
// Seconds from `start` to `stop`; both must have completed.
double seconds_between(cudaEvent_t start, cudaEvent_t stop);

}  // namespace gs
