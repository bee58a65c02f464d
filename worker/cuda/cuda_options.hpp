#pragma once
#include <cstdint>

#include "worker/input_seed.hpp"

namespace gs {

// What the cuda backend is told. Plain data, visible to builds without CUDA (the orchestrator
// fills it either way).
struct CudaOptions {
  int device_index = 0;   // which visible device (from the node-local rank)
  bool autotune = false;  // time cuBLASLt's top algorithms, keep the best
  int ranks_per_gpu = 1;  // ranks sharing this device (each counts on its share of free memory)
  std::uint64_t seed = kInputSeed;
};

}  // namespace gs
