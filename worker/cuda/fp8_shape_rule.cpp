#include "worker/cuda/fp8_shape_rule.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <initializer_list>

#include "jobs/dtype.hpp"
#include "worker/cuda/lt_matmul.hpp"

namespace gs {

std::optional<std::string> fp8_shape_unsupported(const GemmShape& s) {
  if (s.n % 16 != 0 || s.k % 16 != 0 || s.m % 8 != 0)
    return fmt::format(
        "fp8 kernels need n and k multiples of 16 and m a multiple of 8 (m={}, n={}, k={})", s.m,
        s.n, s.k);
  // With e4m3 inputs and bf16 output the rule above already makes every batch stride a multiple
  // of 16 bytes; checked on its own so that a change of storage cannot break it unnoticed.
  const auto in = static_cast<std::size_t>(input_bytes(DType::fp8));
  const auto out = static_cast<std::size_t>(output_bytes(DType::fp8));
  const auto stride_a = static_cast<std::size_t>(s.m * s.n) * in;
  const auto stride_b = static_cast<std::size_t>(s.n * s.k) * in;
  const auto stride_c = static_cast<std::size_t>(s.m * s.k) * out;
  for (const std::size_t stride : {stride_a, stride_b, stride_c})
    if (batch_alignment(s.batch, stride) < 16)
      return fmt::format(
          "fp8 kernels need every batch's matrices 16-byte aligned (batch={}, strides of A, B, C: "
          "{}, {}, {} bytes)",
          s.batch, stride_a, stride_b, stride_c);
  return std::nullopt;
}

}  // namespace gs
