#pragma once
#include "advise/candidate.hpp"
#include "advise/model_counts.hpp"
#include "advise/step_time.hpp"

namespace gs {

// Everything advise says about one candidate: its counts, times, throughput and rank.
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

}  // namespace gs
