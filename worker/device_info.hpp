#pragma once
#include <cstdint>
#include <string>

namespace gs {

// One row of /devices: what measured. GPU fields are empty / zero for the cpu and model backends.
struct DeviceInfo {
  std::string backend;  // cuda | cpu | model
  std::string name;     // "NVIDIA H200", CPU model string, or "model:A100"
  std::string uuid;
  std::string host;
  int rank = 0;
  std::string compute_capability;  // "9.0"
  int sm_count = 0;
  std::uint64_t memory_bytes = 0;
  double sm_clock_max_mhz = 0;
  double mem_clock_max_mhz = 0;
  std::string driver_version;
  std::string runtime_version;
  std::string blas_version;  // cuBLAS or OpenBLAS version
  int threads = 0;           // cpu backend: BLAS threads of this rank
};

}  // namespace gs
