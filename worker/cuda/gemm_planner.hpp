#pragma once
#include <functional>
#include <optional>
#include <vector>

#include "jobs/dtype.hpp"
#include "jobs/gemm_shape.hpp"
#include "worker/cuda/gemm_plan.hpp"
#include "worker/cuda/operand_set.hpp"
#include "worker/cuda/sample_timer.hpp"

namespace gs {

// How a plan's samples are batched, given the seconds of one warm call: the launches per event
// pair, after `sets` (the vector choose_gemm_plan is given) has grown to as many operand sets as
// those launches rotate over. The backend's rule for its real samples, so that autotune times
// every candidate the way the chosen one will be timed.
using SampleBatching = std::function<int(double one_call_seconds)>;

// Chooses how the product runs: cublasGemmStridedBatchedEx, or cuBLASLt for fp8 and `autotune`
// (the heuristic's best, or the fastest of its top candidates, each timed with `timer` over
// `sets` in samples batched by `batching`). Empty when cuBLASLt has no kernel for the shape.
// A candidate the library refuses is passed over; a lost device (a sticky CUDA error) throws.
std::optional<GemmPlan> choose_gemm_plan(const GemmLibraries& libraries, DType dtype,
                                         const GemmShape& shape, bool autotune, SampleTimer& timer,
                                         std::vector<OperandSet>& sets,
                                         const SampleBatching& batching);

// What identifies the kernel a plan runs, for checking each one's result once: the cuBLASLt
// algorithm's configuration, or the cuBLAS entry point (which picks its own kernel by shape
// class).
std::string plan_kernel(const GemmPlan& plan);

}  // namespace gs
