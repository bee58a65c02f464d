#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <algorithm>

#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/device_kernels.hpp"
#include "worker/splitmix64.hpp"

namespace gs {
namespace {

// A launch's failure is reported through the runtime's last error, which may still hold an
// earlier, unrelated failure (a call whose status was read directly, or made inside a library):
// clearing it first blames a launch only for its own errors. A sticky error is not cleared and
// is reported by the launch check, as it should be.
void discard_stale_error() { (void)cudaGetLastError(); }

__device__ __forceinline__ float uniform_pm1(std::uint64_t seed, std::uint64_t i) {
  // 24 random bits -> [0, 1) exactly representable in float, then [-1, 1).
  const auto bits = static_cast<std::uint32_t>(splitmix64(seed ^ splitmix64(i)) >> 40);
  return static_cast<float>(bits) * (2.0f / 16777216.0f) - 1.0f;
}

__device__ __forceinline__ void store(float* p, float v) { *p = v; }
__device__ __forceinline__ void store(__half* p, float v) { *p = __float2half_rn(v); }
__device__ __forceinline__ void store(__nv_bfloat16* p, float v) { *p = __float2bfloat16_rn(v); }
__device__ __forceinline__ void store(__nv_fp8_e4m3* p, float v) { *p = __nv_fp8_e4m3(v); }

template <typename T>
__global__ void fill_kernel(T* data, std::size_t count, std::uint64_t seed) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += stride)
    store(data + i, uniform_pm1(seed, i));
}

template <typename T>
void launch(void* data, std::size_t count, std::uint64_t seed, cudaStream_t stream) {
  constexpr unsigned threads = 256;
  const std::size_t wanted = (count + threads - 1) / threads;
  const auto blocks = static_cast<unsigned>(std::min<std::size_t>(wanted, 65536));
  discard_stale_error();
  fill_kernel<T><<<blocks, threads, 0, stream>>>(static_cast<T*>(data), count, seed);
  CUDA_CHECK(cudaGetLastError());
}

__device__ __forceinline__ std::uint64_t global_timer_ns() {
  std::uint64_t t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

// A hang guard for a %globaltimer that does not advance. __nanosleep may return at once, so an
// iteration is only known to take at least a cycle: 4 iterations per requested nanosecond still
// give the full delay on a GPU clocked up to 4 GHz, and bound the spin if the timer stalls.
constexpr std::uint64_t kMaxSpinIterationsPerNs = 4;

__global__ void delay_kernel(std::uint64_t nanoseconds) {
  const std::uint64_t start = global_timer_ns();
  const std::uint64_t max_iterations = kMaxSpinIterationsPerNs * nanoseconds;
  for (std::uint64_t i = 0; i < max_iterations && global_timer_ns() - start < nanoseconds; ++i)
    __nanosleep(1000);
}

// Every thread reads its share of the buffer, 16 bytes a load, bypassing L1 (ld.global.cg). The
// XOR of what it read is stored only if it equals a value the zero-filled buffer cannot give,
// which the compiler cannot know, so the loads stay and the buffer's lines stay clean.
__global__ void evict_kernel(const uint4* data, std::size_t count, unsigned* never_written) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  unsigned folded = 0;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += stride) {
    const uint4 v = __ldcg(data + i);
    folded ^= v.x ^ v.y ^ v.z ^ v.w;
  }
  if (folded == 0x9e3779b9u) *never_written = folded;
}

}  // namespace

void evict_l2(const void* buffer, std::size_t bytes, cudaStream_t stream) {
  const std::size_t count = bytes / sizeof(uint4);
  if (count == 0) return;
  constexpr unsigned threads = 256;
  const auto blocks =
      static_cast<unsigned>(std::min<std::size_t>((count + threads - 1) / threads, 8192));
  discard_stale_error();
  // The sink is the buffer's own first word: never written, since the buffer holds zeros.
  evict_kernel<<<blocks, threads, 0, stream>>>(
      static_cast<const uint4*>(buffer), count,
      const_cast<unsigned*>(static_cast<const unsigned*>(buffer)));
  CUDA_CHECK(cudaGetLastError());
}

void gpu_delay(double microseconds, cudaStream_t stream) {
  if (microseconds <= 0) return;
  discard_stale_error();
  delay_kernel<<<1, 1, 0, stream>>>(static_cast<std::uint64_t>(microseconds * 1e3));
  CUDA_CHECK(cudaGetLastError());
}

void fill_uniform(void* data, std::size_t count, DType dtype, std::uint64_t seed,
                  cudaStream_t stream) {
  if (count == 0) return;
  switch (dtype) {
    case DType::fp16:
      return launch<__half>(data, count, seed, stream);
    case DType::bf16:
      return launch<__nv_bfloat16>(data, count, seed, stream);
    case DType::fp32:
    case DType::tf32:
      return launch<float>(data, count, seed, stream);
    case DType::fp8:
      return launch<__nv_fp8_e4m3>(data, count, seed, stream);
    case DType::fp64:
      break;
  }
  throw_api_error("CUDA", "fill_uniform", "fp64 inputs are not measured by the cuda backend",
                  __FILE__, __LINE__);
}

}  // namespace gs
