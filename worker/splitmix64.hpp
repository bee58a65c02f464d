#pragma once
#include <cstdint>

// Callable from host code and from CUDA kernels alike: nvcc compiles it for both sides.
#if defined(__CUDACC__)
#define GS_HOST_DEVICE __host__ __device__
#else
#define GS_HOST_DEVICE
#endif

namespace gs {

inline constexpr std::uint64_t kSplitmix64Gamma = 0x9e3779b97f4a7c15ULL;

// SplitMix64 (Steele, Lea and Flood 2014) of one counter value: a cheap hash with full avalanche,
// so that seeds that differ in one bit give unrelated fills. Plain C++17, for the .cu files.
GS_HOST_DEVICE constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += kSplitmix64Gamma;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The generator form: the next value of the stream in `state`, which it advances.
GS_HOST_DEVICE constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
  const std::uint64_t value = splitmix64(state);
  state += kSplitmix64Gamma;
  return value;
}

}  // namespace gs
