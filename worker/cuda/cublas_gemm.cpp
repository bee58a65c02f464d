#include "worker/cuda/cublas_gemm.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "worker/cuda/cuda_check.hpp"

namespace gs {
namespace {

cudaDataType data_type(DType dtype) {
  switch (dtype) {
    case DType::fp16:
      return CUDA_R_16F;
    case DType::bf16:
      return CUDA_R_16BF;
    case DType::fp32:
    case DType::tf32:
      return CUDA_R_32F;
    case DType::fp8:
    case DType::fp64:
      break;
  }
  throw std::invalid_argument(
      fmt::format("cublasGemmStridedBatchedEx does not run {} here", to_string(dtype)));
}

cublasComputeType_t compute_type(DType dtype) {
  return dtype == DType::tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
}

}  // namespace

void launch_cublas_gemm(cublasHandle_t handle, DType dtype, const GemmShape& s,
                        const GemmOperands& operands) {
  const cudaDataType type = data_type(dtype);
  const float alpha = 1.0f, beta = 0.0f;  // scale type is fp32 for CUBLAS_COMPUTE_32F*
  const int m = static_cast<int>(s.m), n = static_cast<int>(s.n), k = static_cast<int>(s.k);
  CUBLAS_CHECK(cublasGemmStridedBatchedEx(
      handle, CUBLAS_OP_N, CUBLAS_OP_N, /*M=*/k, /*N=*/m, /*K=*/n, &alpha,
      /*A=*/operands.b, type, /*lda=*/k, /*strideA=*/s.n * s.k,  //
      /*B=*/operands.a, type, /*ldb=*/n, /*strideB=*/s.m * s.n,  //
      &beta, /*C=*/operands.c, type, /*ldc=*/k, /*strideC=*/s.m * s.k, static_cast<int>(s.batch),
      compute_type(dtype), CUBLAS_GEMM_DEFAULT));
}

std::string describe_cublas_gemm(DType dtype) {
  return fmt::format("cublasGemmStridedBatchedEx {} in/out, {}, CUBLAS_GEMM_DEFAULT",
                     to_string(dtype),
                     dtype == DType::tf32 ? "CUBLAS_COMPUTE_32F_FAST_TF32" : "CUBLAS_COMPUTE_32F");
}

}  // namespace gs
