#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "advise/advise_plan.hpp"
#include "advise/candidate_advice.hpp"
#include "advise/device_facts.hpp"
#include "advise/shape_rules.hpp"

namespace gs {

// How a forward op (its backward folded in) differs between the best and the baseline, in
// seconds per token per GPU.
struct OpDifference {
  Op op = Op::qkv_transform;
  double best_s_per_token = 0, baseline_s_per_token = 0;
};

// The ranking of an advise job's candidates.
struct Advice {
  std::vector<CandidateAdvice> rows;  // in expansion order
  std::vector<std::size_t> order;     // ranked rows, fastest first
  std::optional<std::size_t> best, baseline;
  double speedup = 0;                     // best over baseline tokens/s
  std::vector<OpDifference> differences;  // largest first
  std::size_t unranked = 0;
};

// Evaluates and ranks every candidate. Ties with the best: the gap in time per token is within
// the two candidates' summed confidence half-widths.
Advice rank_candidates(const AdvisePlan& plan, const AdviseSpec& spec, const TimeSource& source,
                       const std::function<DeviceFacts(DType)>& device);

}  // namespace gs
