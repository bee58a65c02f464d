#pragma once
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "orchestrator/task_outcome.hpp"

namespace gs {

struct DispatchPolicy {
  // Batches a rank may hold at once: one it works on and one in reserve, so that it starts the
  // next as soon as it sends a result and never waits for rank 0's reply.
  int reserve = 2;
  // A task that throws is tried this many times in all, on different ranks where there are.
  int max_attempts = 3;
  // A task whose attempt lost its rank's device (a sticky CUDA error; the rank retires) is tried
  // on another rank; losing this many devices it is recorded failed, so that a task that poisons
  // every GPU it touches cannot take the whole job down one rank at a time.
  int max_device_losses = 2;
  // Tasks are handed out in batches whose observed work is about this long: one task at a time
  // when tasks are long (a GPU measurement, 0.1 to 2 s), many when they take microseconds (the
  // model backend), so that rank 0's round trips never dominate.
  double target_batch_seconds = 0.005;
  std::uint32_t max_batch = 256;
};

// Rank 0's bookkeeping for dynamic dispatch, free of MPI so that it is tested alone: which tasks
// are queued, which are out on which rank, which failed and where they may be retried.
class Dispatcher {
 public:
  // `order`: task indices in the order to hand them out.
  Dispatcher(std::vector<std::uint32_t> order, int ranks, DispatchPolicy policy = {});

  // The next batch for `rank`, or empty when it holds `reserve` batches already, the sweep is
  // halted, or nothing is available to it now.
  std::vector<WorkItem> take(int rank);
  bool has_capacity(int rank) const;

  enum class Verdict {
    record,         // a final row: measured (ok or skipped)
    record_failed,  // a final row with status failed: attempts exhausted (or draining)
    retry,          // queued again for another rank
    dropped,        // abandoned while draining: no row, --resume redoes it
  };
  // One item of a returned batch.
  Verdict settle(int rank, const TaskOutcome& outcome);
  // The batch that held those items is back (call after settling all of its items).
  // Items a retired rank sends back unstarted are queued again for the others (Verdict::retry).
  void batch_returned(int rank);

  // Stop handing out work (SIGTERM); what is out may still come back.
  void halt() { halted_ = true; }
  bool halted() const { return halted_; }

  // Nothing queued, nothing out: time to stop the workers.
  bool finished() const;
  // Every task has its final row.
  bool all_settled() const { return settled_ == total_; }
  std::size_t total() const { return total_; }
  std::size_t settled() const { return settled_; }
  std::size_t failed() const { return failed_; }
  std::size_t retried() const { return retried_; }
  std::size_t batches_out() const { return batches_out_; }
  // Ranks whose device was lost: they get no more work. With none left, finished() is true and
  // what was not measured stays without a row (--resume redoes it).
  bool retired(int rank) const { return retired_.at(static_cast<std::size_t>(rank)); }
  int live_ranks() const { return live_ranks_; }
  std::uint32_t current_batch_size() const;

 private:
  bool may_run_here(std::uint32_t index, int rank) const;
  Verdict settle_device_lost(int rank, std::uint32_t index);
  void forget(std::uint32_t index);

  std::deque<std::uint32_t> queue_;
  std::deque<std::uint32_t> retries_;
  std::unordered_map<std::uint32_t, std::vector<int>> tried_on_;  // failed tasks only
  std::unordered_map<std::uint32_t, int> device_losses_;          // by task, while unsettled
  std::vector<int> outstanding_;                                  // batches per rank
  std::vector<bool> retired_;                                     // by rank
  int ranks_;
  int live_ranks_;
  DispatchPolicy policy_;
  bool halted_ = false;
  std::size_t total_ = 0, settled_ = 0, failed_ = 0, retried_ = 0, batches_out_ = 0;
  double mean_task_seconds_ = -1;  // running mean of the elapsed time of measured tasks
  std::uint64_t observed_ = 0;
};

}  // namespace gs
