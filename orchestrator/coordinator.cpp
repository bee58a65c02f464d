#include "orchestrator/coordinator.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <thread>

#include "orchestrator/progress_meter.hpp"
#include "orchestrator/signal_guard.hpp"
#include "orchestrator/worker_loop.hpp"

namespace gs {

ResultRow make_failed_row(const Task& task, const TaskOutcome& outcome, int rank,
                          const DeviceInfo& device, int max_attempts) {
  Measurement m;
  m.status = TaskStatus::failed;
  m.message = fmt::format("{} (attempt {} of {}, rank {} on {})", outcome.error,
                          outcome.item.attempt, max_attempts, rank, device.host);
  return make_result_row(task, m, rank, device.host, device.name, outcome.item.attempt,
                         outcome.started_unix);
}

namespace {

using Clock = std::chrono::steady_clock;

class Coordinator {
 public:
  Coordinator(CoordinatorLinks& links, const CoordinatorSetup& setup)
      : links_(links),
        setup_(setup),
        dispatcher_(setup.order, setup.ranks, setup.policy),
        progress_(setup.order.size(), stderr, setup.terminal, setup.progress_interval) {
    report_.rows_by_rank.assign(static_cast<std::size_t>(setup.ranks), 0);
    if (!setup.predicted_cost_s.empty()) progress_.set_predicted_costs(setup.predicted_cost_s);
  }

  CoordinatorReport run() {
    for (int r = 0; r < setup_.ranks; ++r) feed(r);
    auto pause = std::chrono::microseconds(1);
    while (true) {
      if (SignalGuard::received() > 0) begin_drain(SignalGuard::first_signal_name());
      bool busy = false;
      for (int i = 0; i < 64; ++i) {
        auto m = links_.poll();
        if (!m) break;
        busy = true;
        handle(*m);
      }
      if (!stop_sent_ && dispatcher_.finished()) send_stop(false);
      if (stop_sent_ && byes_ == setup_.ranks) break;
      if (deadline_ && Clock::now() > *deadline_) {
        report_.drain_timed_out = true;
        break;
      }
      if (setup_.show_progress)
        progress_.update(dispatcher_.settled(), dispatcher_.failed(), dispatcher_.retried());
      if (busy) {
        pause = std::chrono::microseconds(1);
      } else {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(100));
      }
    }
    if (!report_.drain_timed_out) links_.finish_sends();
    if (setup_.show_progress)
      progress_.finish(dispatcher_.settled(), dispatcher_.failed(), dispatcher_.retried());
    report_.all_settled = dispatcher_.all_settled();
    report_.settled = dispatcher_.settled();
    report_.failed = dispatcher_.failed();
    report_.retried = dispatcher_.retried();
    return report_;
  }

 private:
  void feed(int rank) {
    while (dispatcher_.has_capacity(rank)) {
      std::vector<WorkItem> batch = dispatcher_.take(rank);
      if (batch.empty()) break;
      links_.send(rank, kTagWork, pack_work(batch));
    }
  }

  void send_stop(bool drain) {
    stop_sent_ = true;
    for (int r = 0; r < setup_.ranks; ++r)
      links_.send(r, kTagStop, std::string(1, drain ? '\1' : '\0'));
  }

  void begin_drain(const char* why) {
    if (dispatcher_.halted()) return;
    dispatcher_.halt();
    report_.interrupted = true;
    deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(setup_.drain_timeout_s));
    fmt::print(stderr,
               "\ngemmsweep: {}: no new work; waiting up to {:.3g} s for {} batch(es) in flight "
               "(a second signal exits at once; --resume completes the file)\n",
               why, setup_.drain_timeout_s, dispatcher_.batches_out());
    if (!stop_sent_) send_stop(true);
  }

  void handle(const Message& m) {
    switch (m.tag) {
      case kTagResults:
        on_results(m.source, unpack_outcomes(m.body));
        break;
      case kTagCalibration:
        if (setup_.calibration_row) {
          std::vector<ResultRow> rows;
          for (const TaskOutcome& o : unpack_outcomes(m.body))
            rows.push_back(setup_.calibration_row(m.source, o));
          setup_.write_rows(rows);
        }
        break;
      case kTagInterrupt:
        begin_drain(fmt::format("rank {} was signalled", m.source).c_str());
        break;
      case kTagBye:
        // A goodbye with a reason is a worker that broke outside any task: what it held will
        // never come back, so the sweep cannot finish. The caller flushes and aborts.
        if (!m.body.empty()) throw std::runtime_error(m.body);
        ++byes_;
        break;
      default:
        break;
    }
  }

  void on_results(int rank, const std::vector<TaskOutcome>& outcomes) {
    const DeviceInfo& device = setup_.devices.at(static_cast<std::size_t>(rank));
    std::vector<ResultRow> rows;
    rows.reserve(outcomes.size());
    bool retry = false;
    const bool was_retired = dispatcher_.retired(rank);
    for (const TaskOutcome& o : outcomes) {
      const Task& task = setup_.tasks->at(o.item.index);
      const Dispatcher::Verdict verdict = dispatcher_.settle(rank, o);
      if (o.kind == OutcomeKind::device_lost && verdict == Dispatcher::Verdict::record_failed) {
        rows.push_back(device_lost_row(task, o, rank, device));
        continue;
      }
      switch (verdict) {
        case Dispatcher::Verdict::record:
          progress_.task_finished(o.item.index);
          rows.push_back(make_result_row(task, o.measurement, rank, device.host, device.name,
                                         o.item.attempt, o.started_unix));
          break;
        case Dispatcher::Verdict::record_failed:
          progress_.task_finished(o.item.index);
          rows.push_back(make_failed_row(task, o, rank, device, setup_.policy.max_attempts));
          break;
        case Dispatcher::Verdict::retry:
          retry = true;
          break;
        case Dispatcher::Verdict::dropped:
          break;
      }
    }
    dispatcher_.batch_returned(rank);
    if (!was_retired && dispatcher_.retired(rank))
      fmt::print(stderr,
                 "\ngemmsweep: rank {} on {} lost its device and takes no more work; {} rank(s) "
                 "left{}\n",
                 rank, device.host, dispatcher_.live_ranks(),
                 dispatcher_.live_ranks() > 0 ? ", which take over its tasks"
                                              : ": the rest stays undone (--resume redoes it)");
    report_.rows_by_rank[static_cast<std::size_t>(rank)] += rows.size();
    if (!rows.empty()) setup_.write_rows(rows);
    feed(rank);
    if (retry)
      for (int r = 0; r < setup_.ranks; ++r) feed(r);
  }

  // A task that lost a second device, or the last one: failed, with the device's error.
  ResultRow device_lost_row(const Task& task, TaskOutcome o, int rank, const DeviceInfo& device) {
    if (dispatcher_.live_ranks() == 0) o.error += "; no rank with a working device is left";
    return make_failed_row(task, o, rank, device, setup_.policy.max_device_losses);
  }

  CoordinatorLinks& links_;
  const CoordinatorSetup& setup_;
  Dispatcher dispatcher_;
  ProgressMeter progress_;
  CoordinatorReport report_;
  bool stop_sent_ = false;
  int byes_ = 0;
  std::optional<Clock::time_point> deadline_;
};

}  // namespace

CoordinatorReport run_coordinator(CoordinatorLinks& links, const CoordinatorSetup& setup) {
  return Coordinator(links, setup).run();
}

}  // namespace gs
