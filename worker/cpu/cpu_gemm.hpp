#pragma once
#include <cstdint>
#include <span>

#include "jobs/gemm_shape.hpp"

namespace gs {

// C[batch][m][k] = op(A)[batch][m][n] * op(B)[batch][n][k], row-major and contiguous, n the
// reduction, A or B stored transposed where the shape says so (jobs/gemm_shape.hpp): one
// cblas_?gemm per batch entry. This is the cpu backend's timed kernel,
// exposed so that tests check it against a naive reference.
void cpu_batched_gemm(const GemmShape& shape, const float* a, const float* b, float* c);
void cpu_batched_gemm(const GemmShape& shape, const double* a, const double* b, double* c);

// Element counts of the three operands.
std::uint64_t a_elements(const GemmShape& s);
std::uint64_t b_elements(const GemmShape& s);
std::uint64_t c_elements(const GemmShape& s);

// Fills with reproducible pseudo-random values of magnitude in [0.5, 1) and random sign: never
// zero (a zero operand lets hardware and libraries take shortcuts) and no overflow in long sums.
void fill_random(std::span<float> values, std::uint64_t seed);
void fill_random(std::span<double> values, std::uint64_t seed);

}  // namespace gs
