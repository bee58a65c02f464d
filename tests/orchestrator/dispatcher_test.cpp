#include "orchestrator/dispatcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

namespace gs {
namespace {

std::vector<std::uint32_t> iota_order(std::uint32_t n) {
  std::vector<std::uint32_t> v(n);
  std::iota(v.begin(), v.end(), 0u);
  return v;
}

TaskOutcome measured(WorkItem item, double seconds = 0.5) {
  TaskOutcome o;
  o.item = item;
  o.kind = OutcomeKind::measured;
  o.elapsed_s = seconds;
  return o;
}

TaskOutcome threw(WorkItem item) {
  TaskOutcome o;
  o.item = item;
  o.kind = OutcomeKind::threw;
  o.error = "boom";
  return o;
}

TEST(Dispatcher, EachRankHoldsOneBatchInReserve) {
  Dispatcher d(iota_order(10), 3);
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(d.take(r).size(), 1u) << "first batch of rank " << r;
    EXPECT_EQ(d.take(r).size(), 1u) << "reserve of rank " << r;
    EXPECT_TRUE(d.take(r).empty()) << "a third batch for rank " << r;
    EXPECT_FALSE(d.has_capacity(r));
  }
  EXPECT_EQ(d.batches_out(), 6u);
}

TEST(Dispatcher, HandsOutInTheGivenOrderAndSettlesEverythingOnce) {
  const std::vector<std::uint32_t> order = {7, 3, 9, 0, 1, 2, 4, 5, 6, 8};
  Dispatcher d(order, 2);
  std::vector<std::uint32_t> handed;
  std::multiset<std::uint32_t> recorded;
  std::map<int, std::vector<std::vector<WorkItem>>> out;
  for (int round = 0; round < 100 && !d.finished(); ++round) {
    for (int r = 0; r < 2; ++r) {
      while (true) {
        auto b = d.take(r);
        if (b.empty()) break;
        for (const auto& i : b) handed.push_back(i.index);
        out[r].push_back(b);
      }
      if (out[r].empty()) continue;
      for (const WorkItem& i : out[r].front()) {
        EXPECT_EQ(d.settle(r, measured(i)), Dispatcher::Verdict::record);
        recorded.insert(i.index);
      }
      out[r].erase(out[r].begin());
      d.batch_returned(r);
    }
  }
  EXPECT_TRUE(d.finished());
  EXPECT_TRUE(d.all_settled());
  EXPECT_EQ(handed, order);
  EXPECT_EQ(recorded, std::multiset<std::uint32_t>(order.begin(), order.end()));
}

TEST(Dispatcher, ShortTasksGoOutInBatchesLongOnesOneByOne) {
  DispatchPolicy p;
  p.target_batch_seconds = 0.005;
  p.max_batch = 64;
  Dispatcher quick(iota_order(100000), 4, p);
  auto first = quick.take(0);
  ASSERT_EQ(first.size(), 1u);  // nothing observed yet
  quick.settle(0, measured(first[0], 1e-6));
  quick.batch_returned(0);
  EXPECT_EQ(quick.take(0).size(), 64u);

  Dispatcher slow(iota_order(1000), 4, p);
  auto b = slow.take(0);
  slow.settle(0, measured(b[0], 0.3));
  slow.batch_returned(0);
  EXPECT_EQ(slow.take(0).size(), 1u);
}

TEST(Dispatcher, BatchesShrinkNearTheEnd) {
  DispatchPolicy p;
  p.max_batch = 256;
  Dispatcher d(iota_order(40), 4, p);
  auto b = d.take(0);
  d.settle(0, measured(b[0], 1e-7));
  d.batch_returned(0);
  // 39 left over 4 ranks x 2 batches x 2: batches of at most 2.
  EXPECT_LE(d.take(0).size(), 2u);
}

TEST(Dispatcher, AFailedTaskIsRetriedOnAnotherRank) {
  Dispatcher d({5}, 3);
  auto b = d.take(1);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].attempt, 1);
  EXPECT_EQ(d.settle(1, threw(b[0])), Dispatcher::Verdict::retry);
  d.batch_returned(1);
  EXPECT_TRUE(d.take(1).empty()) << "rank 1 failed it; another rank must have it";
  auto again = d.take(2);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].index, 5u);
  EXPECT_EQ(again[0].attempt, 2);
  EXPECT_EQ(d.settle(2, measured(again[0])), Dispatcher::Verdict::record);
  d.batch_returned(2);
  EXPECT_TRUE(d.finished());
  EXPECT_EQ(d.failed(), 0u);
  EXPECT_EQ(d.retried(), 1u);
}

TEST(Dispatcher, ThreeFailuresEndAsFailed) {
  Dispatcher d({0}, 3);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const int rank = attempt - 1;
    auto b = d.take(rank);
    ASSERT_EQ(b.size(), 1u) << "attempt " << attempt;
    EXPECT_EQ(b[0].attempt, attempt);
    const auto v = d.settle(rank, threw(b[0]));
    d.batch_returned(rank);
    EXPECT_EQ(v, attempt < 3 ? Dispatcher::Verdict::retry : Dispatcher::Verdict::record_failed);
  }
  EXPECT_TRUE(d.finished());
  EXPECT_TRUE(d.all_settled());
  EXPECT_EQ(d.failed(), 1u);
}

TEST(Dispatcher, WithOneRankRetriesOnTheSameRank) {
  Dispatcher d({0}, 1);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto b = d.take(0);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].attempt, attempt);
    d.settle(0, threw(b[0]));
    d.batch_returned(0);
  }
  EXPECT_TRUE(d.all_settled());
  EXPECT_EQ(d.failed(), 1u);
}

TEST(Dispatcher, WithTwoRanksTheThirdAttemptMayReuseARank) {
  Dispatcher d({0}, 2);
  auto b = d.take(0);
  d.settle(0, threw(b[0]));
  d.batch_returned(0);
  b = d.take(1);
  d.settle(1, threw(b[0]));
  d.batch_returned(1);
  b = d.take(0);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].attempt, 3);
}

TEST(Dispatcher, HaltStopsHandingOutAndDropsAbandonedWork) {
  Dispatcher d(iota_order(10), 2);
  auto b0 = d.take(0);
  auto b1 = d.take(1);
  d.halt();
  EXPECT_TRUE(d.take(0).empty());
  EXPECT_FALSE(d.finished()) << "batches are still out";
  d.settle(0, measured(b0[0]));
  d.batch_returned(0);
  TaskOutcome gone;
  gone.item = b1[0];
  gone.kind = OutcomeKind::abandoned;
  EXPECT_EQ(d.settle(1, gone), Dispatcher::Verdict::dropped);
  d.batch_returned(1);
  EXPECT_TRUE(d.finished());
  EXPECT_FALSE(d.all_settled());
  EXPECT_EQ(d.settled(), 1u);
}

TEST(Dispatcher, AFailureWhileDrainingIsRecordedNotRetried) {
  Dispatcher d({0, 1}, 2);
  auto b = d.take(0);
  d.halt();
  EXPECT_EQ(d.settle(0, threw(b[0])), Dispatcher::Verdict::record_failed);
}

TEST(Dispatcher, AFailedMeasurementCountsAsAThrow) {
  Dispatcher d({0}, 2);
  auto b = d.take(0);
  TaskOutcome o = measured(b[0]);
  o.measurement.status = TaskStatus::failed;
  EXPECT_EQ(d.settle(0, o), Dispatcher::Verdict::retry);
}

TEST(Dispatcher, EmptyOrderIsFinishedAtOnce) {
  Dispatcher d({}, 4);
  EXPECT_TRUE(d.finished());
  EXPECT_TRUE(d.all_settled());
  EXPECT_TRUE(d.take(0).empty());
}

}  // namespace
}  // namespace gs
