#include "worker/cuda/column_major_call.hpp"

#include <stdexcept>

namespace gs {

BStorage b_storage_for(DType dtype) {
  return dtype == DType::fp8 ? BStorage::k_by_n : BStorage::n_by_k;
}

ColumnMajorCall column_major_call(const GemmShape& s, BStorage b_storage) {
  ColumnMajorCall call;
  call.m = s.k;
  call.n = s.m;
  call.k = s.n;
  call.batch = s.batch;
  // fp8's kernels take the "TN" form only: a transposed A would need the other one.
  if (b_storage == BStorage::k_by_n && s.a_transposed)
    throw std::invalid_argument("fp8 GEMMs cannot read A transposed (cuBLASLt's fp8 is TN only)");
  // Our B [n][k] read column-major is k x n with ld k: op(A) = A, k x n as needed. Stored [k][n]
  // (fp8, or a backward product's Wᵀ) it reads as n x k with ld n, and the op transposes it back.
  if (b_storage == BStorage::k_by_n || s.b_transposed)
    call.a = {RowMajorBuffer::b, true, s.n, s.k, s.n, s.n * s.k};
  else
    call.a = {RowMajorBuffer::b, false, s.k, s.n, s.k, s.n * s.k};
  // Our A [m][n] reads as n x m with ld n; stored [n][m] (a backward product's Xᵀ) it reads as
  // m x n with ld m, and the op transposes it. Our C [m][k] reads as k x m with ld k.
  if (s.a_transposed)
    call.b = {RowMajorBuffer::a, true, s.m, s.n, s.m, s.m * s.n};
  else
    call.b = {RowMajorBuffer::a, false, s.n, s.m, s.n, s.m * s.n};
  call.c = {RowMajorBuffer::c, false, s.k, s.m, s.k, s.m * s.k};
  return call;
}

const void* input_pointer(const ColumnMajorMatrix& matrix, const GemmOperands& operands) {
  switch (matrix.buffer) {
    case RowMajorBuffer::a:
      return operands.a;
    case RowMajorBuffer::b:
      return operands.b;
    case RowMajorBuffer::c:
      break;
  }
  throw std::logic_error("C is not an input of the product");
}

}  // namespace gs
