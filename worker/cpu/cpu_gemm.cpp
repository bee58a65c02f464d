#include "worker/cpu/cpu_gemm.hpp"

#include <cblas.h>

#include "worker/splitmix64.hpp"

namespace gs {
namespace {

// OpenBLAS's cblas takes blasint (32-bit here); the backend rejects larger dimensions first.
blasint as_blas(std::int64_t v) { return static_cast<blasint>(v); }

template <typename T>
void fill_random_impl(std::span<T> values, std::uint64_t seed) {
  std::uint64_t state = seed;
  for (T& v : values) {
    const std::uint64_t bits = splitmix64_next(state);
    const double unit = static_cast<double>(bits >> 11) * 0x1.0p-53;  // [0, 1)
    const double magnitude = 0.5 + 0.5 * unit;
    v = static_cast<T>((bits & 1) ? -magnitude : magnitude);
  }
}

}  // namespace

std::uint64_t a_elements(const GemmShape& s) {
  return static_cast<std::uint64_t>(s.batch) * static_cast<std::uint64_t>(s.m) *
         static_cast<std::uint64_t>(s.n);
}
std::uint64_t b_elements(const GemmShape& s) {
  return static_cast<std::uint64_t>(s.batch) * static_cast<std::uint64_t>(s.n) *
         static_cast<std::uint64_t>(s.k);
}
std::uint64_t c_elements(const GemmShape& s) {
  return static_cast<std::uint64_t>(s.batch) * static_cast<std::uint64_t>(s.m) *
         static_cast<std::uint64_t>(s.k);
}

namespace {

// One cblas call per batch entry; a transposed operand (stored [n][m] or [k][n]) is handed over
// as stored, with CblasTrans and its own leading dimension, as torch hands cuBLAS a .t() view.
template <typename T, typename Gemm>
void batched_gemm(const GemmShape& s, const T* a, const T* b, T* c, Gemm gemm) {
  const std::uint64_t a_step = a_elements(s) / static_cast<std::uint64_t>(s.batch);
  const std::uint64_t b_step = b_elements(s) / static_cast<std::uint64_t>(s.batch);
  const std::uint64_t c_step = c_elements(s) / static_cast<std::uint64_t>(s.batch);
  const CBLAS_TRANSPOSE trans_a = s.a_transposed ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE trans_b = s.b_transposed ? CblasTrans : CblasNoTrans;
  const blasint lda = as_blas(s.a_transposed ? s.m : s.n);
  const blasint ldb = as_blas(s.b_transposed ? s.n : s.k);
  for (std::int64_t i = 0; i < s.batch; ++i) {
    const auto u = static_cast<std::uint64_t>(i);
    gemm(CblasRowMajor, trans_a, trans_b, as_blas(s.m), as_blas(s.k), as_blas(s.n), T(1),
         a + u * a_step, lda, b + u * b_step, ldb, T(0), c + u * c_step, as_blas(s.k));
  }
}

}  // namespace

void cpu_batched_gemm(const GemmShape& s, const float* a, const float* b, float* c) {
  batched_gemm(s, a, b, c, cblas_sgemm);
}

void cpu_batched_gemm(const GemmShape& s, const double* a, const double* b, double* c) {
  batched_gemm(s, a, b, c, cblas_dgemm);
}

void fill_random(std::span<float> values, std::uint64_t seed) { fill_random_impl(values, seed); }
void fill_random(std::span<double> values, std::uint64_t seed) { fill_random_impl(values, seed); }

}  // namespace gs
