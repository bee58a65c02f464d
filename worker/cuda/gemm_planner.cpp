#include "worker/cuda/gemm_planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "diagnostics/api_error.hpp"
#include "worker/cuda/cublas_gemm.hpp"
#include "worker/cuda/cuda_check.hpp"

namespace gs {
namespace {

// --autotune: candidates asked of the heuristic, and timed samples per candidate.
constexpr int kAutotuneCandidates = 8;
constexpr int kAutotuneSamples = 5;

}  // namespace

std::optional<GemmPlan> choose_gemm_plan(const GemmLibraries& libraries, DType dtype,
                                         const GemmShape& shape, bool autotune, SampleTimer& timer,
                                         std::vector<OperandSet>& sets,
                                         const SampleBatching& batching) {
  GemmPlan plan;
  plan.libraries = libraries;
  plan.dtype = dtype;
  plan.shape = shape;
  if (dtype != DType::fp8 && !autotune) {
    plan.algo = describe_cublas_gemm(dtype);
    return plan;
  }
  LtGemmCall& lt = plan.call.emplace<LtGemmCall>();
  lt.matmul = std::make_unique<LtMatmul>(libraries.lt, dtype, shape, libraries.lt_workspace_bytes);
  const std::vector<cublasLtMatmulAlgo_t> candidates =
      lt.matmul->candidates(autotune ? kAutotuneCandidates : 1);
  if (candidates.empty()) return std::nullopt;
  if (!autotune || candidates.size() == 1) {
    lt.algo = candidates.front();
    plan.algo = describe_lt_algo(candidates.front()) + " (heuristic's first choice)";
    return plan;
  }
  double best = INFINITY;
  std::size_t best_index = 0;
  int usable = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    lt.algo = candidates[i];
    std::vector<double> times;
    try {
      plan.launch(sets.front().operands());  // warm-up, and proof that it runs
      CUDA_CHECK(cudaStreamSynchronize(libraries.stream));
      // Batched as its real samples would be: a lone launch per event pair cannot tell apart
      // calls of a few microseconds (events resolve about 0.5 us).
      const int launches = batching(timer.seconds_per_call(plan, sets, 1));
      for (int r = 0; r < kAutotuneSamples; ++r)
        times.push_back(timer.seconds_per_call(plan, sets, launches));
    } catch (const ApiError& e) {
      if (e.device_lost()) throw;
      // cuBLAS reports a kernel fault as its own EXECUTION_FAILED: ask the device itself.
      throw_if_device_lost(libraries.stream);
      continue;  // a candidate the library refuses at launch is simply not chosen
    }
    ++usable;
    std::nth_element(times.begin(), times.begin() + kAutotuneSamples / 2, times.end());
    const double median = times[kAutotuneSamples / 2];
    if (median < best) {
      best = median;
      best_index = i;
    }
  }
  if (usable == 0) return std::nullopt;
  lt.algo = candidates[best_index];
  plan.algo = fmt::format("{} (autotuned: fastest of {} heuristic candidates, rank {})",
                          describe_lt_algo(candidates[best_index]), usable, best_index + 1);
  return plan;
}

std::string plan_kernel(const GemmPlan& plan) {
  if (const auto* lt = std::get_if<LtGemmCall>(&plan.call)) return describe_lt_algo(lt->algo);
  return describe_cublas_gemm(plan.dtype);
}

}  // namespace gs
