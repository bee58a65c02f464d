// Expansion, dropping with reasons, and the deduplication of GEMMs across candidates.
#include "advise/advise_plan.hpp"

#include <gtest/gtest.h>

#include <set>

#include "advise/layer_products.hpp"
#include "advise_test_support.hpp"

namespace gs {
namespace {

TEST(AdvisePlan, DeduplicatesGemmsAcrossCandidates) {
  const AdvisePlan plan = plan_advice(test::tiny_spec(), {DType::fp16});
  ASSERT_EQ(plan.candidates.size(), 4u);
  // 21 products a candidate (7 forward, 14 backward); L does not change a product, so h 128 and
  // h 256 give one set each. Within a set over_value's forward is dQ's GEMM and dK is dV's:
  // 19 distinct; at h 256 = v 256 the logit's three products are also the projection's: 16.
  // None is shared between the two widths.
  EXPECT_EQ(plan.product_uses, 4u * 21u);
  EXPECT_EQ(plan.products.size(), 19u + 16u);
  const Grid grid = advise_grid(plan);
  std::set<std::uint64_t> ids;
  for (const Task& t : grid.tasks) ids.insert(t.id);
  EXPECT_EQ(ids.size(), grid.tasks.size());
}

TEST(AdvisePlan, DropsInvalidAndOutOfBudgetCandidatesWithAReason) {
  AdviseSpec spec = test::tiny_spec();
  spec.heads.values = {2, 3};    // 3 divides neither width
  spec.params = {425984, 0.01};  // h 128, L 2: 2 * (4 * 128^2 + 2 * 128 * 512) + 256 * 128
  const AdvisePlan plan = plan_advice(spec, {DType::fp16});
  EXPECT_EQ(plan.considered, 8u);
  EXPECT_EQ(plan.dropped + plan.candidates.size(), 8u);
  ASSERT_EQ(plan.dropped_by_reason.count("hidden_size N is not a multiple of heads N"), 1u);
  EXPECT_EQ(plan.dropped_by_reason.at("hidden_size N is not a multiple of heads N").first, 4u);
  ASSERT_EQ(plan.candidates.size(), 1u);
  EXPECT_EQ(plan.candidates.front().hidden_size, 128);
  EXPECT_EQ(plan.candidates.front().layers, 2);
}

TEST(AdvisePlan, DerivedWidthsAndPadding) {
  AdviseSpec spec = test::tiny_spec();
  spec.mlp = MlpKind::swiglu;
  spec.vocab_size.values = {250};
  spec.pad_vocab_to.values = {1, 64};
  spec.hidden_size.values = {200};
  const AdvisePlan plan = plan_advice(spec, {DType::fp16});
  ASSERT_EQ(plan.candidates.size(), 4u);
  // 8 * 200 / 3 = 533.3, up to a multiple of 64: 576.
  EXPECT_EQ(plan.candidates.front().ffn_hidden_size, 576);
  EXPECT_EQ(plan.candidates[0].padded_vocab, 250);
  EXPECT_EQ(plan.candidates[1].padded_vocab, 256);
}

TEST(AdvisePlan, MeasuredCollectivesFollowTheProducts) {
  AdviseSpec spec = test::tiny_spec();
  spec.tensor_parallel.values = {2};
  spec.measure_collectives = true;
  const AdvisePlan plan = plan_advice(spec, {DType::fp16});
  ASSERT_EQ(plan.candidates.size(), 4u);
  ASSERT_EQ(plan.collectives.size(), 2u);  // one b*s*h message per width, L does not matter
  const Grid grid = advise_grid(plan);
  ASSERT_EQ(grid.tasks.size(), plan.products.size() + 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const Task& t = grid.tasks[plan.products.size() + i];
    EXPECT_EQ(t.op, Op::all_reduce);
    EXPECT_EQ(t.point.id, plan.products.size() + i);
    EXPECT_EQ(t.point.group_size, 2);
    EXPECT_EQ(t.point.message_bytes, 32 * t.point.hidden_size * 2);  // b 1, s 32, fp16
  }
  EXPECT_NE(products_definition(plan).find("all_reduce fp16 1 32 256 2\n"), std::string::npos);
}

TEST(AdvisePlan, Fp8StepsHaveNoBackwardProducts) {
  const AdvisePlan plan = plan_advice(test::tiny_spec(), {DType::fp8});
  ASSERT_EQ(plan.candidates.size(), 4u);
  EXPECT_EQ(plan.product_uses, 4u * 7u);
  EXPECT_FALSE(measures_backward(test::tiny_spec(), plan.candidates.front()));
}

}  // namespace
}  // namespace gs
