#include "worker/cuda/device_props.hpp"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "worker/cuda/cuda_check.hpp"

namespace gs {

std::string format_gpu_uuid(const std::array<unsigned char, 16>& b) {
  return fmt::format(
      "GPU-{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
      "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
      b[15]);
}

std::string format_cuda_version(int version) {
  return fmt::format("{}.{}", version / 1000, (version % 1000) / 10);
}

int select_device(int device) {
  CUDA_CHECK(cudaSetDevice(device));
  CUDA_CHECK(cudaFree(nullptr));  // a no-op that creates the primary context if there is none
  return device;
}

CudaDeviceProps query_device_props(int device) {
  cudaDeviceProp prop{};
  CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  CudaDeviceProps p;
  p.index = device;
  p.name = prop.name;
  std::array<unsigned char, 16> uuid{};
  static_assert(sizeof prop.uuid.bytes == 16);
  std::memcpy(uuid.data(), prop.uuid.bytes, uuid.size());
  p.uuid = format_gpu_uuid(uuid);
  std::array<char, 32> bus{};
  CUDA_CHECK(cudaDeviceGetPCIBusId(bus.data(), static_cast<int>(bus.size()), device));
  p.pci_bus_id = bus.data();
  p.cc_major = prop.major;
  p.cc_minor = prop.minor;
  p.sm_count = prop.multiProcessorCount;
  p.memory_bytes = prop.totalGlobalMem;
  p.l2_bytes = static_cast<std::uint64_t>(std::max(prop.l2CacheSize, 0));
  int khz = 0;
  if (cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, device) == cudaSuccess)
    p.sm_clock_max_mhz = khz / 1000.0;
  if (cudaDeviceGetAttribute(&khz, cudaDevAttrMemoryClockRate, device) == cudaSuccess)
    p.mem_clock_max_mhz = khz / 1000.0;
  cudaGetLastError();  // an unsupported attribute must not leave a sticky-looking error behind
  return p;
}

}  // namespace gs
