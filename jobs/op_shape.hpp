#pragma once
#include <string>
#include <variant>

#include "jobs/gemm_shape.hpp"
#include "jobs/op.hpp"
#include "jobs/point.hpp"

namespace gs {

// The GEMM an op performs at a point (DESIGN.md section 1), or the reason it has none
// (tensor_parallel does not divide what it must, a missing vocab_size).
std::variant<GemmShape, std::string> gemm_shape_for(Op op, const Point& p);

// Which operands an op reads transposed (the same at every point): a results row records the
// op's name and dimensions, and readers restore the layout from the name.
struct OperandLayout {
  bool a_transposed = false;
  bool b_transposed = false;
};
OperandLayout operand_layout(Op op);

}  // namespace gs
