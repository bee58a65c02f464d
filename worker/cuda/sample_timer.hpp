#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>
#include <vector>

#include "worker/cuda/cuda_handles.hpp"
#include "worker/cuda/device_buffer.hpp"
#include "worker/cuda/gemm_plan.hpp"
#include "worker/cuda/operand_set.hpp"

namespace gs {

// Event-timed samples of a plan on one stream, each from a cold L2.
class SampleTimer {
 public:
  SampleTimer(cudaStream_t stream, std::uint64_t l2_bytes);

  // One sample: evict L2 (nothing cached, nothing dirty), let the GPU idle while the host enqueues,
  // then `launches` calls over the operand sets in turn. Seconds per call.
  double seconds_per_call(const GemmPlan& plan, const std::vector<OperandSet>& sets, int launches);

 private:
  cudaStream_t stream_;
  DeviceBuffer flush_;
  CudaEvent start_ = make_cuda_event(), stop_ = make_cuda_event();
};

// Launches per event pair for a plan whose one warm call took `one_call` seconds: 1, or for a
// short call enough to fill about 100 us (at least 2, at most 256).
int launches_per_sample(double one_call);

}  // namespace gs
