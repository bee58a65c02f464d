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
  // Collectives (docs/collectives.md): measured by a group of ranks at once.
  all_reduce,
  all_gather,
  reduce_scatter,
  broadcast,
  all_to_all,
  // Backward products (docs/advise.md): for a linear Y = X·W the input gradient dX = dY·Wᵀ and
  // the weight gradient dW = Xᵀ·dY; for S = Q·Kᵀ, dQ = dS·K and dK = dSᵀ·Q; for O = P·V,
  // dP = dO·Vᵀ and dV = Pᵀ·dO. Each has its forward product's FLOPs.
  qkv_transform_grad_input,
  qkv_transform_grad_weight,
  attention_score_grad_query,
  attention_score_grad_key,
  attention_over_value_grad_probs,
  attention_over_value_grad_value,
  attention_projection_grad_input,
  attention_projection_grad_weight,
  mlp_h_to_4h_grad_input,
  mlp_h_to_4h_grad_weight,
  mlp_4h_to_h_grad_input,
  mlp_4h_to_h_grad_weight,
  // The logit split over the tensor-parallel group (vocabulary-parallel, Megatron): h -> v/t per
  // rank. `logit` keeps its meaning (the whole vocabulary on one rank, whatever t).
  logit_vocab_parallel,
  logit_vocab_parallel_grad_input,
  logit_vocab_parallel_grad_weight,
};

inline constexpr Op kAllOps[] = {Op::attention_score,
                                 Op::attention_over_value,
                                 Op::qkv_transform,
                                 Op::attention_linear_projection,
                                 Op::mlp_h_to_4h,
                                 Op::mlp_4h_to_h,
                                 Op::logit,
                                 Op::gemm,
                                 Op::bmm,
                                 Op::qkv_transform_grad_input,
                                 Op::qkv_transform_grad_weight,
                                 Op::attention_score_grad_query,
                                 Op::attention_score_grad_key,
                                 Op::attention_over_value_grad_probs,
                                 Op::attention_over_value_grad_value,
                                 Op::attention_projection_grad_input,
                                 Op::attention_projection_grad_weight,
                                 Op::mlp_h_to_4h_grad_input,
                                 Op::mlp_h_to_4h_grad_weight,
                                 Op::mlp_4h_to_h_grad_input,
                                 Op::mlp_4h_to_h_grad_weight,
                                 Op::logit_vocab_parallel,
                                 Op::logit_vocab_parallel_grad_input,
                                 Op::logit_vocab_parallel_grad_weight};
// The collectives. kAllOps keeps meaning "every GEMM op": code and tests iterate it as such.
inline constexpr Op kCollectiveOps[] = {Op::all_reduce, Op::all_gather, Op::reduce_scatter,
                                        Op::broadcast, Op::all_to_all};

std::string_view to_string(Op op);
std::optional<Op> parse_op(std::string_view s);
// Raw ops take their shape from the [shape] table, the others from [model].
bool is_raw(Op op);
bool is_batched_attention(Op op);
// Collectives take a group of ranks at once and move bytes rather than do FLOPs.
bool is_collective(Op op);
// An input- or weight-gradient product of the backward pass.
bool is_backward(Op op);
// The forward product a backward op differentiates (the op itself for a forward op).
Op forward_of(Op op);
// nccl-tests' bus-bandwidth factor for a group of n ranks: all_reduce 2(n-1)/n, all_gather,
// reduce_scatter and all_to_all (n-1)/n, broadcast 1; 0 for a GEMM op.
double bus_factor(Op op, std::int64_t group_size);

}  // namespace gs
