#pragma once
#include <span>

namespace gs {

// One built-in GPU spec file (worker/model/gpus/*.toml) as compiled into the binary.
struct BuiltinGpuSpecText {
  const char* file;  // "A100.toml"
  const char* text;  // the file's TOML, parsed by parse_gpu_spec
};

// The shipped specs in catalog order (V100, A100, H100, H200, MI250X); generated at build time
// by cmake/EmbedGpuSpecs.cmake.
std::span<const BuiltinGpuSpecText> builtin_gpu_spec_texts();

}  // namespace gs
