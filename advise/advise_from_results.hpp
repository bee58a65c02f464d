#pragma once
#include <optional>
#include <ostream>
#include <string>

#include "advise/advise_job.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {

struct AdviseOptions {
  // The model's GPU (predictions, cpu's memory check), from --gpu, --gpu-spec or [run] gpu.
  GpuSpec gpu = *find_gpu("A100");
  bool predict_missing = false;             // predict products the file lacks, flagging them
  std::optional<std::string> device;        // the device type to rank from, in a mixed file
  std::optional<std::string> blas_version;  // the cuBLAS / OpenBLAS version, likewise
};

// Ranks the job's candidates from the ok rows of `results`, prints the advice to `out` and
// writes /advice into the file. Throws AdviseError for a file of several device types or BLAS
// versions (unless one is chosen) or one that holds no row for any candidate, before anything is
// written.
void advise_from_results(const AdviseJob& job, const std::string& results,
                         const AdviseOptions& options, std::ostream& out);

}  // namespace gs
