// Parameter counts, FLOPs per token and training memory against hand-computed cases.
#include "advise/model_counts.hpp"

#include <gtest/gtest.h>

#include "advise/layer_products.hpp"
#include "advise_test_support.hpp"

namespace gs {
namespace {

Candidate gpt3_2p7b() {
  Candidate c;
  c.hidden_size = 2560;
  c.heads = 32;
  c.head_dim = 80;
  c.layers = 32;
  c.vocab_size = c.padded_vocab = 50257;
  c.ffn_hidden_size = 4 * 2560;
  c.microbatch = 4;
  c.seq_length = 2048;
  return c;
}

TEST(ModelCounts, Gpt3TwoPointSevenBillion) {
  // 32 * (4 * 2560^2 + 2 * 2560 * 10240) + 50257 * 2560, tied.
  const ParameterCount n = count_parameters(gpt3_2p7b(), AdviseSpec{});
  EXPECT_DOUBLE_EQ(n.layer, 78643200.0);
  EXPECT_DOUBLE_EQ(n.total, 2645240320.0);
  EXPECT_DOUBLE_EQ(n.flop_params, 2645240320.0);  // tied: the logit's matrix is the embedding
  // 6 * 2645240320 + 12 * 32 * 2560 * 2048
  EXPECT_DOUBLE_EQ(model_flops_per_token(gpt3_2p7b(), AdviseSpec{}), 17884707840.0);
}

TEST(ModelCounts, LlamaSevenBillionUntiedSwiglu) {
  Candidate c;
  c.hidden_size = 4096;
  c.heads = 32;
  c.head_dim = 128;
  c.layers = 32;
  c.vocab_size = c.padded_vocab = 32000;
  c.ffn_hidden_size = 11008;
  c.seq_length = 2048;
  AdviseSpec spec;
  spec.mlp = MlpKind::swiglu;
  spec.tied_embeddings = false;
  const ParameterCount n = count_parameters(c, spec);
  // 32 * (4 * 4096^2 + 3 * 4096 * 11008) + 2 * 32000 * 4096: Llama's 6.74B.
  EXPECT_DOUBLE_EQ(n.total, 6738149376.0);
  // The input embedding is a lookup: FLOPs count one v*h.
  EXPECT_DOUBLE_EQ(n.flop_params, 6738149376.0 - 32000.0 * 4096);
}

// The formula 6N + 12Lhs must equal the FLOPs of the GEMMs a step performs, per token and GPU
// group: a different route (the op shapes) to the same number.
TEST(ModelCounts, FlopsPerTokenEqualTheStepsGemms) {
  for (const auto& [mlp, fused, t] : {std::tuple{MlpKind::gelu, false, 1},
                                      {MlpKind::swiglu, false, 2},
                                      {MlpKind::swiglu, true, 4}}) {
    AdviseSpec spec;
    spec.mlp = mlp;
    spec.fused_gate_up = fused;
    Candidate c = test::tiny_candidate();
    c.heads = 4;
    c.head_dim = 32;
    c.tensor_parallel = t;
    c.ffn_hidden_size = mlp == MlpKind::swiglu ? 384 : 512;
    const auto products = std::get<std::vector<LayerProduct>>(layer_products(c, spec, true));
    double flops = 0;
    for (const LayerProduct& p : products) {
      const bool per_layer =
          p.scope == ProductScope::layer_forward || p.scope == ProductScope::layer_backward;
      flops += p.shape.flops() * p.count * (per_layer ? static_cast<double>(c.layers) : 1.0);
    }
    const double tokens = static_cast<double>(c.microbatch * c.seq_length);
    EXPECT_DOUBLE_EQ(flops * t / tokens, model_flops_per_token(c, spec))
        << to_string(mlp) << " fused " << fused << " t " << t;
  }
}

TEST(ModelCounts, TrainingMemory) {
  const Candidate c = gpt3_2p7b();
  AdviseSpec spec;
  const double sbh = 2048.0 * 4 * 2560;
  const double logits = 4.0 * 2048 * 4 * 50257;
  TrainingMemory m = training_memory(c, spec);
  EXPECT_DOUBLE_EQ(m.state_bytes, 16 * 2645240320.0);
  // 10 + 24 + 5 * a * s / h = 34 + 128 per layer, no recomputation.
  EXPECT_DOUBLE_EQ(m.activation_bytes, 32 * sbh * 162 + logits);
  spec.recompute = Recompute::selective;
  EXPECT_DOUBLE_EQ(training_memory(c, spec).activation_bytes, 32 * sbh * 34 + logits);
  spec.recompute = Recompute::full;
  EXPECT_DOUBLE_EQ(training_memory(c, spec).activation_bytes, 32 * sbh * 2 + logits);
  Candidate split = c;
  split.tensor_parallel = 2;
  EXPECT_DOUBLE_EQ(training_memory(split, spec).state_bytes, 8 * 2645240320.0);
}

}  // namespace
}  // namespace gs
