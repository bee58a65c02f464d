#pragma once
#include <cstdint>
#include <limits>

namespace gs {

// Sizes and costs of absurd shapes (a job file may ask for seq_length = 2^24 and microbatch =
// 2^24) must stay absurdly large, never wrap around to small or negative values: every product
// of shape dimensions, tile counts and byte counts saturates at the type's largest value.
inline std::int64_t saturating_mul(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (!__builtin_mul_overflow(a, b, &out)) return out;
  return (a < 0) != (b < 0) ? std::numeric_limits<std::int64_t>::min()
                            : std::numeric_limits<std::int64_t>::max();
}

inline std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t out = 0;
  return __builtin_mul_overflow(a, b, &out) ? std::numeric_limits<std::uint64_t>::max() : out;
}

inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t out = 0;
  return __builtin_add_overflow(a, b, &out) ? std::numeric_limits<std::uint64_t>::max() : out;
}

// A non-negative double as a byte count: values past the 64-bit range read as its largest value.
inline std::uint64_t saturating_count(double value) {
  if (!(value > 0)) return 0;
  return value >= 18446744073709551615.0 ? std::numeric_limits<std::uint64_t>::max()
                                         : static_cast<std::uint64_t>(value);
}

}  // namespace gs
