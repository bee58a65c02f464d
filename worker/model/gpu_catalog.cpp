// Datasheet figures of the GPUs the analytic model knows (DESIGN.md section 1): dense tensor-core
// peaks, SM (or CU) counts, HBM bandwidth and memory. MI250X is one GCD of the package.
#include <algorithm>
#include <cctype>

#include "worker/model/perf_model.hpp"

namespace gs {

const std::vector<GpuSpec>& known_gpus() {
  static const std::vector<GpuSpec> gpus = [] {
    std::vector<GpuSpec> v;
    GpuSpec g;
    g = {};
    g.name = "V100";
    g.peak_tflops = 125;
    g.sm_count = 80;
    g.bandwidth_tbs = 0.9;
    g.memory_gib = 32;
    g.fp32_tflops = 15.7;
    g.fp64_tflops = 7.8;
    g.has_bf16 = false;
    v.push_back(g);

    g = {};
    g.name = "A100";
    g.peak_tflops = 312;
    g.sm_count = 108;
    g.bandwidth_tbs = 2.0;
    g.memory_gib = 80;
    g.tf32_tflops = 156;
    g.fp32_tflops = 19.5;
    g.fp64_tflops = 19.5;
    v.push_back(g);

    g = {};
    g.name = "H100";
    g.peak_tflops = 989;
    g.sm_count = 132;
    g.bandwidth_tbs = 3.35;
    g.memory_gib = 80;
    g.tf32_tflops = 494.5;
    g.fp32_tflops = 67;
    g.fp64_tflops = 67;
    g.fp8_tflops = 1979;
    g.compute_efficiency = 0.85;
    v.push_back(g);

    g.name = "H200";
    g.bandwidth_tbs = 4.8;
    g.memory_gib = 141;
    v.push_back(g);

    g = {};
    g.name = "MI250X";
    g.peak_tflops = 191.5;
    g.sm_count = 110;
    g.bandwidth_tbs = 1.6;
    g.memory_gib = 64;
    g.fp32_tflops = 47.9;  // matrix cores, per GCD
    g.fp64_tflops = 47.9;
    g.compute_efficiency = 0.8;
    v.push_back(g);
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
