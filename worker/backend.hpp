#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "jobs/task.hpp"
#include "jobs/timing_settings.hpp"
#include "worker/cpu/cpu_options.hpp"
#include "worker/cuda/cuda_options.hpp"
#include "worker/device_info.hpp"
#include "worker/measurement.hpp"
#include "worker/model/model_options.hpp"

namespace gs {

// Each backend's own options; make_backend hands the chosen backend its part only.
struct BackendOptions {
  CudaOptions cuda;
  CpuOptions cpu;
  ModelOptions model;
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
