#pragma once
#include <cstddef>

#include "worker/cuda/cuda_handles.hpp"

namespace gs {

// Device memory from cudaMalloc (never managed memory: see docs/gpu-check.md) with its size.
// Move-only, as its memory is.
struct DeviceBuffer {
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t size);

  void* get() const { return memory.get(); }
  std::byte* bytes_ptr() const { return static_cast<std::byte*>(memory.get()); }
  std::size_t size() const { return bytes; }

  DeviceMemory memory;
  std::size_t bytes = 0;
};

}  // namespace gs
