#include "jobs/op.hpp"

namespace gs {

std::string_view to_string(Op op) {
  switch (op) {
    case Op::attention_score:
      return "attention_score";
    case Op::attention_over_value:
      return "attention_over_value";
    case Op::qkv_transform:
      return "qkv_transform";
    case Op::attention_linear_projection:
      return "attention_linear_projection";
    case Op::mlp_h_to_4h:
      return "mlp_h_to_4h";
    case Op::mlp_4h_to_h:
      return "mlp_4h_to_h";
    case Op::logit:
      return "logit";
    case Op::gemm:
      return "gemm";
    case Op::bmm:
      return "bmm";
  }
  return "?";
}

std::optional<Op> parse_op(std::string_view s) {
  for (Op op : kAllOps)
    if (to_string(op) == s) return op;
  return std::nullopt;
}

bool is_raw(Op op) { return op == Op::gemm || op == Op::bmm; }

bool is_batched_attention(Op op) {
  return op == Op::attention_score || op == Op::attention_over_value;
}

}  // namespace gs
