#include "worker/model/gpu_choice.hpp"

#include <fmt/format.h>

#include "jobs/job_error.hpp"
#include "worker/model/gpu_spec_document.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {

GpuSpec resolve_gpu_choice(const GpuChoice& choice) {
  if (choice.name && choice.spec_path)
    throw JobError("--gpu", 0, "",
                   fmt::format("'{}' and --gpu-spec '{}' both name the GPU; give one of them",
                               *choice.name, *choice.spec_path));
  if (choice.spec_path) {
    if (choice.spec_path->empty())
      throw JobError("--gpu-spec", 0, "", "the file name is empty; allowed: a GPU spec file");
    return read_gpu_spec_file(*choice.spec_path).gpu;
  }
  const std::string& name = choice.name ? *choice.name : choice.default_name;
  const GpuSpec* gpu = find_gpu(name);
  if (!gpu)
    throw JobError(
        choice.name ? "--gpu" : choice.default_where, 0, "",
        fmt::format("unknown GPU '{}'; known: {} (or --gpu-spec FILE)", name, known_gpu_names()));
  return *gpu;
}

}  // namespace gs
