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

}  // namespace gs
