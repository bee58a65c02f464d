#pragma once
#include <cstdint>

#include "jobs/dtype.hpp"
#include "jobs/saturating_math.hpp"

namespace gs {

// C[batch][m][k] = op(A)[batch][m][n] * op(B)[batch][n][k], row-major as torch.bmm lays it out.
// n is the reduction dimension, as the cookbook writes it (DESIGN.md section 1). A transposed
// operand is stored the other way round, A as [batch][n][m] or B as [batch][k][n], as torch
// hands a backward product X.t() or W.t() (a view, not a copy): the backward ops need it, and
// the kernel reads such an operand with other strides, so it is part of what is measured.
struct GemmShape {
  std::int64_t batch = 1;
  std::int64_t m = 0;
  std::int64_t n = 0;
  std::int64_t k = 0;
  bool a_transposed = false;
  bool b_transposed = false;

  double flops() const {
    return 2.0 * static_cast<double>(batch) * static_cast<double>(m) * static_cast<double>(n) *
           static_cast<double>(k);
  }
  // Device memory for A, B and C at this dtype.
  // Computed in floating point and clamped: absurd shapes must not wrap around to small needs.
  std::uint64_t bytes(DType d) const {
    const double b = static_cast<double>(batch), mm = static_cast<double>(m),
                 nn = static_cast<double>(n), kk = static_cast<double>(k);
    const double total = b * (mm * nn + nn * kk) * input_bytes(d) + b * mm * kk * output_bytes(d);
    return saturating_count(total);
  }
  bool operator==(const GemmShape&) const = default;
};

}  // namespace gs
