#include "orchestrator/dispatcher.hpp"

#include <algorithm>
#include <cmath>

namespace gs {

Dispatcher::Dispatcher(std::vector<std::uint32_t> order, int ranks, DispatchPolicy policy)
    : queue_(order.begin(), order.end()),
      outstanding_(static_cast<std::size_t>(std::max(ranks, 1)), 0),
      retired_(static_cast<std::size_t>(std::max(ranks, 1)), false),
      ranks_(std::max(ranks, 1)),
      live_ranks_(ranks_),
      policy_(policy),
      total_(order.size()) {}

bool Dispatcher::has_capacity(int rank) const {
  return !halted_ && !retired(rank) &&
         outstanding_.at(static_cast<std::size_t>(rank)) < policy_.reserve;
}

std::uint32_t Dispatcher::current_batch_size() const {
  if (mean_task_seconds_ < 0) return 1;  // nothing observed yet: assume long tasks
  const double wanted = policy_.target_batch_seconds / std::max(mean_task_seconds_, 1e-9);
  auto size =
      static_cast<std::uint32_t>(std::clamp(wanted, 1.0, static_cast<double>(policy_.max_batch)));
  // Near the end, smaller batches so that the last ones spread over every rank.
  const std::size_t share = queue_.size() / static_cast<std::size_t>(ranks_ * policy_.reserve * 2);
  return std::max<std::uint32_t>(
      1, std::min<std::uint32_t>(
             size, static_cast<std::uint32_t>(std::min<std::size_t>(share, UINT32_MAX))));
}

bool Dispatcher::may_run_here(std::uint32_t index, int rank) const {
  const auto it = tried_on_.find(index);
  if (it == tried_on_.end()) return true;
  const auto& tried = it->second;
  if (std::find(tried.begin(), tried.end(), rank) == tried.end()) return true;
  // Every live rank has had it (one rank alone, or fewer ranks than attempts): retry anywhere.
  for (int r = 0; r < ranks_; ++r)
    if (!retired(r) && std::find(tried.begin(), tried.end(), r) == tried.end()) return false;
  return true;
}

std::vector<WorkItem> Dispatcher::take(int rank) {
  if (!has_capacity(rank)) return {};
  std::vector<WorkItem> batch;
  for (auto it = retries_.begin(); it != retries_.end(); ++it) {
    if (!may_run_here(*it, rank)) continue;
    const auto attempt = static_cast<std::int32_t>(tried_on_[*it].size() + 1);
    batch.push_back({*it, attempt});
    retries_.erase(it);
    break;
  }
  if (batch.empty() && !queue_.empty()) {
    const std::uint32_t size = current_batch_size();
    batch.reserve(size);
    for (std::uint32_t i = 0; i < size && !queue_.empty(); ++i) {
      batch.push_back({queue_.front(), 1});
      queue_.pop_front();
    }
  }
  if (!batch.empty()) {
    ++outstanding_[static_cast<std::size_t>(rank)];
    ++batches_out_;
  }
  return batch;
}

Dispatcher::Verdict Dispatcher::settle(int rank, const TaskOutcome& outcome) {
  const std::uint32_t index = outcome.item.index;
  if (outcome.kind == OutcomeKind::abandoned) {
    // Unstarted work of a rank that lost its device: the others do it, first.
    if (retired(rank) && !halted_) {
      queue_.push_front(index);
      return Verdict::retry;
    }
    return Verdict::dropped;
  }
  if (outcome.kind == OutcomeKind::device_lost) return settle_device_lost(rank, index);
  const bool failed =
      outcome.kind == OutcomeKind::threw || outcome.measurement.status == TaskStatus::failed;
  if (!failed) {
    ++observed_;
    mean_task_seconds_ =
        mean_task_seconds_ < 0
            ? outcome.elapsed_s
            : mean_task_seconds_ + (outcome.elapsed_s - mean_task_seconds_) /
                                       static_cast<double>(std::min<std::uint64_t>(observed_, 64));
    forget(index);
    ++settled_;
    return Verdict::record;
  }
  auto& tried = tried_on_[index];
  tried.push_back(rank);
  if (static_cast<int>(tried.size()) < policy_.max_attempts && !halted_) {
    retries_.push_back(index);
    ++retried_;
    return Verdict::retry;
  }
  forget(index);
  ++settled_;
  ++failed_;
  return Verdict::record_failed;
}

Dispatcher::Verdict Dispatcher::settle_device_lost(int rank, std::uint32_t index) {
  if (!retired(rank)) {
    retired_[static_cast<std::size_t>(rank)] = true;
    --live_ranks_;
  }
  tried_on_[index].push_back(rank);
  if (++device_losses_[index] < policy_.max_device_losses && live_ranks_ > 0 && !halted_) {
    retries_.push_back(index);
    ++retried_;
    return Verdict::retry;
  }
  forget(index);
  ++settled_;
  ++failed_;
  return Verdict::record_failed;
}

void Dispatcher::forget(std::uint32_t index) {
  tried_on_.erase(index);
  device_losses_.erase(index);
}

void Dispatcher::batch_returned(int rank) {
  auto& n = outstanding_.at(static_cast<std::size_t>(rank));
  if (n > 0) {
    --n;
    --batches_out_;
  }
}

bool Dispatcher::finished() const {
  if (batches_out_ > 0) return false;
  return halted_ || live_ranks_ == 0 || (queue_.empty() && retries_.empty());
}

}  // namespace gs
