#include "orchestrator/local_worker_thread.hpp"

#include "orchestrator/exit_status.hpp"

namespace gs {

LocalWorkerThread::LocalWorkerThread(std::string kind, BackendOptions options) {
  thread_ = std::thread(
      [this, kind = std::move(kind), options = std::move(options)] { body(kind, options); });
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return ready_; });
}

void LocalWorkerThread::body(std::string kind, BackendOptions options) {
  std::unique_ptr<Backend> backend;
  {
    std::lock_guard lock(mutex_);
    try {
      backend = make_backend(kind, options);
      info_ = backend->device_info();
    } catch (const BackendUnavailable& e) {
      error_ = e.what();
      error_is_usage_ = true;
    } catch (const UsageError& e) {
      error_ = e.what();
      error_is_usage_ = true;
    } catch (const std::invalid_argument& e) {
      error_ = e.what();
      error_is_usage_ = true;
    } catch (const std::exception& e) {
      error_ = e.what();
    }
    ready_ = true;
  }
  cv_.notify_all();
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return go_ || quit_; });
  if (!go_ || !backend) return;
  WorkerSetup setup = setup_;
  LocalLine& line = line_;
  lock.unlock();
  setup.backend = backend.get();
  LocalWorkerLink link(line);
  try {
    run_worker(link, setup);
  } catch (const std::exception& e) {
    // The scheduler waits for this thread's goodbye; make sure it gets one, with the reason.
    link.send(kTagBye, std::string("rank 0 measuring thread: ") + e.what());
  }
}

void LocalWorkerThread::start(WorkerSetup setup) {
  {
    std::lock_guard lock(mutex_);
    setup_ = std::move(setup);
    go_ = true;
  }
  cv_.notify_all();
}

void LocalWorkerThread::abandon() {
  if (thread_.joinable()) thread_.detach();
}

LocalWorkerThread::~LocalWorkerThread() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace gs
