#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "jobs/op.hpp"

namespace gs {

// One sampled output element C[b][i][j] with what the host needs to recompute it: row i of A[b]
// and column j of B[b] (n values each), decoded to double, and the value the device wrote.
struct SampledProduct {
  std::int64_t b = 0, i = 0, j = 0;
  std::vector<double> a_row;
  std::vector<double> b_col;
  double device_value = 0;
};

struct CheckOutcome {
  bool ok = true;
  int checked = 0;
  double worst_ratio = 0;  // max |device - reference| / allowed_error; ok when <= 1
  std::string detail;      // the worst element, for the failure message
};

// The error a correct kernel may make on one element, from the terms t_r = a_r b_r of its dot
// product and their float64 sum `reference`:
//   tolerance(dtype) * (|reference| + ||t||_2)  +  sqrt(n) 2^-24 ||t||_1.
// The first part covers rounding of the output (and, for fp16 / bf16, reduced-precision split-K
// partials, which cuBLAS may use as torch allows by default) and tf32's input rounding; these
// scale with |C| or, for random signs, with ||t||_2. The second is fp32 accumulation, whose
// typical error is about 2^-24 sqrt(n) ||t||_2 (and ||t||_1 >= ||t||_2). A wrong element (a
// transposed or mis-strided operand) is off by about ||t||_2 itself: over 20 times the first part
// for bf16, far more for the others. A bound relative to ||t||_1 alone would not do: it grows
// like n while a wrong answer grows like sqrt(n).
double tolerance(DType dtype);
double allowed_error(DType dtype, double reference, double l2_terms, double l1_terms,
                     std::int64_t n);

// Compares every sample against a float64 dot product.
CheckOutcome check_products(const std::vector<SampledProduct>& samples, DType dtype);

// The class a shape is checked once for: op, dtype, and for each of m, n, k the largest of
// 64, 16, 8 dividing it (1 otherwise); e.g. "attention_score/fp16/m64.n8.k64".
std::string shape_class(Op op, DType dtype, const GemmShape& shape);

}  // namespace gs
