#pragma once
#include <memory>
#include <string_view>

#include "worker/backend.hpp"
#include "worker/cuda/result_check.hpp"

namespace gs {

// True when the CUDA runtime sees at least one device. Never throws and never aborts: on a machine
// without a driver cudaGetDeviceCount fails and this answers false.
bool cuda_device_available() noexcept;
// Devices the CUDA runtime shows this process (after CUDA_VISIBLE_DEVICES); 0 without a driver.
int cuda_device_count() noexcept;

// The cuda backend on options.device_index (a visible device). Throws BackendUnavailable, naming
// the reason, when there is no usable device (no driver, no GPU, index out of range, context
// creation failed).
std::unique_ptr<Backend> make_cuda_backend(const CudaOptions& options);

// cuBLAS strided-batched GEMMs in torch.bmm's layout (cuBLASLt for fp8 and --autotune), timed
// with CUDA events under the shared stopping rule (worker/sampler.hpp): fresh random inputs per
// task, L2 flushed before every sample, short products batched per event pair over rotated inputs,
// each shape class checked once against a float64 host reference, NVML readings around each point.
// See docs/gpu-check.md. One object per device; not thread-safe.
class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(const CudaOptions& options);  // throws ApiError; see make_cuda_backend
  ~CudaBackend() override;
  CudaBackend(const CudaBackend&) = delete;
  CudaBackend& operator=(const CudaBackend&) = delete;

  std::string_view kind() const override { return "cuda"; }
  DeviceInfo device_info() const override;
  Measurement measure(const Task& task, const TimingSettings& timing) override;

  // Runs the task's product once on fresh inputs and compares `samples` output elements with a
  // float64 host reference: what measure() does once per shape class, exposed for the GPU tests.
  // An unsupported task (see measure's skips) returns checked == 0 and its reason in detail.
  CheckOutcome check_output(const Task& task, int samples);

  // NVML readings now (zeros when NVML is absent) and whether NVML answered at all.
  DeviceReadings read_device() const;
  bool nvml_available() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace gs
