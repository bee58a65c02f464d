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
    case Op::all_reduce:
      return "all_reduce";
    case Op::all_gather:
      return "all_gather";
    case Op::reduce_scatter:
      return "reduce_scatter";
    case Op::broadcast:
      return "broadcast";
    case Op::all_to_all:
      return "all_to_all";
  }
  return "?";
}

std::optional<Op> parse_op(std::string_view s) {
  for (Op op : kAllOps)
    if (to_string(op) == s) return op;
  for (Op op : kCollectiveOps)
    if (to_string(op) == s) return op;
  return std::nullopt;
}

bool is_raw(Op op) { return op == Op::gemm || op == Op::bmm; }

bool is_batched_attention(Op op) {
  return op == Op::attention_score || op == Op::attention_over_value;
}

bool is_collective(Op op) { return op >= Op::all_reduce && op <= Op::all_to_all; }

double bus_factor(Op op, std::int64_t group_size) {
  if (!is_collective(op) || group_size <= 0) return 0;
  const double n = static_cast<double>(group_size);
  switch (op) {
    case Op::all_reduce:
      return 2 * (n - 1) / n;
    case Op::broadcast:
      return 1;
    default:
      return (n - 1) / n;
  }
}

}  // namespace gs
