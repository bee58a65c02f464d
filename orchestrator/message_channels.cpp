#include "orchestrator/message_channels.hpp"

#include <thread>

#include "orchestrator/mpi_check.hpp"

namespace gs {

void LocalLine::to_worker(Message m) {
  {
    std::lock_guard lock(mutex_);
    to_worker_.push_back(std::move(m));
  }
  worker_cv_.notify_one();
}

void LocalLine::to_coordinator(Message m) {
  std::lock_guard lock(mutex_);
  to_coordinator_.push_back(std::move(m));
}

std::optional<Message> LocalLine::worker_poll() {
  std::lock_guard lock(mutex_);
  if (to_worker_.empty()) return std::nullopt;
  Message m = std::move(to_worker_.front());
  to_worker_.pop_front();
  return m;
}

std::optional<Message> LocalLine::worker_wait(std::chrono::microseconds max) {
  std::unique_lock lock(mutex_);
  if (!worker_cv_.wait_for(lock, max, [&] { return !to_worker_.empty(); })) return std::nullopt;
  Message m = std::move(to_worker_.front());
  to_worker_.pop_front();
  return m;
}

std::optional<Message> LocalLine::coordinator_poll() {
  std::lock_guard lock(mutex_);
  if (to_coordinator_.empty()) return std::nullopt;
  Message m = std::move(to_coordinator_.front());
  to_coordinator_.pop_front();
  return m;
}

void LocalWorkerLink::send(int tag, std::string body) {
  line_.to_coordinator({0, tag, std::move(body)});
}
std::optional<Message> LocalWorkerLink::poll() { return line_.worker_poll(); }
std::optional<Message> LocalWorkerLink::wait(std::chrono::microseconds max) {
  return line_.worker_wait(max);
}

Message receive_probed(MPI_Comm comm, const MPI_Status& status) {
  int count = 0;
  MPI_CHECK(MPI_Get_count(&status, MPI_CHAR, &count));
  Message m{status.MPI_SOURCE, status.MPI_TAG, std::string(static_cast<std::size_t>(count), '\0')};
  MPI_CHECK(MPI_Recv(m.body.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, comm,
                     MPI_STATUS_IGNORE));
  return m;
}

void MpiWorkerLink::send(int tag, std::string body) {
  // Blocking is fine here: rank 0 receives all the time, and the worker has nothing else to do
  // until its result is out.
  MPI_CHECK(MPI_Send(body.data(), static_cast<int>(body.size()), MPI_CHAR, 0, tag, comm_));
}

std::optional<Message> MpiWorkerLink::poll() {
  int flag = 0;
  MPI_Status status;
  MPI_CHECK(MPI_Iprobe(0, MPI_ANY_TAG, comm_, &flag, &status));
  if (!flag) return std::nullopt;
  return receive_probed(comm_, status);
}

std::optional<Message> MpiWorkerLink::wait(std::chrono::microseconds max) {
  // Polls rather than blocking in MPI_Recv, so that a signal is seen within a millisecond even
  // when rank 0 has nothing to say; backs off so that an idle rank leaves its core alone.
  const auto deadline = std::chrono::steady_clock::now() + max;
  auto pause = std::chrono::microseconds(2);
  while (true) {
    if (auto m = poll()) return m;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(500));
  }
}

void CoordinatorLinks::send(int rank, int tag, std::string body) {
  if (rank == 0) {
    local_.to_worker({0, tag, std::move(body)});
    return;
  }
  pending_.push_back({MPI_REQUEST_NULL, std::move(body)});
  PendingSend& p = pending_.back();
  MPI_CHECK(MPI_Isend(p.body.data(), static_cast<int>(p.body.size()), MPI_CHAR, rank, tag, comm_,
                      &p.request));
  progress_sends();
}

void CoordinatorLinks::progress_sends() {
  // Sends complete in order per destination, but not across them; test the oldest few.
  while (!pending_.empty()) {
    int done = 0;
    MPI_CHECK(MPI_Test(&pending_.front().request, &done, MPI_STATUS_IGNORE));
    if (!done) break;
    pending_.pop_front();
  }
}

std::optional<Message> CoordinatorLinks::poll() {
  progress_sends();
  // Alternate which side is looked at first, so that neither starves the other.
  local_turn_ = !local_turn_;
  if (local_turn_)
    if (auto m = local_.coordinator_poll()) return m;
  int flag = 0;
  MPI_Status status;
  MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, &status));
  if (flag) return receive_probed(comm_, status);
  if (!local_turn_)
    if (auto m = local_.coordinator_poll()) return m;
  return std::nullopt;
}

void CoordinatorLinks::finish_sends() {
  for (auto& p : pending_) MPI_CHECK(MPI_Wait(&p.request, MPI_STATUS_IGNORE));
  pending_.clear();
}

}  // namespace gs
