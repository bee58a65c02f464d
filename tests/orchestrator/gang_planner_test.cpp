// Rank 0's group formation for collectives: inside a node first, then across the fewest nodes.
#include "orchestrator/gang_planner.hpp"

#include <gtest/gtest.h>

namespace gs {
namespace {

using Hosts = std::vector<std::string>;

TEST(FormGroup, StaysInsideANodeWhenOneHasEnoughRanks) {
  const Hosts hosts = {"a", "a", "b", "b", "b", "b"};
  EXPECT_EQ(form_group(hosts, 2), (std::vector<int>{0, 1}));
  EXPECT_EQ(form_group(hosts, 3), (std::vector<int>{2, 3, 4}));  // a has only 2
  EXPECT_EQ(form_group(hosts, 4), (std::vector<int>{2, 3, 4, 5}));
}

TEST(FormGroup, CrossesTheFewestNodesWhenNoneIsLargeEnough) {
  const Hosts hosts = {"a", "b", "b", "c", "c", "c"};
  // c (3 ranks) then b (2): two nodes rather than three.
  EXPECT_EQ(form_group(hosts, 5), (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(form_group(hosts, 6), (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(FormGroup, InterleavedRanksOfANodeAreGroupedTogether) {
  const Hosts hosts = {"a", "b", "a", "b"};
  EXPECT_EQ(form_group(hosts, 2), (std::vector<int>{0, 2}));
}

TEST(FormGroup, LargerThanTheRunGivesNoGroup) {
  EXPECT_TRUE(form_group({"a", "a"}, 3).empty());
  EXPECT_TRUE(form_group({"a", "a"}, 0).empty());
}

Task collective(std::int64_t group) {
  Task t;
  t.op = Op::all_reduce;
  t.point.group_size = group;
  t.point.message_bytes = 1024;
  return t;
}

TEST(PlanGangs, AssignsInOrderAndRefusesGroupsLargerThanTheRun) {
  const std::vector<Task> tasks = {collective(2), collective(8), collective(4), collective(2)};
  const GangPlan plan = plan_gangs(tasks, {3, 2, 1, 0}, {"n0", "n0", "n1", "n1"});
  ASSERT_EQ(plan.assignments.size(), 3u);
  EXPECT_EQ(plan.assignments[0].index, 3u);
  EXPECT_EQ(plan.assignments[0].members, (std::vector<int>{0, 1}));
  EXPECT_EQ(plan.assignments[1].index, 2u);
  EXPECT_EQ(plan.assignments[1].members, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(plan.assignments[2].index, 0u);
  ASSERT_EQ(plan.refused.size(), 1u);
  EXPECT_EQ(plan.refused[0].index, 1u);
  EXPECT_EQ(plan.refused[0].reason,
            "group_size 8 needs 8 ranks at once; this run has 4 (run it with more ranks)");
}

}  // namespace
}  // namespace gs
