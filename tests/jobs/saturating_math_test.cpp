#include "jobs/saturating_math.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "jobs/gemm_shape.hpp"

namespace gs {
namespace {

constexpr auto kMaxSigned = std::numeric_limits<std::int64_t>::max();
constexpr auto kMaxUnsigned = std::numeric_limits<std::uint64_t>::max();

TEST(SaturatingMath, ProductsAndSumsStopAtTheLargestValueInsteadOfWrapping) {
  EXPECT_EQ(saturating_mul(std::int64_t{1} << 40, std::int64_t{1} << 30), kMaxSigned);
  EXPECT_EQ(saturating_mul(-(std::int64_t{1} << 40), std::int64_t{1} << 30),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(saturating_mul(std::int64_t{3}, std::int64_t{7}), 21);
  EXPECT_EQ(saturating_mul(std::uint64_t{1} << 40, std::uint64_t{1} << 30), kMaxUnsigned);
  EXPECT_EQ(saturating_add(kMaxUnsigned - 1, std::uint64_t{5}), kMaxUnsigned);
  EXPECT_EQ(saturating_add(std::uint64_t{2}, std::uint64_t{5}), 7u);
}

TEST(SaturatingMath, ByteCountsOfDoublesAreClampedAtBothEnds) {
  EXPECT_EQ(saturating_count(-1.0), 0u);
  EXPECT_EQ(saturating_count(std::numeric_limits<double>::quiet_NaN()), 0u);
  EXPECT_EQ(saturating_count(1e30), kMaxUnsigned);
  EXPECT_EQ(saturating_count(4096.0), 4096u);
}

// The shape: seq_length = microbatch = 2^24 at 32 heads.
TEST(SaturatingMath, AHugeShapeNeedsTheLargestByteCount) {
  const GemmShape shape{std::int64_t{1} << 29, std::int64_t{1} << 24, 1, std::int64_t{1} << 24};
  EXPECT_EQ(shape.bytes(DType::fp16), kMaxUnsigned);
}

}  // namespace
}  // namespace gs
