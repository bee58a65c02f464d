// Ranking on the model backend, rules, ties and the baseline.
#include "advise/ranking.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "advise/advise_job.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {
namespace {

Advice rank_on_a100(const AdviseJob& job) {
  const GpuSpec& a100 = *find_gpu("A100");
  TimeSource source;
  source.predict = [&a100](const Task& t) { return predict_seconds(t, a100); };
  source.allreduce_bus_gbs = 230;
  return rank_candidates(job.plan, job.advise, source, [&a100](DType d) {
    return DeviceFacts{peak_tflops_for(d, a100), a100.memory_gib * double(1ull << 30), "A100"};
  });
}

const CandidateAdvice* find(const Advice& advice, std::int64_t h, std::int64_t a, std::int64_t l,
                            std::int64_t v) {
  for (const CandidateAdvice& c : advice.rows)
    if (c.candidate.hidden_size == h && c.candidate.heads == a && c.candidate.layers == l &&
        c.candidate.padded_vocab == v)
      return &c;
  return nullptr;
}

// The paper's direction on the shipped example, with the model as calibrated on Fig. 7a: GPT-3
// 2.7B's h/a = 80 loses to the same h and L with h/a = 128 and a padded vocabulary.
TEST(Ranking, Gpt3BaselineLosesToHeadDimMultipleOf64OnTheModel) {
  const AdviseJob job =
      parse_advise_job_file(std::string(GEMMSWEEP_SOURCE_DIR) + "/jobs/advise_gpt3_2p7b.toml");
  const Advice advice = rank_on_a100(job);
  ASSERT_TRUE(advice.baseline);
  const CandidateAdvice& base = advice.rows[*advice.baseline];
  EXPECT_EQ(base.candidate.head_dim, 80);
  EXPECT_FALSE(base.rules & kHeadDim64);
  const CandidateAdvice* better = find(advice, 2560, 20, 32, 50304);
  ASSERT_NE(better, nullptr);
  EXPECT_TRUE(better->rules & kHeadDim64);
  EXPECT_LT(better->rank, base.rank);
  EXPECT_GT(better->tokens_per_s, 1.05 * base.tokens_per_s);
  EXPECT_GT(advice.speedup, 1.0);
  // Ranks are 1..n by falling tokens/s, and MFU is below 1 on a real peak.
  for (std::size_t r = 1; r < advice.order.size(); ++r)
    EXPECT_GE(advice.rows[advice.order[r - 1]].tokens_per_s,
              advice.rows[advice.order[r]].tokens_per_s);
  for (std::size_t i : advice.order) {
    EXPECT_GT(advice.rows[i].mfu, 0);
    EXPECT_LT(advice.rows[i].mfu, 1);
  }
  // The GEMMs that make the difference: attention's, where h/a differs.
  ASSERT_FALSE(advice.differences.empty());
  EXPECT_TRUE(is_batched_attention(advice.differences.front().op))
      << to_string(advice.differences.front().op);
}

TEST(Ranking, RulesOfThePaper) {
  Candidate c;
  c.hidden_size = 4096;
  c.heads = 32;
  c.head_dim = 128;
  c.padded_vocab = 50304;
  c.microbatch = 1;
  c.tensor_parallel = 2;
  EXPECT_EQ(rules_met(c), kHeadDim64 | kHidden64t | kVocab64 | kBatchHeadsT);
  EXPECT_EQ(rules_text(rules_met(c)), "d64 h64t v64 bat");
  c.heads = 3 * 5;  // h/a not whole is not our business here; b*a/t = 15/2 is not whole
  c.head_dim = 80;
  c.padded_vocab = 50257;
  c.hidden_size = 2560 + 64;  // 2624 = 41 * 64, not a multiple of 128
  EXPECT_EQ(rules_met(c), 0u);
  EXPECT_EQ(rules_text(0), "-");
}

TEST(Ranking, CpuHasNoPeakSoMfuIsNaN) {
  AdviseJob job =
      parse_advise_job_file(std::string(GEMMSWEEP_SOURCE_DIR) + "/jobs/advise_gpt3_2p7b.toml");
  TimeSource source;
  source.predict = [](const Task& t) { return t.flops() / 1e12; };
  const Advice advice = rank_candidates(job.plan, job.advise, source, [](DType) {
    return DeviceFacts{0, 0, "cpu"};
  });
  ASSERT_FALSE(advice.order.empty());
  EXPECT_TRUE(std::isnan(advice.rows[advice.order.front()].mfu));
  // At a constant 1 TFLOP/s every candidate's time is its FLOPs: within the budget the one with
  // the fewest FLOPs per token is the fastest.
  double fewest = 1e300;
  for (const CandidateAdvice& a : advice.rows) fewest = std::min(fewest, a.flops_per_token);
  EXPECT_DOUBLE_EQ(advice.rows[advice.order.front()].flops_per_token, fewest);
}

// Rows of every distinct product as the model predicts them, with a given confidence half-width.
std::vector<ResultRow> predicted_rows(const AdviseJob& job, double rel_ci) {
  const GpuSpec& a100 = *find_gpu("A100");
  std::vector<ResultRow> rows;
  for (const DistinctProduct& p : job.plan.products) {
    ResultRow r;
    r.op = std::string(to_string(p.op));
    r.dtype = std::string(to_string(p.point.dtype));
    r.batch = p.shape.batch;
    r.m = p.shape.m;
    r.n = p.shape.n;
    r.k = p.shape.k;
    Task t;
    t.op = p.op;
    t.point = p.point;
    t.shape = p.shape;
    r.time_s = predict_seconds(t, a100);
    r.rel_ci = rel_ci;
    r.status = "ok";
    rows.push_back(r);
  }
  return rows;
}

TEST(Ranking, TiesWithinTheMeasuredSpread) {
  const AdviseJob job =
      parse_advise_job_file(std::string(GEMMSWEEP_SOURCE_DIR) + "/jobs/advise_gpt3_2p7b.toml");
  const auto count_ties = [&job](double rel_ci) {
    const ProductTimes times = ProductTimes::from_rows(predicted_rows(job, rel_ci));
    TimeSource source;
    source.times = &times;
    const Advice advice = rank_candidates(job.plan, job.advise, source, [](DType) {
      return DeviceFacts{312, 80e9, "A100"};
    });
    EXPECT_EQ(advice.order.size(), job.plan.candidates.size());  // every product has its row
    std::size_t ties = 0;
    for (const CandidateAdvice& a : advice.rows) ties += a.ties_best ? 1 : 0;
    return ties;
  };
  // The slowest candidate is about 1.3x the fastest: a spread of +-30% on each makes every one a
  // tie, one of 0.01% only the best itself and its exact equals.
  EXPECT_EQ(count_ties(0.3), job.plan.candidates.size());
  EXPECT_LT(count_ties(1e-4), 3u);
  EXPECT_GE(count_ties(1e-4), 1u);
}

}  // namespace
}  // namespace gs
