#pragma once
#include <cublas_api.h>
#include <cuda_runtime_api.h>

#include <string>

#include "diagnostics/api_error.hpp"

// Check macros for the CUDA runtime and cuBLAS / cuBLASLt (which share cublasStatus_t), built on
// diagnostics/api_error.hpp as nvbench's cuda_call.cuh and raft's cublas_macros.hpp are: the
// message names the call, file, line, host and rank. The _NOTHROW twins print instead, for
// destructors. A failed runtime call also leaves its status as the runtime's last error; the CUDA
// macros clear it, so that a caller who catches and carries on (a refused allocation, an autotune
// candidate) does not see it again from the next cudaGetLastError. Sticky errors cannot be cleared
// and stay: the ApiError of one says device_lost, and the worker retires its rank's device.

namespace gs::cuda_detail {

std::string describe(cudaError_t status);
std::string describe(cublasStatus_t status);

// The runtime's sticky errors, after which "the process must be terminated and relaunched" (CUDA
// runtime API, enum cudaError): kernel faults, illegal addresses, a launch timeout, an
// uncorrectable ECC error. Every later call on the device fails with the same error.
bool is_sticky(cudaError_t status);
ApiStatus status_of(cudaError_t status);
ApiStatus status_of(cublasStatus_t status);

}  // namespace gs::cuda_detail

namespace gs {

// A library call that failed with its own status (cuBLAS's EXECUTION_FAILED, NCCL's
// "unhandled CUDA error") may hide a sticky CUDA error underneath: this waits for `stream` and
// throws ApiError with device_lost when the device is gone, and returns otherwise (clearing a
// non-sticky error, which the caller has already reported its way).
void throw_if_device_lost(cudaStream_t stream);

}  // namespace gs

#define CUDA_CHECK(call)                                                                       \
  do {                                                                                         \
    const cudaError_t gs_cuda_status_ = (call);                                                \
    if (gs_cuda_status_ != cudaSuccess) {                                                      \
      (void)cudaGetLastError();                                                                \
      ::gs::throw_api_error(::gs::cuda_detail::status_of(gs_cuda_status_), #call,              \
                            ::gs::cuda_detail::describe(gs_cuda_status_), __FILE__, __LINE__); \
    }                                                                                          \
  } while (false)

#define CUDA_CHECK_NOTHROW(call)                                                          \
  do {                                                                                    \
    const cudaError_t gs_cuda_status_ = (call);                                           \
    if (gs_cuda_status_ != cudaSuccess) {                                                 \
      (void)cudaGetLastError();                                                           \
      ::gs::report_api_error("CUDA", #call, ::gs::cuda_detail::describe(gs_cuda_status_), \
                             __FILE__, __LINE__);                                         \
    }                                                                                     \
  } while (false)

#define CUBLAS_CHECK(call)                                                                       \
  do {                                                                                           \
    const cublasStatus_t gs_cublas_status_ = (call);                                             \
    if (gs_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                            \
      ::gs::throw_api_error(::gs::cuda_detail::status_of(gs_cublas_status_), #call,              \
                            ::gs::cuda_detail::describe(gs_cublas_status_), __FILE__, __LINE__); \
    }                                                                                            \
  } while (false)

#define CUBLAS_CHECK_NOTHROW(call)                                                            \
  do {                                                                                        \
    const cublasStatus_t gs_cublas_status_ = (call);                                          \
    if (gs_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                         \
      ::gs::report_api_error("cuBLAS", #call, ::gs::cuda_detail::describe(gs_cublas_status_), \
                             __FILE__, __LINE__);                                             \
    }                                                                                         \
  } while (false)
