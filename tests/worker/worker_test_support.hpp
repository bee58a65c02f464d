#pragma once
// Builders of the worker's value types, shared by the tests of the layers that carry them
// (io stores them, the orchestrator sends them between ranks).
#include <string>

#include "worker/device_info.hpp"
#include "worker/measurement.hpp"

namespace gs::testing {

inline DeviceInfo sample_device(int rank, const std::string& host = "node0") {
  DeviceInfo d;
  d.backend = "cuda";
  d.name = "NVIDIA H200";
  d.uuid = "GPU-0000-" + std::to_string(rank);
  d.host = host;
  d.rank = rank;
  d.compute_capability = "9.0";
  d.sm_count = 132;
  d.memory_bytes = 150754820096ull;
  d.sm_clock_max_mhz = 1980;
  d.mem_clock_max_mhz = 3201;
  d.driver_version = "570.86.15";
  d.runtime_version = "12.8";
  d.blas_version = "cuBLAS 12.8.3";
  d.threads = 0;
  return d;
}

// An ok measurement whose fields all differ from their defaults, so that a field lost on the way
// (packing, row building) shows.
inline Measurement sample_measurement() {
  Measurement m;
  m.status = TaskStatus::ok;
  m.samples = 42;
  m.time_s = 2e-3;
  m.time_min_s = 1.9e-3;
  m.time_mean_s = 2.1e-3;
  m.time_std_s = 1e-5;
  m.rel_ci = 0.01;
  m.converged = true;
  m.launches_per_sample = 8;
  m.message = "launches batched x8";
  m.compute_dtype = "fp32";
  m.algo = "algo 3";
  m.before = {1980, 3201, 40, 300, 0x1};
  m.after = {1900, 3201, 50, 650, 0x20};
  return m;
}

}  // namespace gs::testing
