#include "worker/cuda/result_check.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace gs {

namespace {

// The unit roundoff of a format with `mantissa_bits` explicit mantissa bits: 2^-(bits + 1).
constexpr double unit_roundoff(int mantissa_bits) {
  double u = 0.5;
  for (int i = 0; i < mantissa_bits; ++i) u /= 2;
  return u;
}

// Rounding errors a correct kernel may stack on one element, in units of the roundoff.
constexpr double kRoundings = 8;

}  // namespace

double tolerance(DType dtype) {
  switch (dtype) {
    case DType::fp16:
      return kRoundings * unit_roundoff(10);  // output rounded to fp16's 10 bits
    case DType::bf16:
      return kRoundings * unit_roundoff(7);  // output rounded to bf16's 7 bits
    case DType::fp8:
      // e4m3's 3 bits cost nothing here: the inputs are made on the e4m3 grid and the reference
      // reads those very values; what remains is the bf16 output's rounding.
      return kRoundings * unit_roundoff(7);
    case DType::tf32:
      // fp32 inputs rounded to tf32's 10 bits inside the kernel, which the reference does not
      // see: 2 u(10) per product, and fp32 output.
      return kRoundings * 2 * unit_roundoff(10);
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
