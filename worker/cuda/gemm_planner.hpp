#pragma once
#include <optional>
#include <vector>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_plan.hpp"
#include "worker/cuda/operand_set.hpp"
#include "worker/cuda/sample_timer.hpp"

namespace gs {

// Chooses how the product runs: cublasGemmStridedBatchedEx, or cuBLASLt for fp8 and `autotune`
// (the heuristic's best, or the fastest of its top candidates, timed with `timer` over `sets`).
// Empty when cuBLASLt has no kernel for the shape.
std::optional<GemmPlan> choose_gemm_plan(const GemmLibraries& libraries, DType dtype,
                                         const GemmShape& shape, bool autotune, SampleTimer& timer,
                                         const std::vector<OperandSet>& sets);

}  // namespace gs
