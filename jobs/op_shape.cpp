#include "jobs/op_shape.hpp"

#include <fmt/format.h>

namespace gs {
namespace {

std::string not_divisible(const Point& p, std::int64_t value, const char* what) {
  return fmt::format("tensor_parallel {} does not divide {} {}", p.tensor_parallel, what, value);
}

// The three products of a linear layer Y[rows][in] -> [rows][out] with Y = X·W, W stored
// [in][out]: forward X·W, input gradient dX = dY·Wᵀ (W read transposed) and weight gradient
// dW = Xᵀ·dY (X read transposed), whose reduction runs over all `rows` = b·s tokens.
GemmShape linear(Op op, std::int64_t rows, std::int64_t in, std::int64_t out) {
  if (op == forward_of(op)) return GemmShape{1, rows, in, out};
  const std::string_view name = to_string(op);
  if (name.ends_with("_grad_input")) return GemmShape{1, rows, out, in, false, true};
  return GemmShape{1, in, rows, out, true, false};
}

}  // namespace

std::variant<GemmShape, std::string> gemm_shape_for(Op op, const Point& p) {
  if (is_raw(op)) return p.raw;
  if (is_backward(op) && p.dtype == DType::fp8)
    return std::string("fp8 backward products are out of scope (fp8 runs forward GEMMs only)");
  const std::int64_t b = p.microbatch, s = p.seq_length, h = p.hidden_size, a = p.heads,
                     d = p.head_dim, t = p.tensor_parallel, f = p.ffn_width();
  const std::int64_t bs = b * s;
  const char* ffn_name = p.ffn_hidden_size > 0 ? "ffn_hidden_size" : "4*hidden_size";
  switch (forward_of(op)) {
    case Op::attention_score:
      if (a % t) return not_divisible(p, a, "heads");
      if (op == Op::attention_score_grad_query) return GemmShape{b * a / t, s, s, d};
      if (op == Op::attention_score_grad_key) return GemmShape{b * a / t, s, s, d, true, false};
      return GemmShape{b * a / t, s, d, s};
    case Op::attention_over_value:
      if (a % t) return not_divisible(p, a, "heads");
      if (op == Op::attention_over_value_grad_probs)
        return GemmShape{b * a / t, s, d, s, false, true};
      if (op == Op::attention_over_value_grad_value)
        return GemmShape{b * a / t, s, s, d, true, false};
      return GemmShape{b * a / t, s, s, d};
    case Op::qkv_transform:
      if ((3 * h) % t) return not_divisible(p, 3 * h, "3*hidden_size");
      return linear(op, bs, h, 3 * h / t);
    case Op::attention_linear_projection:
      if (h % t) return not_divisible(p, h, "hidden_size");
      return linear(op, bs, h / t, h);
    case Op::mlp_h_to_4h:
      if (f % t) return not_divisible(p, f, ffn_name);
      return linear(op, bs, h, f / t);
    case Op::mlp_4h_to_h:
      if (f % t) return not_divisible(p, f, ffn_name);
      return linear(op, bs, f / t, h);
    case Op::logit:
      if (p.vocab_size <= 0) return std::string("logit needs model.vocab_size");
      return GemmShape{1, bs, h, p.vocab_size};
    case Op::logit_vocab_parallel:
      if (p.vocab_size <= 0) return std::string("logit_vocab_parallel needs model.vocab_size");
      if (p.vocab_size % t) return not_divisible(p, p.vocab_size, "vocab_size");
      return linear(op, bs, h, p.vocab_size / t);
    case Op::all_reduce:
    case Op::all_gather:
    case Op::reduce_scatter:
    case Op::broadcast:
    case Op::all_to_all:
      return GemmShape{0, 0, 0, 0};  // no GEMM: collective_skip_reason() judges these
    default:
      break;
  }
  return p.raw;
}

OperandLayout operand_layout(Op op) {
  // Any point whose products all form: the layout is the op's, not the point's.
  Point p;
  p.hidden_size = p.heads = p.head_dim = p.microbatch = p.seq_length = p.vocab_size = 8;
  p.tensor_parallel = 1;
  const auto shape = gemm_shape_for(op, p);
  if (const auto* s = std::get_if<GemmShape>(&shape)) return {s->a_transposed, s->b_transposed};
  return {};
}

}  // namespace gs
