#pragma once
#include <cstdint>

#include "worker/input_seed.hpp"

namespace gs {

// What the cpu backend is told by the orchestrator.
struct CpuOptions {
  int threads = 0;        // BLAS threads, 0 = all cores of the node
  int ranks_on_node = 1;  // ranks sharing the node's memory (each counts on its share)
  // Inputs rotate over buffers whose total exceeds this many bytes, so that samples do not
  // measure a warm cache; 0 = the last-level cache size read from sysfs.
  std::uint64_t cache_bytes = 0;
  std::uint64_t seed = kInputSeed;
};

}  // namespace gs
