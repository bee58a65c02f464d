#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "orchestrator/message_channels.hpp"
#include "orchestrator/worker_loop.hpp"
#include "worker/backend.hpp"

namespace gs {

// Rank 0's measuring thread. The backend is made on this thread and used only by it, so that a
// GPU context, the current device and BLAS thread state belong to the thread that measures.
class LocalWorkerThread {
 public:
  // Makes the backend on the new thread and returns once it exists or has failed (error()).
  LocalWorkerThread(std::string kind, BackendOptions options);
  // Joins; if start() was never called, tells the thread to end first.
  ~LocalWorkerThread();
  LocalWorkerThread(const LocalWorkerThread&) = delete;
  LocalWorkerThread& operator=(const LocalWorkerThread&) = delete;

  // Empty when the backend exists; else the error, and whether it is the user's to fix.
  const std::string& error() const { return error_; }
  bool error_is_usage() const { return error_is_usage_; }
  const DeviceInfo& device_info() const { return info_; }

  // The scheduler's end of the thread's line. It lives as long as this object, not as long as
  // the scheduler: after an error the thread may be abandoned still waiting on it.
  LocalLine& line() { return line_; }
  // Runs run_worker(setup) over line() on the thread. `setup.backend` is filled in here.
  void start(WorkerSetup setup);
  // Leaves the thread running (the process is about to exit without waiting for it).
  void abandon();

 private:
  void body(std::string kind, BackendOptions options);

  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool ready_ = false, go_ = false, quit_ = false;
  std::string error_;
  bool error_is_usage_ = false;
  DeviceInfo info_;
  WorkerSetup setup_;
  LocalLine line_;
};

}  // namespace gs
