#include "jobs/op.hpp"

#include <array>

namespace gs {
namespace {

// Indexed by the enum's value, which results files store.
constexpr std::array<std::string_view, 29> kOpNames = {
    "attention_score",
    "attention_over_value",
    "qkv_transform",
    "attention_linear_projection",
    "mlp_h_to_4h",
    "mlp_4h_to_h",
    "logit",
    "gemm",
    "bmm",
    "all_reduce",
    "all_gather",
    "reduce_scatter",
    "broadcast",
    "all_to_all",
    "qkv_transform_grad_input",
    "qkv_transform_grad_weight",
    "attention_score_grad_query",
    "attention_score_grad_key",
    "attention_over_value_grad_probs",
    "attention_over_value_grad_value",
    "attention_projection_grad_input",
    "attention_projection_grad_weight",
    "mlp_h_to_4h_grad_input",
    "mlp_h_to_4h_grad_weight",
    "mlp_4h_to_h_grad_input",
    "mlp_4h_to_h_grad_weight",
    "logit_vocab_parallel",
    "logit_vocab_parallel_grad_input",
    "logit_vocab_parallel_grad_weight",
};
static_assert(kOpNames.size() == static_cast<std::size_t>(Op::logit_vocab_parallel_grad_weight) + 1,
              "every op has a name");

}  // namespace

std::string_view to_string(Op op) {
  const auto index = static_cast<std::size_t>(op);
  return index < kOpNames.size() ? kOpNames[index] : "?";
}

std::optional<Op> parse_op(std::string_view s) {
  for (std::size_t i = 0; i < kOpNames.size(); ++i)
    if (kOpNames[i] == s) return static_cast<Op>(i);
  return std::nullopt;
}

bool is_raw(Op op) { return op == Op::gemm || op == Op::bmm; }

bool is_batched_attention(Op op) {
  return op == Op::attention_score || op == Op::attention_over_value ||
         (op >= Op::attention_score_grad_query && op <= Op::attention_over_value_grad_value);
}

bool is_collective(Op op) { return op >= Op::all_reduce && op <= Op::all_to_all; }

bool is_backward(Op op) {
  return (op >= Op::qkv_transform_grad_input && op <= Op::mlp_4h_to_h_grad_weight) ||
         op == Op::logit_vocab_parallel_grad_input || op == Op::logit_vocab_parallel_grad_weight;
}

Op forward_of(Op op) {
  switch (op) {
    case Op::qkv_transform_grad_input:
    case Op::qkv_transform_grad_weight:
      return Op::qkv_transform;
    case Op::attention_score_grad_query:
    case Op::attention_score_grad_key:
      return Op::attention_score;
    case Op::attention_over_value_grad_probs:
    case Op::attention_over_value_grad_value:
      return Op::attention_over_value;
    case Op::attention_projection_grad_input:
    case Op::attention_projection_grad_weight:
      return Op::attention_linear_projection;
    case Op::mlp_h_to_4h_grad_input:
    case Op::mlp_h_to_4h_grad_weight:
      return Op::mlp_h_to_4h;
    case Op::mlp_4h_to_h_grad_input:
    case Op::mlp_4h_to_h_grad_weight:
      return Op::mlp_4h_to_h;
    case Op::logit_vocab_parallel_grad_input:
    case Op::logit_vocab_parallel_grad_weight:
      return Op::logit_vocab_parallel;
    default:
      return op;
  }
}

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
