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

// Keeps the stream busy for about `microseconds` (a spin on %globaltimer, touching no memory), so
// that the host can enqueue a sample's launches before the GPU reaches them and the event pair
// times the GPU, not the host's launch rate. Never waits on the host: it cannot deadlock, and an
// iteration cap ends it even if the timer stalls.
void gpu_delay(double microseconds, cudaStream_t stream);

}  // namespace gs
