#pragma once
#include <cublas_v2.h>

#include <string>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_operands.hpp"

namespace gs {

// C = A x B per batch with cublasGemmStridedBatchedEx, exactly as torch.bmm calls it for
// row-major tensors: cuBLAS is column-major, so it computes C^T = B^T A^T with no transposes
// (M = k, N = m, K = n; lda = k, ldb = n, ldc = k; see column_major_call.hpp). fp16 / bf16 / fp32
// accumulate in fp32 (CUBLAS_COMPUTE_32F, torch's default), tf32 with CUBLAS_COMPUTE_32F_FAST_TF32.
// Enqueued on the handle's stream. The shape's dimensions must fit in int.
void launch_cublas_gemm(cublasHandle_t handle, DType dtype, const GemmShape& shape,
                        const GemmOperands& operands);

// "cublasGemmStridedBatchedEx fp16 in/out, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT".
std::string describe_cublas_gemm(DType dtype);

}  // namespace gs
