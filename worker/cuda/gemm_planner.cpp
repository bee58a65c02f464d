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
                                         const std::vector<OperandSet>& sets) {
  GemmPlan plan;
  plan.libraries = libraries;
  plan.dtype = dtype;
  plan.shape = shape;
  if (dtype != DType::fp8 && !autotune) {
    plan.algo = describe_cublas_gemm(dtype);
    return plan;
  }
  plan.lt = std::make_unique<LtMatmul>(libraries.lt, dtype, shape, libraries.lt_workspace_bytes);
  const std::vector<cublasLtMatmulAlgo_t> candidates =
      plan.lt->candidates(autotune ? kAutotuneCandidates : 1);
  if (candidates.empty()) return std::nullopt;
  if (!autotune || candidates.size() == 1) {
    plan.lt_algo = candidates.front();
    plan.algo = describe_lt_algo(candidates.front()) + " (heuristic's first choice)";
    return plan;
  }
  double best = INFINITY;
  std::size_t best_index = 0;
  int usable = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    plan.lt_algo = candidates[i];
    std::vector<double> times;
    try {
      plan.launch(sets.front().operands());  // warm-up, and proof that it runs
      CUDA_CHECK(cudaStreamSynchronize(libraries.stream));
      for (int r = 0; r < kAutotuneSamples; ++r)
        times.push_back(timer.seconds_per_call(plan, sets, 1));
    } catch (const ApiError&) {
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
  plan.lt_algo = candidates[best_index];
  plan.algo = fmt::format("{} (autotuned: fastest of {} heuristic candidates, rank {})",
                          describe_lt_algo(candidates[best_index]), usable, best_index + 1);
  return plan;
}

}  // namespace gs
