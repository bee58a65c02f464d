#include "advise/layer_products.hpp"

#include "jobs/op_shape.hpp"

namespace gs {

std::vector<Op> backward_ops(Op forward) {
  switch (forward) {
    case Op::qkv_transform:
      return {Op::qkv_transform_grad_input, Op::qkv_transform_grad_weight};
    case Op::attention_score:
      return {Op::attention_score_grad_query, Op::attention_score_grad_key};
    case Op::attention_over_value:
      return {Op::attention_over_value_grad_probs, Op::attention_over_value_grad_value};
    case Op::attention_linear_projection:
      return {Op::attention_projection_grad_input, Op::attention_projection_grad_weight};
    case Op::mlp_h_to_4h:
      return {Op::mlp_h_to_4h_grad_input, Op::mlp_h_to_4h_grad_weight};
    case Op::mlp_4h_to_h:
      return {Op::mlp_4h_to_h_grad_input, Op::mlp_4h_to_h_grad_weight};
    case Op::logit_vocab_parallel:
      return {Op::logit_vocab_parallel_grad_input, Op::logit_vocab_parallel_grad_weight};
    default:
      return {};
  }
}

std::variant<std::vector<LayerProduct>, std::string> layer_products(const Candidate& c,
                                                                    const AdviseSpec& spec,
                                                                    bool backward) {
  const Point p = point_of(c);
  Point up = p;  // the MLP's first product: twice as wide when SwiGLU's gate and up are fused
  int up_count = 1;
  if (spec.mlp == MlpKind::swiglu) {
    if (spec.fused_gate_up)
      up.ffn_hidden_size = 2 * c.ffn_hidden_size;
    else
      up_count = 2;
  }
  struct Forward {
    Op op;
    const Point* point;
    int count;
    bool per_layer;
  };
  const Forward forwards[] = {
      {Op::qkv_transform, &p, 1, true},         {Op::attention_score, &p, 1, true},
      {Op::attention_over_value, &p, 1, true},  {Op::attention_linear_projection, &p, 1, true},
      {Op::mlp_h_to_4h, &up, up_count, true},   {Op::mlp_4h_to_h, &p, 1, true},
      {Op::logit_vocab_parallel, &p, 1, false},
  };
  std::vector<LayerProduct> products;
  products.reserve(21);
  for (const Forward& f : forwards) {
    std::vector<Op> ops{f.op};
    if (backward)
      for (Op op : backward_ops(f.op)) ops.push_back(op);
    for (Op op : ops) {
      auto shape = gemm_shape_for(op, *f.point);
      if (auto* why = std::get_if<std::string>(&shape)) return std::move(*why);
      const bool back = is_backward(op);
      const ProductScope scope =
          f.per_layer ? (back ? ProductScope::layer_backward : ProductScope::layer_forward)
                      : (back ? ProductScope::model_backward : ProductScope::model_forward);
      products.push_back({op, *f.point, std::get<GemmShape>(shape), f.count, scope});
    }
  }
  return products;
}

}  // namespace gs
