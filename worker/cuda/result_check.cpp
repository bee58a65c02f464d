#include "worker/cuda/result_check.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace gs {

double tolerance(DType dtype) {
  switch (dtype) {
    case DType::fp16:
      return 4e-3;  // 8 ulps of fp16 output (2^-11)
    case DType::bf16:
    case DType::fp8:  // fp8 products are written in bf16
      return 3e-2;    // 8 ulps of bf16 output (2^-8)
    case DType::tf32:
      return 8e-3;  // inputs rounded (or truncated) to 10 mantissa bits: 2^-10 per product
    case DType::fp32:
    case DType::fp64:
      break;
  }
  return 1e-5;
}

double allowed_error(DType dtype, double reference, double l2_terms, double l1_terms,
                     std::int64_t n) {
  return tolerance(dtype) * (std::fabs(reference) + l2_terms) +
         std::sqrt(static_cast<double>(n)) * std::ldexp(1.0, -24) * l1_terms + 1e-30;
}

CheckOutcome check_products(const std::vector<SampledProduct>& samples, DType dtype) {
  CheckOutcome outcome;
  for (const SampledProduct& s : samples) {
    double reference = 0, l1 = 0, l2 = 0;
    const std::size_t n = s.a_row.size();
    for (std::size_t r = 0; r < n; ++r) {
      const double term = s.a_row[r] * s.b_col[r];
      reference += term;
      l1 += std::fabs(term);
      l2 += term * term;
    }
    l2 = std::sqrt(l2);
    const double allowed = allowed_error(dtype, reference, l2, l1, static_cast<std::int64_t>(n));
    const double error = std::fabs(s.device_value - reference);
    // A NaN or infinity from the device is the worst possible element, never a pass.
    const double ratio =
        std::isfinite(error) ? error / allowed : std::numeric_limits<double>::infinity();
    ++outcome.checked;
    if (outcome.checked == 1 || ratio > outcome.worst_ratio) {
      outcome.worst_ratio = ratio;
      outcome.detail = fmt::format(
          "C[{}][{}][{}] = {:.6g} but the float64 reference is {:.6g}: |error| {:.3g}, allowed "
          "{:.3g} ({} tolerance {:.2g}, n = {}, ||a.b||_2 = {:.4g})",
          s.b, s.i, s.j, s.device_value, reference, error, allowed, to_string(dtype),
          tolerance(dtype), n, l2);
    }
  }
  outcome.ok = outcome.worst_ratio <= 1.0;
  return outcome;
}

namespace {

int alignment_class(std::int64_t dim) {
  for (int a : {64, 16, 8})
    if (dim % a == 0) return a;
  return 1;
}

}  // namespace

std::string shape_class(Op op, DType dtype, const GemmShape& shape) {
  return fmt::format("{}/{}/m{}.n{}.k{}", to_string(op), to_string(dtype), alignment_class(shape.m),
                     alignment_class(shape.n), alignment_class(shape.k));
}

}  // namespace gs
