#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "advise/advise_plan.hpp"
#include "advise/model_counts.hpp"
#include "advise/step_time.hpp"

namespace gs {

// The paper's shape rules (arXiv:2401.14489) a candidate meets, as bits.
enum RuleBit : unsigned {
  kHeadDim64 = 1,    // h/a a multiple of 64
  kHidden64t = 2,    // h a multiple of 64·t
  kVocab64 = 4,      // (padded) vocabulary a multiple of 64
  kBatchHeadsT = 8,  // b·a/t whole
};
unsigned rules_met(const Candidate& c);
// "d64 h64t v64 bat" for the bits set, "-" for none.
std::string rules_text(unsigned rules);

// What the device offers the MFU and the memory check (NaN / 0 where unknown).
struct DeviceFacts {
  double peak_tflops = 0;  // dense peak for the dtype; 0: MFU is NaN (cpu backend)
  double memory_bytes = 0;
  std::string name;
};

struct CandidateAdvice {
  Candidate candidate;
  ParameterCount params;
  StepEstimate step;
  double tokens_per_s = 0;  // per GPU: b·s / (step time · t)
  double flops_per_token = 0;
  double mfu = 0;
  TrainingMemory memory;
  bool fits = false;
  int rank = 0;  // 1 = fastest; 0 = not ranked (some forward product has no time)
  bool ties_best = false;
  bool baseline = false;
  unsigned rules = 0;
};

// How a forward op (its backward folded in) differs between the best and the baseline, in
// seconds per token per GPU.
struct OpDifference {
  Op op = Op::qkv_transform;
  double best_s_per_token = 0, baseline_s_per_token = 0;
};

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
