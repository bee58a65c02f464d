#pragma once
#include <optional>
#include <string>
#include <vector>

#include "fit/fit_observation.hpp"
#include "worker/model/gpu_spec.hpp"

namespace gs {

// What `gemmsweep fit` fits: the rows, the hardware they ran on and the terms to start from.
struct FitInput {
  std::vector<FitObservation> rows;
  GpuSpec hardware;           // SMs, memory, peaks, bandwidth
  GpuSpec base;               // the terms the fit starts from (--base)
  std::string hardware_from;  // why these hardware numbers: "/devices names model:H100", ...
  std::string fingerprint;    // the results file's spec_hash, or the reference chart's job
  std::size_t rows_read = 0;  // rows of the file before the filter (ok, GEMM, converged)
};

// Reads a results file (HDF5) or a reference CSV (pow2_class,hidden_size,tflops of the seed
// job: QK^T fp16, 32 heads, microbatch 4, sequence 2048). The hardware is the GPU that /devices
// names when it is a known spec (model:H100, NVIDIA H100 80GB HBM3), else --base's; --base
// defaults to that GPU, or the A100 (the reference chart's GPU). Throws FitRefused for a file
// without `ok` GEMM rows that met the stopping rule, StoreError / JobError for an unreadable one.
FitInput read_fit_input(const std::string& path, const std::optional<std::string>& base);

// The known GPU a device name names, or nullptr: "model:H100" exactly, else a known name that is
// a word of the device's name.
const GpuSpec* known_gpu_of_device(const std::string& device_name);

}  // namespace gs
