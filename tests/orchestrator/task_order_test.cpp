#include "orchestrator/task_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "jobs/grid.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator_test_support.hpp"

namespace gs {
namespace {

JobSpec two_op_job() { return testing::two_op_attention_job(30, 256, "[1, 3]"); }

std::vector<std::uint32_t> all_indices(std::size_t n) {
  std::vector<std::uint32_t> v(n);
  std::iota(v.begin(), v.end(), 0u);
  return v;
}

TEST(TaskOrder, CostPutsTheLargestPredictionFirst) {
  const Grid g = expand(two_op_job());
  const auto predict = [](const Task& t) { return t.flops(); };
  const auto order = order_tasks(g.tasks, all_indices(g.tasks.size()), TaskOrder::cost, predict, 1);
  ASSERT_EQ(order.size(), g.tasks.size());
  for (std::size_t i = 1; i < order.size(); ++i)
    EXPECT_GE(g.tasks[order[i - 1]].flops(), g.tasks[order[i]].flops());
}

TEST(TaskOrder, ShuffleIsASeededPermutation) {
  const Grid g = expand(two_op_job());
  const auto idx = all_indices(g.tasks.size());
  const auto a = order_tasks(g.tasks, idx, TaskOrder::shuffle, {}, 42);
  const auto b = order_tasks(g.tasks, idx, TaskOrder::shuffle, {}, 42);
  const auto c = order_tasks(g.tasks, idx, TaskOrder::shuffle, {}, 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, idx);
  EXPECT_TRUE(std::is_permutation(a.begin(), a.end(), idx.begin()));
}

TEST(TaskOrder, GridKeepsTheGivenSubset) {
  const Grid g = expand(two_op_job());
  const std::vector<std::uint32_t> subset = {4, 1, 9};
  EXPECT_EQ(order_tasks(g.tasks, subset, TaskOrder::grid, {}, 0), subset);
}

TEST(TaskOrder, ParsesItsNames) {
  EXPECT_EQ(parse_task_order("cost"), TaskOrder::cost);
  EXPECT_EQ(parse_task_order("shuffle"), TaskOrder::shuffle);
  EXPECT_EQ(parse_task_order("grid"), TaskOrder::grid);
  EXPECT_FALSE(parse_task_order("random"));
}

TEST(Shard, ParsesIndexOverCount) {
  EXPECT_EQ(parse_shard("0/1"), (Shard{0, 1}));
  EXPECT_EQ(parse_shard("3/8"), (Shard{3, 8}));
  for (const char* bad : {"", "3", "8/8", "1/0", "a/2", "1/2x", "-1/2", "1//2"})
    EXPECT_THROW(parse_shard(bad), UsageError) << bad;
}

TEST(Shard, ShardsCoverEveryTaskExactlyOnce) {
  const JobSpec spec = two_op_job();
  const Grid g = expand(spec);
  ASSERT_FALSE(g.skipped.empty());
  for (std::uint64_t k : {1u, 2u, 3u, 7u}) {
    std::multiset<std::uint64_t> seen;
    std::vector<std::size_t> per_shard(k, 0);
    for (std::uint64_t i = 0; i < k; ++i) {
      for (const Task& t : g.tasks)
        if (in_shard(t, spec, {i, k})) seen.insert(t.id), ++per_shard[i];
      for (const SkippedTask& s : g.skipped)
        if (in_shard(s.task, spec, {i, k})) seen.insert(s.task.id), ++per_shard[i];
    }
    EXPECT_EQ(seen.size(), g.tasks.size() + g.skipped.size()) << k << " shards";
    EXPECT_EQ(std::set<std::uint64_t>(seen.begin(), seen.end()).size(), seen.size());
    const auto [lo, hi] = std::minmax_element(per_shard.begin(), per_shard.end());
    EXPECT_LE(*hi - *lo, 1u) << "round-robin shards differ by at most one task";
  }
}

}  // namespace
}  // namespace gs
