// The GPUs the analytic model knows: the spec files of worker/model/gpus/, compiled into the
// binary (cmake/EmbedGpuSpecs.cmake) and parsed once, on first use.
#include <algorithm>
#include <cctype>

#include "worker/model/builtin_gpu_specs.hpp"
#include "worker/model/gpu_spec_document.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {

const std::vector<GpuSpec>& known_gpus() {
  static const std::vector<GpuSpec> gpus = [] {
    std::vector<GpuSpec> v;
    for (const BuiltinGpuSpecText& s : builtin_gpu_spec_texts())
      v.push_back(parse_gpu_spec(s.text, std::string("built-in ") + s.file).gpu);
    return v;
  }();
  return gpus;
}

const GpuSpec* find_gpu(std::string_view name) {
  auto same = [name](const GpuSpec& g) {
    return std::equal(g.name.begin(), g.name.end(), name.begin(), name.end(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) ==
             std::tolower(static_cast<unsigned char>(b));
    });
  };
  const auto& gpus = known_gpus();
  const auto it = std::find_if(gpus.begin(), gpus.end(), same);
  return it == gpus.end() ? nullptr : &*it;
}

std::string known_gpu_names() {
  std::string names;
  for (const GpuSpec& g : known_gpus()) names += (names.empty() ? "" : ", ") + g.name;
  return names;
}

}  // namespace gs
