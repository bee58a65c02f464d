#include "worker/cuda/device_buffer.hpp"

namespace gs {

DeviceBuffer::DeviceBuffer(std::size_t size) : bytes(size) {
  if (size == 0) return;
  void* p = nullptr;
  CUDA_CHECK(cudaMalloc(&p, size));
  memory = DeviceMemory(p);
}

}  // namespace gs
