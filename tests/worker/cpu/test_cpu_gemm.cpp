#include <gtest/gtest.h>

#include <cmath>
#include <variant>
#include <vector>

#include "jobs/op_shape.hpp"
#include "worker/cpu/cpu_gemm.hpp"

namespace gs {
namespace {

// The definition, one element at a time, in long double: op(A)(i, r) is A[i][r], or A[r][i]
// when A is stored transposed ([n][m]); op(B)(r, j) is B[r][j], or B[j][r] stored [k][n].
template <typename T>
std::vector<T> naive_batched_gemm(const GemmShape& s, const std::vector<T>& a,
                                  const std::vector<T>& b) {
  std::vector<T> c(c_elements(s));
  for (std::int64_t p = 0; p < s.batch; ++p)
    for (std::int64_t i = 0; i < s.m; ++i)
      for (std::int64_t j = 0; j < s.k; ++j) {
        long double sum = 0;
        for (std::int64_t r = 0; r < s.n; ++r) {
          const std::int64_t a_at =
              s.a_transposed ? (p * s.n + r) * s.m + i : (p * s.m + i) * s.n + r;
          const std::int64_t b_at =
              s.b_transposed ? (p * s.k + j) * s.n + r : (p * s.n + r) * s.k + j;
          sum += static_cast<long double>(a[static_cast<std::size_t>(a_at)]) *
                 b[static_cast<std::size_t>(b_at)];
        }
        c[static_cast<std::size_t>((p * s.m + i) * s.k + j)] = static_cast<T>(sum);
      }
  return c;
}

// A small model point whose dims all differ, so that a swapped m / n / k or leading dimension
// cannot go unnoticed: b 2, s 12, heads 4, head_dim 6, h 24, t 2, vocab 10. kAllOps holds the
// backward products too, so each transposed layout is checked here.
Point small_point() {
  Point p;
  p.microbatch = 2;
  p.seq_length = 12;
  p.heads = 4;
  p.head_dim = 6;
  p.hidden_size = 24;
  p.tensor_parallel = 2;
  p.vocab_size = 10;
  p.raw = GemmShape{3, 5, 7, 9};
  return p;
}

template <typename T>
void expect_matches_reference(Op op, double tolerance) {
  const auto shape_or_reason = gemm_shape_for(op, small_point());
  ASSERT_TRUE(std::holds_alternative<GemmShape>(shape_or_reason)) << to_string(op);
  const GemmShape s = std::get<GemmShape>(shape_or_reason);
  std::vector<T> a(a_elements(s)), b(b_elements(s)), c(c_elements(s), T(0));
  fill_random(std::span<T>(a), 1 + static_cast<std::uint64_t>(op));
  fill_random(std::span<T>(b), 100 + static_cast<std::uint64_t>(op));
  cpu_batched_gemm(s, a.data(), b.data(), c.data());
  const std::vector<T> expected = naive_batched_gemm(s, a, b);
  for (std::size_t i = 0; i < c.size(); ++i)
    ASSERT_NEAR(c[i], expected[i], tolerance * static_cast<double>(s.n))
        << to_string(op) << " element " << i << " of " << s.batch << "x" << s.m << "x" << s.n << "x"
        << s.k;
}

class CpuGemmPerOp : public ::testing::TestWithParam<Op> {};

TEST_P(CpuGemmPerOp, Fp32MatchesNaiveReference) {
  expect_matches_reference<float>(GetParam(), 1e-6);
}
TEST_P(CpuGemmPerOp, Fp64MatchesNaiveReference) {
  expect_matches_reference<double>(GetParam(), 1e-14);
}

std::string op_name(const ::testing::TestParamInfo<Op>& param) {
  return std::string(to_string(param.param));
}

INSTANTIATE_TEST_SUITE_P(EveryOp, CpuGemmPerOp, ::testing::ValuesIn(kAllOps), op_name);

TEST(CpuGemm, BackwardOpsReadATransposedOperand) {
  // Every backward op but dQ has a transposed operand; a kernel that ignored the flag would
  // still pass a square case, so the point's dims all differ (see small_point).
  int transposed = 0;
  for (Op op : kAllOps) {
    const auto shape = gemm_shape_for(op, small_point());
    if (const auto* s = std::get_if<GemmShape>(&shape))
      transposed += int{s->a_transposed} + int{s->b_transposed};
  }
  EXPECT_EQ(transposed, 13);
}

TEST(CpuGemm, BatchEntriesAreIndependent) {
  // Batch 2 where the second A is the first A negated: the second C must be the first negated.
  const GemmShape s{2, 3, 4, 5};
  std::vector<float> a(a_elements(s)), b(b_elements(s)), c(c_elements(s));
  fill_random(std::span<float>(a).first(12), 7);
  for (std::size_t i = 0; i < 12; ++i) a[12 + i] = -a[i];
  fill_random(std::span<float>(b).first(20), 8);
  for (std::size_t i = 0; i < 20; ++i) b[20 + i] = b[i];
  cpu_batched_gemm(s, a.data(), b.data(), c.data());
  for (std::size_t i = 0; i < 15; ++i) EXPECT_FLOAT_EQ(c[15 + i], -c[i]);
}

TEST(FillRandom, NeverZeroBoundedAndReproducible) {
  std::vector<float> x(100000), y(100000);
  fill_random(std::span<float>(x), 42);
  fill_random(std::span<float>(y), 42);
  EXPECT_EQ(x, y);
  int negative = 0;
  for (float v : x) {
    ASSERT_GE(std::fabs(v), 0.5f);
    ASSERT_LT(std::fabs(v), 1.0f + 1e-7f);
    negative += v < 0;
  }
  EXPECT_NEAR(negative, 50000, 1000);
  fill_random(std::span<float>(y), 43);
  EXPECT_NE(x, y);
}

}  // namespace
}  // namespace gs
