#pragma once
#include <cstdint>

#include "worker/input_seed.hpp"

namespace gs {

// What the cuda backend is told. Plain data, visible to builds without CUDA (the orchestrator
// fills it either way).
struct CudaOptions {
  int device_index = 0;   // which visible device (from the node-local rank)
  bool autotune = false;  // time cuBLASLt's top algorithms, keep the best
  std::uint64_t seed = kInputSeed;
};

}  // namespace gs
