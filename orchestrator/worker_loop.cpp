#include "orchestrator/worker_loop.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <exception>

#include "diagnostics/api_error.hpp"
#include "orchestrator/signal_guard.hpp"

namespace gs {
namespace {

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class WorkerState {
 public:
  WorkerState(WorkerLink& link, const WorkerSetup& setup) : link_(link), setup_(setup) {}

  void run() {
    if (setup_.calibrate) calibrate(kCalibrationStart);
    while (true) {
      while (auto m = link_.poll()) handle(*m);
      notice_signal();
      if (draining_ || device_lost_) abandon_queued();
      if (batches_.empty()) {
        if (stopped_) break;
        if (auto m = link_.wait(std::chrono::milliseconds(50))) handle(*m);
        continue;
      }
      std::vector<WorkItem> batch = std::move(batches_.front());
      batches_.pop_front();
      run_batch(batch);
    }
    if (setup_.calibrate && !draining_ && !device_lost_) calibrate(kCalibrationEnd);
    link_.send(kTagBye, {});
  }

 private:
  void handle(const Message& m) {
    if (m.tag == kTagWork) {
      batches_.push_back(unpack_work(m.body));
    } else if (m.tag == kTagStop) {
      stopped_ = true;
      if (!m.body.empty() && m.body[0] == 1) draining_ = true;
    }
  }

  void notice_signal() {
    if (told_interrupt_ || SignalGuard::received() == 0) return;
    told_interrupt_ = true;
    draining_ = true;
    link_.send(kTagInterrupt, {});
  }

  void abandon_queued() {
    for (const auto& batch : batches_) {
      std::vector<TaskOutcome> outcomes(batch.size());
      for (std::size_t i = 0; i < batch.size(); ++i) {
        outcomes[i].item = batch[i];
        outcomes[i].kind = OutcomeKind::abandoned;
      }
      link_.send(kTagResults, pack_outcomes(outcomes));
    }
    batches_.clear();
  }

  void run_batch(const std::vector<WorkItem>& batch) {
    std::vector<TaskOutcome> outcomes;
    outcomes.reserve(batch.size());
    for (const WorkItem& item : batch) {
      if (SignalGuard::received() > 0 || device_lost_) {
        TaskOutcome o;
        o.item = item;
        o.kind = OutcomeKind::abandoned;
        outcomes.push_back(o);
        continue;
      }
      outcomes.push_back(execute_item(setup_, setup_.tasks->at(item.index), item));
      if (outcomes.back().kind == OutcomeKind::device_lost) retire(outcomes.back().error);
    }
    link_.send(kTagResults, pack_outcomes(outcomes));
  }

  void calibrate(std::uint32_t which) {
    const TaskOutcome outcome = execute_item(setup_, setup_.calibration_task, {which, 1});
    if (outcome.kind == OutcomeKind::device_lost) retire(outcome.error);
    link_.send(kTagCalibration, pack_outcomes({outcome}));
  }

  // Nothing more can run on a lost device in this process: whatever this rank holds or is sent
  // goes back unstarted (rank 0 hands it to the others), until rank 0 says stop.
  void retire(const std::string& why) {
    if (device_lost_) return;
    device_lost_ = true;
    fmt::print(stderr, "gemmsweep: rank {}: device lost, this rank takes no more work: {}\n",
               setup_.rank, why);
  }

  WorkerLink& link_;
  const WorkerSetup& setup_;
  std::deque<std::vector<WorkItem>> batches_;
  bool stopped_ = false, draining_ = false, told_interrupt_ = false, device_lost_ = false;
};

}  // namespace

TaskOutcome execute_item(const WorkerSetup& setup, const Task& task, WorkItem item) {
  TaskOutcome o;
  o.item = item;
  o.started_unix = unix_now();
  const auto start = std::chrono::steady_clock::now();
  try {
    setup.faults.check(task.id, setup.rank);
    o.measurement = setup.backend->measure(task, setup.timing);
    if (o.measurement.status == TaskStatus::failed) {
      o.kind = OutcomeKind::threw;
      o.error =
          o.measurement.message.empty() ? "the backend reported a failure" : o.measurement.message;
    }
  } catch (const ApiError& e) {
    o.kind = e.device_lost() ? OutcomeKind::device_lost : OutcomeKind::threw;
    o.error = e.what();
  } catch (const std::exception& e) {
    o.kind = OutcomeKind::threw;
    o.error = e.what();
  } catch (...) {
    o.kind = OutcomeKind::threw;
    o.error = "unknown exception";
  }
  o.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return o;
}

void run_worker(WorkerLink& link, const WorkerSetup& setup) { WorkerState(link, setup).run(); }

}  // namespace gs
