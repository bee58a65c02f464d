// A rank whose device is lost (a sticky CUDA error, ApiError::device_lost) stops taking work and
// says why; its task is retried once elsewhere and recorded failed if it poisons a second rank.
// A fake backend throws the error: no GPU needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <thread>

#include "diagnostics/api_error.hpp"
#include "orchestrator/dispatcher.hpp"
#include "orchestrator/worker_loop.hpp"

namespace gs {
namespace {

TaskOutcome outcome_of(WorkItem item, OutcomeKind kind) {
  TaskOutcome o;
  o.item = item;
  o.kind = kind;
  o.elapsed_s = 0.5;
  if (kind == OutcomeKind::device_lost) o.error = "CUDA error: cudaErrorIllegalAddress (700)";
  return o;
}

TEST(DeviceLoss, TheRankRetiresAndItsTaskIsRetriedOnceElsewhere) {
  Dispatcher d({7, 8}, 3);
  const auto first = d.take(0);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(d.settle(0, outcome_of(first[0], OutcomeKind::device_lost)),
            Dispatcher::Verdict::retry);
  d.batch_returned(0);
  EXPECT_TRUE(d.retired(0));
  EXPECT_EQ(d.live_ranks(), 2);
  EXPECT_FALSE(d.has_capacity(0));
  EXPECT_TRUE(d.take(0).empty()) << "a retired rank gets no work";
  const auto again = d.take(1);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].index, first[0].index);
  EXPECT_EQ(again[0].attempt, 2);
  EXPECT_EQ(d.settle(1, outcome_of(again[0], OutcomeKind::measured)), Dispatcher::Verdict::record);
  EXPECT_FALSE(d.retired(1));
  EXPECT_EQ(d.failed(), 0u);
}

TEST(DeviceLoss, ATaskThatPoisonsASecondRankIsRecordedFailed) {
  Dispatcher d({3}, 4);
  auto b = d.take(0);
  ASSERT_EQ(d.settle(0, outcome_of(b[0], OutcomeKind::device_lost)), Dispatcher::Verdict::retry);
  d.batch_returned(0);
  b = d.take(1);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(d.settle(1, outcome_of(b[0], OutcomeKind::device_lost)),
            Dispatcher::Verdict::record_failed)
      << "two devices lost: not tried on a third";
  d.batch_returned(1);
  EXPECT_EQ(d.live_ranks(), 2);
  EXPECT_EQ(d.failed(), 1u);
  EXPECT_TRUE(d.all_settled());
  EXPECT_TRUE(d.finished());
}

TEST(DeviceLoss, UnstartedWorkOfARetiredRankGoesToTheOthers) {
  Dispatcher d({0, 1, 2, 3}, 2);
  const auto held = d.take(0);  // one task per batch until a task time is known
  const auto reserve = d.take(0);
  ASSERT_EQ(held.size(), 1u);
  ASSERT_EQ(reserve.size(), 1u);
  d.settle(0, outcome_of(held[0], OutcomeKind::device_lost));
  d.batch_returned(0);
  EXPECT_EQ(d.settle(0, outcome_of(reserve[0], OutcomeKind::abandoned)),
            Dispatcher::Verdict::retry);
  d.batch_returned(0);
  std::vector<std::uint32_t> done;
  while (!d.finished()) {
    const auto b = d.take(1);
    ASSERT_FALSE(b.empty());
    for (const WorkItem& item : b) {
      EXPECT_EQ(d.settle(1, outcome_of(item, OutcomeKind::measured)), Dispatcher::Verdict::record);
      done.push_back(item.index);
    }
    d.batch_returned(1);
  }
  std::sort(done.begin(), done.end());
  EXPECT_EQ(done, (std::vector<std::uint32_t>{0, 1, 2, 3})) << "rank 1 measured every task";
  EXPECT_TRUE(d.all_settled());
}

TEST(DeviceLoss, WithEveryDeviceLostTheSweepEndsWithTheRestUndone) {
  Dispatcher d({0, 1, 2}, 1);
  const auto b = d.take(0);
  EXPECT_EQ(d.settle(0, outcome_of(b[0], OutcomeKind::device_lost)),
            Dispatcher::Verdict::record_failed)
      << "no other rank to retry on";
  d.batch_returned(0);
  EXPECT_EQ(d.live_ranks(), 0);
  EXPECT_TRUE(d.finished()) << "nothing can run any more";
  EXPECT_FALSE(d.all_settled());
  EXPECT_EQ(d.settled(), 1u);
}

// Throws a sticky CUDA error on one task id, and measures every other.
class PoisonedBackend final : public Backend {
 public:
  std::uint64_t poisoned_id = 0;
  int calls = 0;

  std::string_view kind() const override { return "cuda"; }
  DeviceInfo device_info() const override { return {}; }
  Measurement measure(const Task& task, const TimingSettings&) override {
    ++calls;
    if (task.id == poisoned_id)
      throw ApiError(ApiStatus{"CUDA", 700, true}, "cudaStreamSynchronize(stream)",
                     "cudaErrorIllegalAddress (700): an illegal memory access was encountered",
                     __FILE__, __LINE__);
    Measurement m;
    m.samples = 1;
    m.time_s = 1e-3;
    return m;
  }
};

std::vector<Task> numbered_tasks(int count) {
  std::vector<Task> tasks(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) tasks[static_cast<std::size_t>(i)].id = 100 + i;
  return tasks;
}

TEST(DeviceLoss, TheWorkerStopsMeasuringAndReturnsTheRestUnstarted) {
  const std::vector<Task> tasks = numbered_tasks(5);
  PoisonedBackend backend;
  backend.poisoned_id = tasks[1].id;
  WorkerSetup setup;
  setup.backend = &backend;
  setup.tasks = &tasks;
  setup.rank = 3;
  LocalLine line;
  line.to_worker({0, kTagWork, pack_work({{0, 1}, {1, 1}, {2, 1}})});
  line.to_worker({0, kTagWork, pack_work({{3, 1}, {4, 1}})});
  line.to_worker({0, kTagStop, std::string(1, '\0')});
  std::thread worker([&] {
    LocalWorkerLink link(line);
    run_worker(link, setup);
  });
  worker.join();  // the stop is already queued: the worker ends on its own

  std::vector<TaskOutcome> outcomes;
  bool bye = false;
  while (auto m = line.coordinator_poll()) {
    if (m->tag == kTagResults)
      for (TaskOutcome& o : unpack_outcomes(m->body)) outcomes.push_back(std::move(o));
    if (m->tag == kTagBye) {
      bye = true;
      EXPECT_TRUE(m->body.empty()) << "a retired rank still leaves cleanly: " << m->body;
    }
  }
  EXPECT_TRUE(bye);
  EXPECT_EQ(backend.calls, 2) << "nothing runs on the device after it is lost";
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[0].kind, OutcomeKind::measured);
  EXPECT_EQ(outcomes[1].kind, OutcomeKind::device_lost);
  EXPECT_NE(outcomes[1].error.find("cudaErrorIllegalAddress"), std::string::npos)
      << outcomes[1].error;
  for (std::size_t i = 2; i < outcomes.size(); ++i)
    EXPECT_EQ(outcomes[i].kind, OutcomeKind::abandoned) << "item " << i;
}

TEST(DeviceLoss, AnOrdinaryApiErrorIsAFailureNotALostDevice) {
  const std::vector<Task> tasks = numbered_tasks(1);
  class RefusingBackend final : public Backend {
   public:
    std::string_view kind() const override { return "cuda"; }
    DeviceInfo device_info() const override { return {}; }
    Measurement measure(const Task&, const TimingSettings&) override {
      throw ApiError(ApiStatus{"cuBLAS", 15, false}, "cublasLtMatmul(...)",
                     "CUBLAS_STATUS_NOT_SUPPORTED (15)", __FILE__, __LINE__);
    }
  } backend;
  WorkerSetup setup;
  setup.backend = &backend;
  setup.tasks = &tasks;
  const TaskOutcome o = execute_item(setup, tasks[0], {0, 1});
  EXPECT_EQ(o.kind, OutcomeKind::threw);
  EXPECT_NE(o.error.find("CUBLAS_STATUS_NOT_SUPPORTED"), std::string::npos) << o.error;
}

TEST(DeviceLoss, TheOutcomeAndItsReasonCrossTheWire) {
  TaskOutcome o = outcome_of({4, 2}, OutcomeKind::device_lost);
  const auto back = unpack_outcomes(pack_outcomes({o}));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].kind, OutcomeKind::device_lost);
  EXPECT_EQ(back[0].item, (WorkItem{4, 2}));
  EXPECT_EQ(back[0].error, o.error);
}

}  // namespace
}  // namespace gs
