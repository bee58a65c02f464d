// The one splitmix64 (host and device) and the one bf16 rounding (worker/cuda and worker/comm).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "worker/bf16_bits.hpp"
#include "worker/splitmix64.hpp"

namespace gs {
namespace {

TEST(Splitmix64, MatchesTheReferenceStream) {
  // Vigna's splitmix64.c seeded with 0 (http://prng.di.unimi.it/splitmix64.c).
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64_next(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64_next(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(state, 2 * kSplitmix64Gamma);
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafULL) << "the hash is the stream's first value";
  static_assert(splitmix64(1) != splitmix64(0), "constexpr, for the device side too");
}

TEST(Bf16Bits, RoundsToNearestEvenAndKeepsNan) {
  EXPECT_EQ(bf16_bits_from_float(1.0f), 0x3f80);
  EXPECT_EQ(bf16_bits_from_float(std::bit_cast<float>(0x3f808000u)), 0x3f80) << "tie to even";
  EXPECT_EQ(bf16_bits_from_float(std::bit_cast<float>(0x3f818000u)), 0x3f82) << "tie to even";
  EXPECT_EQ(bf16_bits_from_float(std::bit_cast<float>(0x3f808001u)), 0x3f81);
  EXPECT_EQ(bf16_bits_from_float(std::numeric_limits<float>::quiet_NaN()), 0x7fc0);
  EXPECT_EQ(bf16_bits_from_float(std::numeric_limits<float>::infinity()), 0x7f80);
  EXPECT_EQ(float_from_bf16_bits(0xc0a0), -5.0f);
  EXPECT_TRUE(std::isnan(float_from_bf16_bits(bf16_bits_from_float(std::nanf("")))));
}

}  // namespace
}  // namespace gs
