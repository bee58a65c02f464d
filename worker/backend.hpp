#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "jobs/task.hpp"
#include "jobs/timing_settings.hpp"
#include "worker/device_info.hpp"
#include "worker/measurement.hpp"

namespace gs {

struct BackendOptions {
  int device_index = 0;         // cuda: which visible device (node-local rank)
  int threads = 0;              // cpu: BLAS threads, 0 = all cores of the node
  int ranks_on_node = 1;        // cpu: ranks sharing the node's memory (each gets its share)
  double simulate_factor = 0;   // model: sleep predicted time * factor (0 = no sleep)
  std::string gpu = "A100";     // model: which GPU to predict
  bool autotune = false;        // cuda: time cuBLASLt's top algorithms, keep the best
  std::uint64_t seed = 0x5eed;  // random inputs
  // cpu: inputs rotate over buffers whose total exceeds this many bytes, so that samples do not
  // measure a warm cache; 0 = the last-level cache size read from sysfs.
  std::uint64_t cpu_cache_bytes = 0;
};

// Measures one task on one device. Backends throw on failure (the orchestrator retries the task
// elsewhere) and return TaskStatus::skipped for a task that cannot run here (does not fit).
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view kind() const = 0;
  virtual DeviceInfo device_info() const = 0;
  virtual Measurement measure(const Task& task, const TimingSettings& timing) = 0;
};

// kind is cuda | cpu | model | auto (cuda when a GPU is usable, else cpu).
// Throws BackendUnavailable when the kind cannot run here (cuda without a GPU).
std::unique_ptr<Backend> make_backend(std::string_view kind, const BackendOptions& options);

// Whether the cuda backend was built in and finds a usable GPU and driver (never throws).
bool cuda_backend_available();
// GPUs the cuda backend sees in this process (after CUDA_VISIBLE_DEVICES); 0 when not built in.
int cuda_backend_device_count();

// What `auto` resolves to on this machine; the other kinds unchanged. Throws
// std::invalid_argument for an unknown kind.
std::string resolve_backend_kind(std::string_view kind);

// The kinds make_backend accepts, for help texts and error messages.
inline constexpr std::string_view kBackendKinds[] = {"auto", "cuda", "cpu", "model"};

class BackendUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gs
