#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace gs {

// What the CUDA runtime says about one device (CUDA 13 dropped the clock fields of
// cudaDeviceProp, so clocks come from cudaDeviceGetAttribute).
struct CudaDeviceProps {
  int index = 0;
  std::string name;
  std::string uuid;        // "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as NVML and nvidia-smi
  std::string pci_bus_id;  // "0000:3b:00.0"
  int cc_major = 0;
  int cc_minor = 0;
  int sm_count = 0;
  std::uint64_t memory_bytes = 0;
  std::uint64_t l2_bytes = 0;
  double sm_clock_max_mhz = 0;
  double mem_clock_max_mhz = 0;
};

// Throws ApiError when the runtime cannot answer.
CudaDeviceProps query_device_props(int device);

// Makes `device` (a visible index) the calling thread's current device and creates its primary
// context now, where a failure is expected, rather than inside the first timed call. Every user
// of a device (the backend, the NCCL runner) selects it through here before each piece of work:
// the thread may have been moved to another device since. Returns `device`; throws ApiError.
int select_device(int device);

std::string format_gpu_uuid(const std::array<unsigned char, 16>& bytes);
// 13000 -> "13.0", 12040 -> "12.4" (cudaRuntimeGetVersion / cudaDriverGetVersion encoding).
std::string format_cuda_version(int version);

}  // namespace gs
