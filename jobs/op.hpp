#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace gs {

// The GEMMs of one transformer layer (DESIGN.md section 1) plus raw products for general studies.
// The numeric values are stored in results files: append new ops at the end only.
enum class Op : std::uint8_t {
  attention_score,
  attention_over_value,
  qkv_transform,
  attention_linear_projection,
  mlp_h_to_4h,
  mlp_4h_to_h,
  logit,
  gemm,
  bmm,
};

inline constexpr Op kAllOps[] = {Op::attention_score,
                                 Op::attention_over_value,
                                 Op::qkv_transform,
                                 Op::attention_linear_projection,
                                 Op::mlp_h_to_4h,
                                 Op::mlp_4h_to_h,
                                 Op::logit,
                                 Op::gemm,
                                 Op::bmm};

std::string_view to_string(Op op);
std::optional<Op> parse_op(std::string_view s);
// Raw ops take their shape from the [shape] table, the others from [model].
bool is_raw(Op op);
bool is_batched_attention(Op op);

}  // namespace gs
