#include "advise/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gs {

namespace {

double seconds_per_token(const CandidateAdvice& a, double seconds) {
  const Candidate& c = a.candidate;
  return seconds * static_cast<double>(c.tensor_parallel) /
         static_cast<double>(c.microbatch * c.seq_length);
}

}  // namespace

Advice rank_candidates(const AdvisePlan& plan, const AdviseSpec& spec, const TimeSource& source,
                       const std::function<DeviceFacts(DType)>& device) {
  Advice advice;
  advice.rows.reserve(plan.candidates.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    const Candidate& c = plan.candidates[i];
    CandidateAdvice a;
    a.candidate = c;
    a.params = count_parameters(c, spec);
    a.step = estimate_step(c, spec, source);
    a.flops_per_token = model_flops_per_token(c, spec);
    a.memory = training_memory(c, spec);
    const DeviceFacts facts = device(c.dtype);
    a.fits = facts.memory_bytes > 0 && a.memory.total() <= facts.memory_bytes;
    a.rules = rules_met(c);
    a.baseline = plan.baseline && *plan.baseline == i;
    if (a.step.complete && a.step.step_time_s > 0) {
      a.tokens_per_s = static_cast<double>(c.microbatch * c.seq_length) /
                       (a.step.step_time_s * static_cast<double>(c.tensor_parallel));
      a.mfu = facts.peak_tflops > 0
                  ? a.tokens_per_s * a.flops_per_token / (facts.peak_tflops * 1e12)
                  : nan;
      advice.order.push_back(i);
    } else {
      a.tokens_per_s = nan;
      a.mfu = nan;
      ++advice.unranked;
    }
    advice.rows.push_back(std::move(a));
  }
  // Fastest first; equal throughput keeps expansion order, so the ranking is reproducible.
  std::stable_sort(advice.order.begin(), advice.order.end(), [&](std::size_t x, std::size_t y) {
    return advice.rows[x].tokens_per_s > advice.rows[y].tokens_per_s;
  });
  for (std::size_t r = 0; r < advice.order.size(); ++r)
    advice.rows[advice.order[r]].rank = static_cast<int>(r + 1);
  if (advice.order.empty()) return advice;
  advice.best = advice.order.front();
  const CandidateAdvice& best = advice.rows[*advice.best];
  const double best_s = seconds_per_token(best, best.step.step_time_s);
  const double best_spread = seconds_per_token(best, best.step.spread_s);
  for (std::size_t i : advice.order) {
    CandidateAdvice& a = advice.rows[i];
    a.ties_best = seconds_per_token(a, a.step.step_time_s) - best_s <=
                  seconds_per_token(a, a.step.spread_s) + best_spread;
  }
  if (plan.baseline && advice.rows[*plan.baseline].rank > 0) {
    advice.baseline = plan.baseline;
    const CandidateAdvice& base = advice.rows[*plan.baseline];
    advice.speedup = best.tokens_per_s / base.tokens_per_s;
    for (const auto& [op, s] : best.step.op_seconds) {
      const auto it = base.step.op_seconds.find(op);
      advice.differences.push_back(
          {op, seconds_per_token(best, s),
           it == base.step.op_seconds.end() ? 0 : seconds_per_token(base, it->second)});
    }
    std::sort(advice.differences.begin(), advice.differences.end(),
              [](const OpDifference& x, const OpDifference& y) {
                return std::abs(x.baseline_s_per_token - x.best_s_per_token) >
                       std::abs(y.baseline_s_per_token - y.best_s_per_token);
              });
  }
  return advice;
}

}  // namespace gs
