#pragma once
#include <bit>
#include <cmath>
#include <cstdint>

namespace gs {

// bf16 is the top half of an fp32: what the cuda backend's reference check and the collectives'
// element codec both read and write, without CUDA headers.

// Rounds to nearest even on the way down; NaN stays a (quiet) NaN instead of rounding to inf.
inline std::uint16_t bf16_bits_from_float(float value) {
  if (std::isnan(value)) return 0x7fc0;
  const auto bits = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t rounding = 0x7fffU + ((bits >> 16) & 1U);
  return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

inline float float_from_bf16_bits(std::uint16_t bits) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

}  // namespace gs
