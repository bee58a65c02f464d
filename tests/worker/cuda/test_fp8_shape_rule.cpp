// The fp8 shape rule the cuda backend applies before asking cuBLASLt for a kernel. No GPU needed.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "worker/cuda/fp8_shape_rule.hpp"

namespace gs {
namespace {

TEST(Fp8ShapeRule, AcceptsShapesMeetingTheRule) {
  EXPECT_FALSE(fp8_shape_unsupported(GemmShape{1, 8, 16, 16}));
  EXPECT_FALSE(fp8_shape_unsupported(GemmShape{4, 512, 256, 512}));
  EXPECT_FALSE(fp8_shape_unsupported(GemmShape{3, 96, 80, 112}));
  // m is only held to 8: 24 x 48 e4m3 bytes still gives 16-byte aligned batches of A.
  EXPECT_FALSE(fp8_shape_unsupported(GemmShape{7, 24, 48, 32}));
}

TEST(Fp8ShapeRule, SkipsEachDimensionOffTheRuleWithTheRuleAsReason) {
  for (const GemmShape& s : {GemmShape{1, 64, 24, 64}, GemmShape{1, 64, 64, 40},
                             GemmShape{2, 12, 64, 64}, GemmShape{1, 1, 1, 1}}) {
    SCOPED_TRACE("m=" + std::to_string(s.m) + " n=" + std::to_string(s.n) +
                 " k=" + std::to_string(s.k));
    const auto reason = fp8_shape_unsupported(s);
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("n and k multiples of 16 and m a multiple of 8"), std::string::npos)
        << *reason;
    EXPECT_NE(reason->find("m=" + std::to_string(s.m)), std::string::npos) << *reason;
  }
}

TEST(Fp8ShapeRule, BatchCountDoesNotChangeTheDecision) {
  // Batches past the first start at i * stride: the rule keeps every stride 16-byte aligned.
  for (std::int64_t batch : {1, 2, 3, 1000}) {
    EXPECT_FALSE(fp8_shape_unsupported(GemmShape{batch, 8, 16, 16})) << batch;
    EXPECT_TRUE(fp8_shape_unsupported(GemmShape{batch, 8, 8, 16})) << batch;
  }
}

}  // namespace
}  // namespace gs
