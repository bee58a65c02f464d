#pragma once
#include <cstdint>

#include "jobs/dtype.hpp"
#include "jobs/saturating_math.hpp"

namespace gs {

// C[batch][m][k] = A[batch][m][n] * B[batch][n][k], row-major as torch.bmm lays it out.
// n is the reduction dimension, as the cookbook writes it (DESIGN.md section 1).
struct GemmShape {
  std::int64_t batch = 1;
  std::int64_t m = 0;
  std::int64_t n = 0;
  std::int64_t k = 0;

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
