#pragma once
#include <string>
#include <variant>
#include <vector>

#include "advise/advise_spec.hpp"
#include "advise/candidate.hpp"
#include "jobs/gemm_shape.hpp"
#include "jobs/op.hpp"
#include "jobs/point.hpp"

namespace gs {

// Where a product's time goes: once per layer or once per model (the logit), forward or backward.
enum class ProductScope { layer_forward, layer_backward, model_forward, model_backward };

// One GEMM a training step of the candidate performs `count` times per layer (or per model).
struct LayerProduct {
  Op op = Op::qkv_transform;
  Point point;  // the point its shape comes from (a fused gate-and-up product: twice the ffn)
  GemmShape shape;
  int count = 1;
  ProductScope scope = ProductScope::layer_forward;
};

// The products of one layer and the logit (docs/advise.md): qkv, the two attention products, the
// projection, the MLP's two (GELU) or three (SwiGLU: gate and up separate, or one fused
// h -> 2·ffn) and, once per model, the vocabulary-parallel logit; with `backward`, each one's
// input- and weight-gradient products. Returns the first reason a product cannot be formed
// (tensor_parallel does not divide heads, ...) instead.
std::variant<std::vector<LayerProduct>, std::string> layer_products(const Candidate& c,
                                                                    const AdviseSpec& spec,
                                                                    bool backward);

// The backward ops of a forward op: input gradient then weight gradient (dQ then dK, dP then dV).
std::vector<Op> backward_ops(Op forward);

}  // namespace gs
