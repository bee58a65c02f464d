#include "worker/cuda/cublas_gemm.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "worker/cuda/column_major_call.hpp"
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

cublasOperation_t op(const ColumnMajorMatrix& matrix) {
  return matrix.transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
}

}  // namespace

void launch_cublas_gemm(cublasHandle_t handle, DType dtype, const GemmShape& shape,
                        const GemmOperands& operands) {
  const cudaDataType type = data_type(dtype);
  const float alpha = 1.0f, beta = 0.0f;  // scale type is fp32 for CUBLAS_COMPUTE_32F*
  const ColumnMajorCall call = column_major_call(shape, b_storage_for(dtype));
  CUBLAS_CHECK(cublasGemmStridedBatchedEx(
      handle, op(call.a), op(call.b), static_cast<int>(call.m), static_cast<int>(call.n),
      static_cast<int>(call.k), &alpha,  //
      input_pointer(call.a, operands), type, static_cast<int>(call.a.ld), call.a.stride,
      input_pointer(call.b, operands), type, static_cast<int>(call.b.ld), call.b.stride,  //
      &beta, operands.c, type, static_cast<int>(call.c.ld), call.c.stride,
      static_cast<int>(call.batch), compute_type(dtype), CUBLAS_GEMM_DEFAULT));
}

std::string describe_cublas_gemm(DType dtype) {
  return fmt::format("cublasGemmStridedBatchedEx {} in/out, {}, CUBLAS_GEMM_DEFAULT",
                     to_string(dtype),
                     dtype == DType::tf32 ? "CUBLAS_COMPUTE_32F_FAST_TF32" : "CUBLAS_COMPUTE_32F");
}

}  // namespace gs
