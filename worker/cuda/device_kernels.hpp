#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "jobs/dtype.hpp"

namespace gs {

// Fills `count` input elements of `dtype` (fp32 storage for tf32, e4m3 for fp8) with values
// uniform in [-1, 1) from a counter hash of (seed, index): fresh, reproducible, never all zeros,
// and without cuRAND. Asynchronous on `stream`; launch errors throw ApiError.
void fill_uniform(void* data, std::size_t count, DType dtype, std::uint64_t seed,
                  cudaStream_t stream);

// Reads `bytes` of `buffer` (which holds zeros) through L2 and writes nothing, so that every
// line the previous work left in L2, dirty ones included, is evicted, and written back, before
// this kernel ends: with a buffer of twice the L2 nothing of the previous sample is cached and
// nothing dirty is left to be written back inside the next timed interval (a memset flush would
// leave an L2 of its own dirty lines). Asynchronous on `stream`; launch errors throw ApiError.
void evict_l2(const void* buffer, std::size_t bytes, cudaStream_t stream);

// Keeps the stream busy for about `microseconds` (a spin on %globaltimer, touching no memory), so
// that the host can enqueue a sample's launches before the GPU reaches them and the event pair
// times the GPU, not the host's launch rate. Never waits on the host: it cannot deadlock, and an
// iteration cap ends it even if the timer stalls.
void gpu_delay(double microseconds, cudaStream_t stream);

}  // namespace gs
