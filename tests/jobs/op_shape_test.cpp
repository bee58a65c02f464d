#include "jobs/op_shape.hpp"

#include <gtest/gtest.h>

namespace gs {
namespace {

Point layer(std::int64_t b, std::int64_t s, std::int64_t h, std::int64_t a, std::int64_t t,
            std::int64_t v = 0) {
  Point p;
  p.microbatch = b;
  p.seq_length = s;
  p.hidden_size = h;
  p.heads = a;
  p.head_dim = h / a;
  p.tensor_parallel = t;
  p.vocab_size = v;
  return p;
}

GemmShape shape(Op op, const Point& p) {
  auto r = gemm_shape_for(op, p);
  EXPECT_TRUE(std::holds_alternative<GemmShape>(r)) << to_string(op);
  return std::get<GemmShape>(r);
}

// Hand-computed against the table in DESIGN.md for b=4, s=2048, h=4096, a=32, t=2, v=50304.
TEST(OpShape, EveryTransformerOpMatchesTheTable) {
  const Point p = layer(4, 2048, 4096, 32, 2, 50304);
  EXPECT_EQ(shape(Op::attention_score, p), (GemmShape{64, 2048, 128, 2048}));
  EXPECT_EQ(shape(Op::attention_over_value, p), (GemmShape{64, 2048, 2048, 128}));
  EXPECT_EQ(shape(Op::qkv_transform, p), (GemmShape{1, 8192, 4096, 6144}));
  EXPECT_EQ(shape(Op::attention_linear_projection, p), (GemmShape{1, 8192, 2048, 4096}));
  EXPECT_EQ(shape(Op::mlp_h_to_4h, p), (GemmShape{1, 8192, 4096, 8192}));
  EXPECT_EQ(shape(Op::mlp_4h_to_h, p), (GemmShape{1, 8192, 8192, 4096}));
  EXPECT_EQ(shape(Op::logit, p), (GemmShape{1, 8192, 4096, 50304}));
}

TEST(OpShape, FlopsMatchTheClosedForms) {
  const double b = 4, s = 2048, h = 4096, t = 2, v = 50304;
  const Point p = layer(4, 2048, 4096, 32, 2, 50304);
  EXPECT_DOUBLE_EQ(shape(Op::attention_score, p).flops(), 2 * b * s * s * h / t);
  EXPECT_DOUBLE_EQ(shape(Op::attention_over_value, p).flops(), 2 * b * s * s * h / t);
  EXPECT_DOUBLE_EQ(shape(Op::qkv_transform, p).flops(), 6 * b * s * h * h / t);
  EXPECT_DOUBLE_EQ(shape(Op::attention_linear_projection, p).flops(), 2 * b * s * h * h / t);
  EXPECT_DOUBLE_EQ(shape(Op::mlp_h_to_4h, p).flops(), 8 * b * s * h * h / t);
  EXPECT_DOUBLE_EQ(shape(Op::mlp_4h_to_h, p).flops(), 8 * b * s * h * h / t);
  EXPECT_DOUBLE_EQ(shape(Op::logit, p).flops(), 2 * b * s * h * v);
  // The seed point d=64: 2 * 4 * 2048^2 * 2048 exactly.
  EXPECT_DOUBLE_EQ(shape(Op::attention_score, layer(4, 2048, 2048, 32, 1)).flops(), 68719476736.0);
}

TEST(OpShape, TensorParallelMustDivide) {
  const Point p = layer(1, 128, 1600, 25, 2);
  const auto r = gemm_shape_for(Op::attention_score, p);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_EQ(std::get<std::string>(r), "tensor_parallel 2 does not divide heads 25");
  // 3h = 4800 is divisible by 3, h = 1600 is not.
  const Point q = layer(1, 128, 1600, 25, 3);
  EXPECT_TRUE(std::holds_alternative<GemmShape>(gemm_shape_for(Op::qkv_transform, q)));
  EXPECT_EQ(std::get<std::string>(gemm_shape_for(Op::attention_linear_projection, q)),
            "tensor_parallel 3 does not divide hidden_size 1600");
}

TEST(OpShape, LogitNeedsVocab) {
  EXPECT_TRUE(std::holds_alternative<std::string>(
      gemm_shape_for(Op::logit, layer(1, 128, 1024, 16, 1, 0))));
}

TEST(GemmShape, BytesPerDtype) {
  const GemmShape g{128, 2048, 64, 2048};
  EXPECT_EQ(g.bytes(DType::fp16), 1140850688u);
  EXPECT_EQ(g.bytes(DType::fp32), 2u * 1140850688u);
  // fp8 inputs are one byte, the output two.
  EXPECT_EQ(g.bytes(DType::fp8), 128u * (2048u * 64u + 64u * 2048u) + 128u * 2048u * 2048u * 2u);
  const GemmShape huge{1 << 24, 1 << 24, 1 << 24, 1 << 24};
  EXPECT_EQ(huge.bytes(DType::fp64), UINT64_MAX);
}

TEST(DTypeAndOp, NamesRoundTrip) {
  for (DType d : kAllDTypes) EXPECT_EQ(parse_dtype(to_string(d)), d);
  for (Op op : kAllOps) EXPECT_EQ(parse_op(to_string(op)), op);
  EXPECT_FALSE(parse_op("attention"));
  EXPECT_FALSE(parse_dtype("int8"));
}

}  // namespace
}  // namespace gs
