#pragma once
#include <mpi.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gs {

// Message tags between rank 0 and the workers.
enum MessageTag : int {
  kTagWork = 1,         // 0 -> worker: a batch of WorkItems
  kTagStop = 2,         // 0 -> worker: no more work; body: 1 byte, 1 = drain (interrupted)
  kTagResults = 3,      // worker -> 0: the outcomes of one batch, all of its items
  kTagCalibration = 4,  // worker -> 0: the outcome of a calibration measurement
  kTagInterrupt = 5,    // worker -> 0: this rank got SIGTERM / SIGINT
  kTagBye = 6,          // worker -> 0: finished; body: an error text, empty when none
};

struct Message {
  int source = 0;
  int tag = 0;
  std::string body;
};

// The in-process line between rank 0's scheduler (main thread) and rank 0's own measuring
// thread: two queues of messages, the same bodies as over MPI.
class LocalLine {
 public:
  void to_worker(Message m);
  void to_coordinator(Message m);
  std::optional<Message> worker_poll();
  std::optional<Message> worker_wait(std::chrono::microseconds max);
  std::optional<Message> coordinator_poll();

 private:
  std::mutex mutex_;
  std::condition_variable worker_cv_;
  std::deque<Message> to_worker_, to_coordinator_;
};

// A worker's end: rank 0's measuring thread (LocalLine) or another rank (MPI).
class WorkerLink {
 public:
  virtual ~WorkerLink() = default;
  virtual void send(int tag, std::string body) = 0;
  virtual std::optional<Message> poll() = 0;
  // Waits up to `max` for a message (returns early on one).
  virtual std::optional<Message> wait(std::chrono::microseconds max) = 0;
};

class LocalWorkerLink final : public WorkerLink {
 public:
  explicit LocalWorkerLink(LocalLine& line) : line_(line) {}
  void send(int tag, std::string body) override;
  std::optional<Message> poll() override;
  std::optional<Message> wait(std::chrono::microseconds max) override;

 private:
  LocalLine& line_;
};

class MpiWorkerLink final : public WorkerLink {
 public:
  explicit MpiWorkerLink(MPI_Comm comm) : comm_(comm) {}
  void send(int tag, std::string body) override;
  std::optional<Message> poll() override;
  std::optional<Message> wait(std::chrono::microseconds max) override;

 private:
  MPI_Comm comm_;
};

// Rank 0's end: its own thread by LocalLine, the other ranks by MPI. Sends to other ranks are
// non-blocking, so that a worker busy with a long measurement never stalls the scheduler.
class CoordinatorLinks {
 public:
  CoordinatorLinks(MPI_Comm comm, LocalLine& local) : comm_(comm), local_(local) {}
  void send(int rank, int tag, std::string body);
  std::optional<Message> poll();
  // Completes the sends still in flight (end of the run).
  void finish_sends();

 private:
  void progress_sends();
  struct PendingSend {
    MPI_Request request = MPI_REQUEST_NULL;
    std::string body;
  };
  MPI_Comm comm_;
  LocalLine& local_;
  std::deque<PendingSend> pending_;
  bool local_turn_ = true;
};

// Receives the message `status` announced (after a probe).
Message receive_probed(MPI_Comm comm, const MPI_Status& status);

}  // namespace gs
