#include "jobs/op_shape.hpp"

#include <fmt/format.h>

namespace gs {
namespace {

std::string not_divisible(const Point& p, std::int64_t value, const char* what) {
  return fmt::format("tensor_parallel {} does not divide {} {}", p.tensor_parallel, what, value);
}

}  // namespace

std::variant<GemmShape, std::string> gemm_shape_for(Op op, const Point& p) {
  if (is_raw(op)) return p.raw;
  const std::int64_t b = p.microbatch, s = p.seq_length, h = p.hidden_size, a = p.heads,
                     d = p.head_dim, t = p.tensor_parallel;
  switch (op) {
    case Op::attention_score:
      if (a % t) return not_divisible(p, a, "heads");
      return GemmShape{b * a / t, s, d, s};
    case Op::attention_over_value:
      if (a % t) return not_divisible(p, a, "heads");
      return GemmShape{b * a / t, s, s, d};
    case Op::qkv_transform:
      if ((3 * h) % t) return not_divisible(p, 3 * h, "3*hidden_size");
      return GemmShape{1, b * s, h, 3 * h / t};
    case Op::attention_linear_projection:
      if (h % t) return not_divisible(p, h, "hidden_size");
      return GemmShape{1, b * s, h / t, h};
    case Op::mlp_h_to_4h:
      if ((4 * h) % t) return not_divisible(p, 4 * h, "4*hidden_size");
      return GemmShape{1, b * s, h, 4 * h / t};
    case Op::mlp_4h_to_h:
      if ((4 * h) % t) return not_divisible(p, 4 * h, "4*hidden_size");
      return GemmShape{1, b * s, 4 * h / t, h};
    case Op::logit:
      if (p.vocab_size <= 0) return std::string("logit needs model.vocab_size");
      return GemmShape{1, b * s, h, p.vocab_size};
    case Op::gemm:
    case Op::bmm:
      break;
    case Op::all_reduce:
    case Op::all_gather:
    case Op::reduce_scatter:
    case Op::broadcast:
    case Op::all_to_all:
      return GemmShape{0, 0, 0, 0};  // no GEMM: collective_skip_reason() judges these
  }
  return p.raw;
}

}  // namespace gs
