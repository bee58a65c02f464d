// The scheduler and the worker loop together in one process: rank 0's scheduler on this thread,
// its measuring thread beside it, MPI as a singleton (one rank), a scripted backend.
#include "orchestrator/coordinator.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "diagnostics/api_error.hpp"
#include "jobs/grid.hpp"
#include "orchestrator/signal_guard.hpp"
#include "orchestrator/worker_loop.hpp"
#include "orchestrator_test_support.hpp"

// Open MPI's own allocations outlive MPI_Finalize (see orchestrator/main.cpp): no leak check here.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

namespace gs {
namespace {

class MpiEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  }
  void TearDown() override { MPI_Finalize(); }
};
[[maybe_unused]] const auto* const kMpi = ::testing::AddGlobalTestEnvironment(new MpiEnvironment);

// Fails a task id the given number of times, then measures it; can raise SIGTERM at a call.
class ScriptedBackend final : public Backend {
 public:
  std::map<std::uint64_t, int> failures;       // task id -> times to throw
  std::uint64_t loses_device_at = UINT64_MAX;  // task id whose measurement throws a sticky error
  int raise_sigterm_at_call = -1;
  std::atomic<int> calls{0};

  std::string_view kind() const override { return "model"; }
  DeviceInfo device_info() const override { return {}; }
  Measurement measure(const Task& task, const TimingSettings&) override {
    const int call = calls++;
    if (call == raise_sigterm_at_call) std::raise(SIGTERM);
    if (task.id == loses_device_at)
      throw ApiError(ApiStatus{"CUDA", 700, true}, "cudaEventSynchronize(stop)",
                     "cudaErrorIllegalAddress (700)", __FILE__, __LINE__);
    {
      std::lock_guard lock(mutex_);
      auto it = failures.find(task.id);
      if (it != failures.end() && it->second > 0) {
        --it->second;
        throw std::runtime_error("scripted failure of task " + std::to_string(task.id));
      }
    }
    Measurement m;
    m.samples = 1;
    m.time_s = m.time_min_s = 1e-6 * static_cast<double>(task.point.head_dim);
    if (task.point.head_dim == 0) m.time_s = 1e-6;
    m.converged = true;
    return m;
  }

 private:
  std::mutex mutex_;
};

struct Fixture {
  Grid grid = expand(testing::two_op_attention_job(20, 128, "1"));
  ScriptedBackend backend;
  std::vector<ResultRow> rows;
  std::vector<std::pair<int, TaskOutcome>> calibrations;

  CoordinatorReport run(bool calibrate = false) {
    LocalLine line;
    WorkerSetup ws;
    ws.backend = &backend;
    ws.tasks = &grid.tasks;
    ws.calibrate = calibrate;
    ws.calibration_task = grid.tasks.front();
    std::thread worker([&] {
      LocalWorkerLink link(line);
      run_worker(link, ws);
    });
    CoordinatorLinks links(MPI_COMM_WORLD, line);
    CoordinatorSetup cs;
    cs.tasks = &grid.tasks;
    for (std::uint32_t i = 0; i < grid.tasks.size(); ++i) cs.order.push_back(i);
    cs.ranks = 1;
    DeviceInfo d;
    d.host = "here";
    d.name = "scripted";
    cs.devices = {d};
    cs.show_progress = false;
    cs.drain_timeout_s = 10;
    cs.write_rows = [&](const std::vector<ResultRow>& r) {
      rows.insert(rows.end(), r.begin(), r.end());
    };
    cs.calibration_row = [&](int rank, const TaskOutcome& o) {
      calibrations.emplace_back(rank, o);
      ResultRow r;
      r.status = "calib";
      return r;
    };
    const CoordinatorReport report = run_coordinator(links, cs);
    worker.join();
    return report;
  }
};

TEST(Coordinator, EveryTaskGetsOneRowFromRankZero) {
  Fixture f;
  const auto report = f.run();
  EXPECT_TRUE(report.all_settled);
  EXPECT_FALSE(report.interrupted);
  ASSERT_EQ(f.rows.size(), f.grid.tasks.size());
  std::set<std::uint64_t> ids;
  for (const ResultRow& r : f.rows) {
    ids.insert(r.task_id);
    EXPECT_EQ(r.status, "ok");
    EXPECT_EQ(r.rank, 0);
    EXPECT_EQ(r.host, "here");
    EXPECT_EQ(r.device, "scripted");
    EXPECT_EQ(r.attempt, 1);
  }
  EXPECT_EQ(ids.size(), f.grid.tasks.size());
  EXPECT_EQ(report.rows_by_rank.at(0), f.grid.tasks.size());
}

TEST(Coordinator, ATaskThatFailsTwiceSucceedsOnItsThirdAttempt) {
  Fixture f;
  const std::uint64_t flaky = f.grid.tasks[5].id;
  f.backend.failures[flaky] = 2;
  const auto report = f.run();
  EXPECT_TRUE(report.all_settled);
  EXPECT_EQ(report.failed, 0u);
  EXPECT_EQ(report.retried, 2u);
  ASSERT_EQ(f.rows.size(), f.grid.tasks.size());
  for (const ResultRow& r : f.rows)
    if (r.task_id == flaky) {
      EXPECT_EQ(r.status, "ok");
      EXPECT_EQ(r.attempt, 3);
    }
}

TEST(Coordinator, ATaskThatAlwaysFailsIsRecordedFailedWithItsMessage) {
  Fixture f;
  const std::uint64_t bad = f.grid.tasks[7].id;
  f.backend.failures[bad] = 100;
  const auto report = f.run();
  EXPECT_TRUE(report.all_settled) << "a failed row is a final row";
  EXPECT_EQ(report.failed, 1u);
  ASSERT_EQ(f.rows.size(), f.grid.tasks.size());
  int failed = 0;
  for (const ResultRow& r : f.rows) {
    if (r.task_id != bad) {
      EXPECT_EQ(r.status, "ok");
      continue;
    }
    ++failed;
    EXPECT_EQ(r.status, "failed");
    EXPECT_EQ(r.attempt, 3);
    EXPECT_NE(r.message.find("scripted failure of task " + std::to_string(bad)), std::string::npos)
        << r.message;
    EXPECT_NE(r.message.find("attempt 3 of 3"), std::string::npos) << r.message;
  }
  EXPECT_EQ(failed, 1);
}

TEST(Coordinator, ALostDeviceOnTheOnlyRankFailsItsTaskAndLeavesTheRestUndone) {
  Fixture f;
  const std::uint64_t poison = f.grid.tasks[4].id;
  f.backend.loses_device_at = poison;
  const auto report = f.run();
  EXPECT_FALSE(report.all_settled) << "nothing can measure the tasks after it";
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(f.backend.calls.load(), 5) << "the rank measured nothing after losing its device";
  ASSERT_EQ(f.rows.size(), 5u);
  const ResultRow& failed = f.rows.back();
  EXPECT_EQ(failed.task_id, poison);
  EXPECT_EQ(failed.status, "failed");
  EXPECT_NE(failed.message.find("cudaErrorIllegalAddress"), std::string::npos) << failed.message;
  EXPECT_NE(failed.message.find("no rank with a working device is left"), std::string::npos)
      << failed.message;
}

TEST(Coordinator, CalibrationMeasuresAtStartAndEnd) {
  Fixture f;
  f.run(true);
  ASSERT_EQ(f.calibrations.size(), 2u);
  EXPECT_EQ(f.calibrations[0].second.item.index, kCalibrationStart);
  EXPECT_EQ(f.calibrations[1].second.item.index, kCalibrationEnd);
  EXPECT_EQ(f.calibrations[0].first, 0);
  EXPECT_EQ(f.rows.size(), f.grid.tasks.size() + 2);
}

TEST(Coordinator, SigtermDrainsAndLeavesTheRestUndone) {
  Fixture f;
  f.backend.raise_sigterm_at_call = 5;
  SignalGuard guard;
  const auto report = f.run();
  EXPECT_TRUE(report.interrupted);
  EXPECT_FALSE(report.all_settled);
  EXPECT_FALSE(report.drain_timed_out);
  EXPECT_EQ(SignalGuard::received(), 1);
  // The task that was measuring when the signal came still gets its row; nothing after it.
  EXPECT_EQ(f.rows.size(), 6u);
  EXPECT_EQ(report.settled, 6u);
  for (const ResultRow& r : f.rows) EXPECT_EQ(r.status, "ok");
}

TEST(Coordinator, AWorkerLeavingWithAnErrorEndsTheRunWithThatError) {
  Fixture f;
  LocalLine line;
  std::thread broken([&] { LocalWorkerLink(line).send(kTagBye, "backend lost its GPU"); });
  broken.join();
  CoordinatorLinks links(MPI_COMM_WORLD, line);
  CoordinatorSetup cs;
  cs.tasks = &f.grid.tasks;
  cs.order = {0, 1, 2};
  cs.devices = {DeviceInfo{}};
  cs.show_progress = false;
  cs.write_rows = [](const std::vector<ResultRow>&) {};
  try {
    run_coordinator(links, cs);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "backend lost its GPU");
  }
}

}  // namespace
}  // namespace gs
