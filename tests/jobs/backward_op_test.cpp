// The backward products' shapes, operand layouts and FLOPs (jobs/op_shape.cpp), hand-computed
// for b 4, s 2048, h 4096, a 32 (d 128), t 2, v 50304, ffn 4h.
#include <gtest/gtest.h>

#include "jobs/op_shape.hpp"

namespace gs {
namespace {

Point point() {
  Point p;
  p.microbatch = 4;
  p.seq_length = 2048;
  p.hidden_size = 4096;
  p.heads = 32;
  p.head_dim = 128;
  p.tensor_parallel = 2;
  p.vocab_size = 50304;
  return p;
}

GemmShape shape(Op op, const Point& p = point()) {
  auto r = gemm_shape_for(op, p);
  EXPECT_TRUE(std::holds_alternative<GemmShape>(r)) << to_string(op);
  return std::get<GemmShape>(r);
}

constexpr bool N = false, T = true;

TEST(BackwardOps, ShapesAndTransposedOperands) {
  // Linear Y[bs][in] = X·W[in][out]: dX = dY·Wᵀ (B transposed), dW = Xᵀ·dY (A transposed).
  EXPECT_EQ(shape(Op::qkv_transform_grad_input), (GemmShape{1, 8192, 6144, 4096, N, T}));
  EXPECT_EQ(shape(Op::qkv_transform_grad_weight), (GemmShape{1, 4096, 8192, 6144, T, N}));
  EXPECT_EQ(shape(Op::attention_projection_grad_input), (GemmShape{1, 8192, 4096, 2048, N, T}));
  EXPECT_EQ(shape(Op::attention_projection_grad_weight), (GemmShape{1, 2048, 8192, 4096, T, N}));
  EXPECT_EQ(shape(Op::mlp_h_to_4h_grad_input), (GemmShape{1, 8192, 8192, 4096, N, T}));
  EXPECT_EQ(shape(Op::mlp_h_to_4h_grad_weight), (GemmShape{1, 4096, 8192, 8192, T, N}));
  EXPECT_EQ(shape(Op::mlp_4h_to_h_grad_input), (GemmShape{1, 8192, 4096, 8192, N, T}));
  EXPECT_EQ(shape(Op::mlp_4h_to_h_grad_weight), (GemmShape{1, 8192, 8192, 4096, T, N}));
  // Attention, b·a/t = 64 heads per rank: dQ = dS·K, dK = dSᵀ·Q, dP = dO·Vᵀ, dV = Pᵀ·dO.
  EXPECT_EQ(shape(Op::attention_score_grad_query), (GemmShape{64, 2048, 2048, 128, N, N}));
  EXPECT_EQ(shape(Op::attention_score_grad_key), (GemmShape{64, 2048, 2048, 128, T, N}));
  EXPECT_EQ(shape(Op::attention_over_value_grad_probs), (GemmShape{64, 2048, 128, 2048, N, T}));
  EXPECT_EQ(shape(Op::attention_over_value_grad_value), (GemmShape{64, 2048, 2048, 128, T, N}));
  // The vocabulary-parallel logit: v / t per rank; the plain logit keeps the whole vocabulary.
  EXPECT_EQ(shape(Op::logit_vocab_parallel), (GemmShape{1, 8192, 4096, 25152}));
  EXPECT_EQ(shape(Op::logit), (GemmShape{1, 8192, 4096, 50304}));
  EXPECT_EQ(shape(Op::logit_vocab_parallel_grad_weight), (GemmShape{1, 4096, 8192, 25152, T, N}));
}

TEST(BackwardOps, EachHasItsForwardProductsFlops) {
  for (Op op : kAllOps) {
    if (!is_backward(op)) continue;
    EXPECT_DOUBLE_EQ(shape(op).flops(), shape(forward_of(op)).flops()) << to_string(op);
    EXPECT_NE(forward_of(op), op);
  }
}

TEST(BackwardOps, LayoutIsTheOps) {
  for (Op op : kAllOps) {
    const GemmShape s = shape(op, point());
    const OperandLayout layout = operand_layout(op);
    EXPECT_EQ(layout.a_transposed, s.a_transposed) << to_string(op);
    EXPECT_EQ(layout.b_transposed, s.b_transposed) << to_string(op);
  }
}

TEST(BackwardOps, Fp8BackwardIsOutOfScopeAndVocabularyMustSplit) {
  Point p = point();
  p.dtype = DType::fp8;
  EXPECT_TRUE(std::holds_alternative<std::string>(gemm_shape_for(Op::qkv_transform_grad_input, p)));
  EXPECT_TRUE(std::holds_alternative<GemmShape>(gemm_shape_for(Op::qkv_transform, p)));
  Point odd = point();
  odd.vocab_size = 50257;
  EXPECT_EQ(std::get<std::string>(gemm_shape_for(Op::logit_vocab_parallel, odd)),
            "tensor_parallel 2 does not divide vocab_size 50257");
}

TEST(BackwardOps, FfnWidthReplacesFourH) {
  Point p = point();
  p.ffn_hidden_size = 11008;
  EXPECT_EQ(shape(Op::mlp_h_to_4h, p), (GemmShape{1, 8192, 4096, 5504}));
  EXPECT_EQ(shape(Op::mlp_4h_to_h_grad_weight, p), (GemmShape{1, 5504, 8192, 4096, T, N}));
}

// Results files store op names in a 32-byte field: a longer name would be cut and not read back.
TEST(BackwardOps, EveryOpNameFitsTheResultsColumn) {
  for (Op op : kAllOps) EXPECT_LE(to_string(op).size(), 32u) << to_string(op);
}

}  // namespace
}  // namespace gs
