#pragma once
#include <cstdint>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_operands.hpp"

namespace gs {

// How our B is stored: [batch][n][k] as torch.bmm has it, or [batch][k][n] for fp8, whose kernels
// need the reduction dimension contiguous in both inputs (the "TN" form, as torch._scaled_mm).
// A shape's own a_transposed / b_transposed (backward products) say how A and B are stored too.
enum class BStorage { n_by_k, k_by_n };

BStorage b_storage_for(DType dtype);

// One of our row-major buffers (GemmOperands).
enum class RowMajorBuffer { a, b, c };

// One matrix argument of the column-major call: which of our buffers it reads and how cuBLAS
// sees it. rows x cols is the stored matrix (cublasLtMatrixLayoutCreate's rows and cols), element
// (r, c) of batch i at buffer[i * stride + r + c * ld]; `transposed` is the op applied to it
// (CUBLAS_OP_T; never set on C).
struct ColumnMajorMatrix {
  RowMajorBuffer buffer = RowMajorBuffer::a;
  bool transposed = false;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;
  std::int64_t stride = 0;  // elements between consecutive batches
};

// The arguments of cublasGemmStridedBatchedEx / cublasLtMatmul that compute our row-major
// C[batch][m][k] = A[batch][m][n] x B[batch][n][k]. cuBLAS is column-major, and a row-major
// matrix read column-major is its transpose, so the call computes C^T = B^T A^T: its first
// operand is our B and its second our A. m, n and k here are cuBLAS's (op(A) m x k, op(B) k x n,
// C m x n), not GemmShape's: m = shape.k, n = shape.m, k = shape.n. Pure data, no CUDA, so the
// mapping is tested on any host (tests/worker/cuda/test_column_major_call.cpp).
struct ColumnMajorCall {
  std::int64_t m = 0;
  std::int64_t n = 0;
  std::int64_t k = 0;
  std::int64_t batch = 0;
  ColumnMajorMatrix a;
  ColumnMajorMatrix b;
  ColumnMajorMatrix c;
};

// Throws std::invalid_argument for an fp8 (k_by_n) call with A transposed.
ColumnMajorCall column_major_call(const GemmShape& shape, BStorage b_storage);

// The device pointer of an input argument (a or b of the call) among our operands.
const void* input_pointer(const ColumnMajorMatrix& matrix, const GemmOperands& operands);

}  // namespace gs
