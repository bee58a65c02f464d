// The row-major -> column-major argument mapping of the cuBLAS / cuBLASLt calls, checked on the
// host: the mapped arguments drive a reference strided-batched GEMM that follows the BLAS
// definition literally, and its output must equal a naive row-major bmm. No GPU needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "worker/cuda/column_major_call.hpp"

namespace gs {
namespace {

using Matrix = std::vector<double>;

// op(X)[i, l] of batch `batch` of a column-major X; at() turns a mapping that reads outside its
// buffer into an exception instead of undefined behaviour.
double op_element(const Matrix& x, const ColumnMajorMatrix& arg, std::int64_t batch, std::int64_t i,
                  std::int64_t l) {
  const std::int64_t offset =
      batch * arg.stride + (arg.transposed ? l + i * arg.ld : i + l * arg.ld);
  return x.at(static_cast<std::size_t>(offset));
}

// cublasGemmStridedBatchedEx with alpha = 1, beta = 0, as its documentation defines it:
// C + i*strideC = op(A + i*strideA) op(B + i*strideB), op(A) m x k, op(B) k x n, C m x n,
// C[r + c*ldc]. Reads only through the arguments, never through the shape they came from.
void reference_gemm(const ColumnMajorCall& call, const Matrix& a, const Matrix& b, Matrix& c) {
  for (std::int64_t batch = 0; batch < call.batch; ++batch)
    for (std::int64_t j = 0; j < call.n; ++j)
      for (std::int64_t i = 0; i < call.m; ++i) {
        double sum = 0;
        for (std::int64_t l = 0; l < call.k; ++l)
          sum += op_element(a, call.a, batch, i, l) * op_element(b, call.b, batch, l, j);
        c.at(static_cast<std::size_t>(batch * call.c.stride + i + j * call.c.ld)) = sum;
      }
}

// torch.bmm: C[b][i][j] = sum_r A[b][i][r] B[b][r][j], all row-major.
Matrix row_major_bmm(const GemmShape& s, const Matrix& a, const Matrix& b) {
  Matrix c(static_cast<std::size_t>(s.batch * s.m * s.k));
  for (std::int64_t bb = 0; bb < s.batch; ++bb)
    for (std::int64_t i = 0; i < s.m; ++i)
      for (std::int64_t j = 0; j < s.k; ++j) {
        double sum = 0;
        for (std::int64_t r = 0; r < s.n; ++r)
          sum += a[static_cast<std::size_t>((bb * s.m + i) * s.n + r)] *
                 b[static_cast<std::size_t>((bb * s.n + r) * s.k + j)];
        c[static_cast<std::size_t>((bb * s.m + i) * s.k + j)] = sum;
      }
  return c;
}

// Small integers: every product and sum is exact in double, so the comparison can be exact.
Matrix random_matrix(std::size_t size, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(-4, 4);
  Matrix x(size);
  for (double& v : x) v = pick(rng);
  return x;
}

// B [batch][n][k] as fp8 stores it: [batch][k][n].
Matrix transpose_batches(const GemmShape& s, const Matrix& b) {
  Matrix t(b.size());
  for (std::int64_t bb = 0; bb < s.batch; ++bb)
    for (std::int64_t r = 0; r < s.n; ++r)
      for (std::int64_t j = 0; j < s.k; ++j)
        t[static_cast<std::size_t>((bb * s.k + j) * s.n + r)] =
            b[static_cast<std::size_t>((bb * s.n + r) * s.k + j)];
  return t;
}

const Matrix& buffer(RowMajorBuffer which, const Matrix& a, const Matrix& b) {
  return which == RowMajorBuffer::a ? a : b;
}

// Runs the mapped call over the stored operands and returns our C as the reference wrote it.
Matrix run_mapped(const ColumnMajorCall& call, const GemmShape& s, const Matrix& a,
                  const Matrix& b_stored) {
  Matrix c(static_cast<std::size_t>(s.batch * s.m * s.k), -1.0);
  reference_gemm(call, buffer(call.a.buffer, a, b_stored), buffer(call.b.buffer, a, b_stored), c);
  return c;
}

// False when the call computes anything but torch.bmm's C, reading out of bounds included.
bool computes_bmm(const ColumnMajorCall& call, const GemmShape& s, const Matrix& a,
                  const Matrix& b_stored, const Matrix& expected) {
  try {
    return run_mapped(call, s, a, b_stored) == expected;
  } catch (const std::out_of_range&) {
    return false;
  }
}

const std::vector<GemmShape> kShapes = {
    {1, 1, 1, 1}, {1, 2, 3, 4}, {3, 5, 7, 2},   {2, 1, 6, 1}, {4, 3, 1, 5}, {1, 7, 1, 9},
    {5, 1, 1, 1}, {2, 1, 1, 8}, {2, 8, 16, 16}, {3, 6, 4, 1}, {2, 1, 9, 3}, {1, 16, 8, 24},
};

const BStorage kStorages[] = {BStorage::n_by_k, BStorage::k_by_n};

TEST(ColumnMajorCall, TorchBmmMappingForRowMajorB) {
  const GemmShape s{3, 5, 7, 2};  // batch, m, n (reduction), k
  const ColumnMajorCall call = column_major_call(s, BStorage::n_by_k);
  EXPECT_EQ(call.m, 2);
  EXPECT_EQ(call.n, 5);
  EXPECT_EQ(call.k, 7);
  EXPECT_EQ(call.batch, 3);
  EXPECT_EQ(call.a.buffer, RowMajorBuffer::b);
  EXPECT_FALSE(call.a.transposed);
  EXPECT_EQ(call.a.ld, 2);
  EXPECT_EQ(call.a.stride, 7 * 2);
  EXPECT_EQ(call.b.buffer, RowMajorBuffer::a);
  EXPECT_FALSE(call.b.transposed);
  EXPECT_EQ(call.b.ld, 7);
  EXPECT_EQ(call.b.stride, 5 * 7);
  EXPECT_EQ(call.c.buffer, RowMajorBuffer::c);
  EXPECT_FALSE(call.c.transposed);
  EXPECT_EQ(call.c.ld, 2);
  EXPECT_EQ(call.c.stride, 5 * 2);
}

TEST(ColumnMajorCall, TnFormForFp8) {
  const GemmShape s{3, 5, 7, 2};
  const ColumnMajorCall call = column_major_call(s, BStorage::k_by_n);
  EXPECT_EQ(call.a.buffer, RowMajorBuffer::b);
  EXPECT_TRUE(call.a.transposed);
  EXPECT_EQ(call.a.rows, 7);
  EXPECT_EQ(call.a.cols, 2);
  EXPECT_EQ(call.a.ld, 7);
  EXPECT_EQ(call.a.stride, 7 * 2);
  EXPECT_FALSE(call.b.transposed);  // "TN": the reduction is contiguous in both inputs
  EXPECT_EQ(b_storage_for(DType::fp8), BStorage::k_by_n);
  for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::tf32})
    EXPECT_EQ(b_storage_for(d), BStorage::n_by_k) << to_string(d);
}

TEST(ColumnMajorCall, ComputesTorchBmmUnderBlasSemantics) {
  std::mt19937_64 rng(20261128);
  for (const GemmShape& s : kShapes)
    for (BStorage storage : kStorages) {
      const Matrix a = random_matrix(static_cast<std::size_t>(s.batch * s.m * s.n), rng);
      const Matrix b = random_matrix(static_cast<std::size_t>(s.batch * s.n * s.k), rng);
      const Matrix b_stored = storage == BStorage::k_by_n ? transpose_batches(s, b) : b;
      const ColumnMajorCall call = column_major_call(s, storage);
      EXPECT_TRUE(computes_bmm(call, s, a, b_stored, row_major_bmm(s, a, b)))
          << "batch=" << s.batch << " m=" << s.m << " n=" << s.n << " k=" << s.k
          << (storage == BStorage::k_by_n ? " (B stored k x n)" : "");
    }
}

// cuBLAS answers CUBLAS_STATUS_INVALID_VALUE unless lda >= max(1, transa ? K : M),
// ldb >= max(1, transb ? N : K) and ldc >= max(1, M), dimensions of 1 included.
TEST(ColumnMajorCall, LeadingDimensionsSatisfyCublas) {
  for (const GemmShape& s : kShapes)
    for (BStorage storage : kStorages) {
      const ColumnMajorCall c = column_major_call(s, storage);
      SCOPED_TRACE(testing::Message() << "batch=" << s.batch << " m=" << s.m << " n=" << s.n
                                      << " k=" << s.k << " storage=" << static_cast<int>(storage));
      EXPECT_GE(c.a.ld, std::max<std::int64_t>(1, c.a.transposed ? c.k : c.m));
      EXPECT_GE(c.b.ld, std::max<std::int64_t>(1, c.b.transposed ? c.n : c.k));
      EXPECT_GE(c.c.ld, std::max<std::int64_t>(1, c.m));
      EXPECT_FALSE(c.c.transposed);
      for (const ColumnMajorMatrix* x : {&c.a, &c.b, &c.c})
        EXPECT_GE(x->ld, std::max<std::int64_t>(1, x->rows));  // cublasLtMatrixLayoutCreate's rule
    }
}

// The cuBLASLt layouts (rows x cols, ld) must agree with the operation's dimensions as cuBLASLt
// checks them, and each must cover its buffer exactly: every element of every batch once.
TEST(ColumnMajorCall, LtLayoutsDescribeTheOperands) {
  for (const GemmShape& s : kShapes)
    for (BStorage storage : kStorages) {
      const ColumnMajorCall c = column_major_call(s, storage);
      SCOPED_TRACE(testing::Message() << "batch=" << s.batch << " m=" << s.m << " n=" << s.n
                                      << " k=" << s.k << " storage=" << static_cast<int>(storage));
      // op(A) is m x k, op(B) k x n, C m x n.
      EXPECT_EQ(c.a.transposed ? c.a.cols : c.a.rows, c.m);
      EXPECT_EQ(c.a.transposed ? c.a.rows : c.a.cols, c.k);
      EXPECT_EQ(c.b.transposed ? c.b.cols : c.b.rows, c.k);
      EXPECT_EQ(c.b.transposed ? c.b.rows : c.b.cols, c.n);
      EXPECT_EQ(c.c.rows, c.m);
      EXPECT_EQ(c.c.cols, c.n);

      const auto elements = [&s](RowMajorBuffer which) {
        switch (which) {
          case RowMajorBuffer::a:
            return s.batch * s.m * s.n;
          case RowMajorBuffer::b:
            return s.batch * s.n * s.k;
          case RowMajorBuffer::c:
            break;
        }
        return s.batch * s.m * s.k;
      };
      for (const ColumnMajorMatrix* x : {&c.a, &c.b, &c.c}) {
        std::set<std::int64_t> offsets;
        for (std::int64_t bb = 0; bb < c.batch; ++bb)
          for (std::int64_t col = 0; col < x->cols; ++col)
            for (std::int64_t row = 0; row < x->rows; ++row)
              offsets.insert(bb * x->stride + row + col * x->ld);
        const std::int64_t size = elements(x->buffer);
        EXPECT_EQ(static_cast<std::int64_t>(offsets.size()), size);
        EXPECT_EQ(*offsets.begin(), 0);
        EXPECT_EQ(*offsets.rbegin(), size - 1);
      }
    }
}

// A stored [batch][n][m], as a backward product's Xᵀ or dSᵀ is.
Matrix transpose_a_batches(const GemmShape& s, const Matrix& a) {
  Matrix t(a.size());
  for (std::int64_t bb = 0; bb < s.batch; ++bb)
    for (std::int64_t i = 0; i < s.m; ++i)
      for (std::int64_t r = 0; r < s.n; ++r)
        t[static_cast<std::size_t>((bb * s.n + r) * s.m + i)] =
            a[static_cast<std::size_t>((bb * s.m + i) * s.n + r)];
  return t;
}

// The backward products' layouts (jobs/op_shape.cpp): A stored transposed (dW = Xᵀ·dY,
// dK = dSᵀ·Q, dV = Pᵀ·dO), B stored transposed (dX = dY·Wᵀ, dP = dO·Vᵀ). The mapped call over
// the transposed storage must still compute op(A)·op(B) as torch does, and obey cuBLAS's rules.
TEST(ColumnMajorCall, TransposedOperandsOfBackwardProducts) {
  std::mt19937_64 rng(20261202);
  for (GemmShape s : kShapes)
    for (const auto& [a_t, b_t] : {std::pair{true, false}, {false, true}, {true, true}}) {
      s.a_transposed = a_t;
      s.b_transposed = b_t;
      const Matrix a = random_matrix(static_cast<std::size_t>(s.batch * s.m * s.n), rng);
      const Matrix b = random_matrix(static_cast<std::size_t>(s.batch * s.n * s.k), rng);
      const Matrix a_stored = a_t ? transpose_a_batches(s, a) : a;
      const Matrix b_stored = b_t ? transpose_batches(s, b) : b;
      const ColumnMajorCall call = column_major_call(s, BStorage::n_by_k);
      SCOPED_TRACE(testing::Message() << "batch=" << s.batch << " m=" << s.m << " n=" << s.n
                                      << " k=" << s.k << " a_t=" << a_t << " b_t=" << b_t);
      EXPECT_EQ(call.b.transposed, a_t);
      EXPECT_EQ(call.a.transposed, b_t);
      EXPECT_TRUE(computes_bmm(call, s, a_stored, b_stored, row_major_bmm(s, a, b)));
      EXPECT_GE(call.a.ld, std::max<std::int64_t>(1, call.a.transposed ? call.k : call.m));
      EXPECT_GE(call.b.ld, std::max<std::int64_t>(1, call.b.transposed ? call.n : call.k));
      // Reading the transposed storage as if it were not gives the wrong product (unless a
      // dimension of 1 makes both storages the same).
      if (a_t && s.m > 1 && s.n > 1) {
        GemmShape plain = s;
        plain.a_transposed = false;
        EXPECT_FALSE(computes_bmm(column_major_call(plain, BStorage::n_by_k), s, a_stored, b_stored,
                                  row_major_bmm(s, a, b)));
      }
    }
}

TEST(ColumnMajorCall, Fp8RefusesTransposedA) {
  GemmShape s{1, 4, 8, 16};
  s.a_transposed = true;
  EXPECT_THROW(column_major_call(s, BStorage::k_by_n), std::invalid_argument);
}

// The harness itself must catch a wrong mapping, or the tests above prove nothing.
TEST(ColumnMajorCall, ReferenceRejectsWrongMappings) {
  const GemmShape s{2, 3, 4, 5};
  std::mt19937_64 rng(7);
  const Matrix a = random_matrix(static_cast<std::size_t>(s.batch * s.m * s.n), rng);
  const Matrix b = random_matrix(static_cast<std::size_t>(s.batch * s.n * s.k), rng);
  const Matrix expected = row_major_bmm(s, a, b);

  const ColumnMajorCall right = column_major_call(s, BStorage::n_by_k);
  EXPECT_TRUE(computes_bmm(right, s, a, b, expected));

  // B read as if stored k x n: in bounds, wrong values.
  EXPECT_FALSE(computes_bmm(column_major_call(s, BStorage::k_by_n), s, a, b, expected));

  ColumnMajorCall swapped_strides = right;  // reads past the end of our A
  std::swap(swapped_strides.a.stride, swapped_strides.b.stride);
  EXPECT_FALSE(computes_bmm(swapped_strides, s, a, b, expected));

  ColumnMajorCall wrong_ld = right;  // ld n instead of k: in bounds, wrong values
  wrong_ld.a.ld = s.n;
  EXPECT_FALSE(computes_bmm(wrong_ld, s, a, b, expected));

  // The square case, where swapping the operands still fits every dimension: C = A B, not B A.
  const GemmShape q{1, 4, 4, 4};
  const Matrix qa = random_matrix(16, rng), qb = random_matrix(16, rng);
  const Matrix q_expected = row_major_bmm(q, qa, qb);
  ColumnMajorCall swapped = column_major_call(q, BStorage::n_by_k);
  EXPECT_TRUE(computes_bmm(swapped, q, qa, qb, q_expected));
  std::swap(swapped.a.buffer, swapped.b.buffer);
  EXPECT_FALSE(computes_bmm(swapped, q, qa, qb, q_expected));
}

}  // namespace
}  // namespace gs
