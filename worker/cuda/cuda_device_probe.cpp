#include <cuda_runtime_api.h>

#include "worker/cuda/cuda_backend.hpp"

namespace gs {

int cuda_device_count() noexcept {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return count;
}

bool cuda_device_available() noexcept {
  int count = 0;
  // Without a driver the runtime answers cudaErrorInsufficientDriver or cudaErrorNoDevice here;
  // it does not abort. Clear the error so that it does not surface in a later, unrelated check.
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return count > 0;
}

}  // namespace gs
