#include "worker/cuda/sample_timer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/device_kernels.hpp"

namespace gs {
namespace {

// A warm call shorter than this is timed in batches of launches per event pair...
constexpr double kShortCallSeconds = 20e-6;
// ... enough of them to fill about this long, at most kMaxLaunchesPerSample.
constexpr double kBatchedSampleSeconds = 100e-6;
constexpr int kMaxLaunchesPerSample = 256;
// The GPU idles this long per queued launch before a sample's start event (plus a floor), so
// that the host has enqueued the whole sample before the GPU runs it. cuBLAS enqueues a call in a
// few microseconds.
constexpr double kDelayPerLaunchUs = 10.0;
constexpr double kDelayFloorUs = 20.0;
constexpr double kDelayCapUs = 4000.0;

}  // namespace

// Twice the L2, a whole number of 16-byte loads: reading it before every sample leaves none of
// the previous sample's operands in the cache, and no dirty line (nvbench memsets one L2's worth,
// which leaves that much dirty, to be written back inside the timed call). Zeroed once here, and
// that memset's own dirty lines evicted by a first pass, before any sample.
SampleTimer::SampleTimer(cudaStream_t stream, std::uint64_t l2_bytes)
    : stream_(stream), flush_(std::max<std::size_t>(2 * l2_bytes, std::size_t{1} << 20) / 16 * 16) {
  CUDA_CHECK(cudaMemsetAsync(flush_.get(), 0, flush_.size(), stream_));
  evict_l2(flush_.get(), flush_.size(), stream_);
  synchronize(stream_);
}

double SampleTimer::seconds_per_call(const GemmPlan& plan, const std::vector<OperandSet>& sets,
                                     int launches) {
  evict_l2(flush_.get(), flush_.size(), stream_);
  gpu_delay(std::min(kDelayCapUs, kDelayFloorUs + kDelayPerLaunchUs * launches), stream_);
  record(start_.get(), stream_);
  for (int i = 0; i < launches; ++i)
    plan.launch(sets[static_cast<std::size_t>(i) % sets.size()].operands());
  record(stop_.get(), stream_);
  CUDA_CHECK(cudaEventSynchronize(stop_.get()));
  return seconds_between(start_.get(), stop_.get()) / launches;
}

int launches_per_sample(double one_call) {
  if (!(one_call < kShortCallSeconds)) return 1;
  const int launches =
      static_cast<int>(std::ceil(kBatchedSampleSeconds / std::max(one_call, 1e-7)));
  return std::clamp(launches, 2, kMaxLaunchesPerSample);
}

}  // namespace gs
