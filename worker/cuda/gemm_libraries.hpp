#pragma once
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstddef>

namespace gs {

// What a GemmPlan launches with, owned by the backend and outliving every plan.
struct GemmLibraries {
  cublasHandle_t cublas = nullptr;  // already bound to `stream`
  cublasLtHandle_t lt = nullptr;
  void* lt_workspace = nullptr;
  std::size_t lt_workspace_bytes = 0;
  cudaStream_t stream = nullptr;
};

}  // namespace gs
