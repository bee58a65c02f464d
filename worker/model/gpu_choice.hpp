#pragma once
#include <optional>
#include <string>

#include "worker/model/gpu_spec.hpp"

namespace gs {

// What a command was told about the GPU to model: --gpu NAME (a built-in spec), --gpu-spec FILE
// (a spec file, e.g. one `gemmsweep fit` wrote), or neither, when the job file's [run] gpu (or
// the default, A100) applies. plan, run, and advise resolve it through resolve_gpu_choice.
struct GpuChoice {
  std::optional<std::string> name;          // --gpu
  std::optional<std::string> spec_path;     // --gpu-spec
  std::string default_name = "A100";        // [run] gpu
  std::string default_where = "[run] gpu";  // names the default in errors: "job.toml: [run] gpu"
};

// The spec the choice names. Throws JobError (exit status 2 on the command line) naming the
// option, the value and what is allowed: an unknown name, both options at once, a spec file
// that cannot be read.
GpuSpec resolve_gpu_choice(const GpuChoice& choice);

}  // namespace gs
