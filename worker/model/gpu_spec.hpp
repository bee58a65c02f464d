#pragma once
#include <map>
#include <string>
#include <vector>

#include "jobs/dtype.hpp"
#include "worker/model/model_terms.hpp"
#include "worker/model/tile_shape.hpp"

namespace gs {

// A GPU as the analytic model sees it: datasheet figures (DESIGN.md section 1) and the model's
// free terms. The built-in GPUs are spec files (worker/model/gpus/*.toml) embedded at build time;
// `gemmsweep fit` writes the same format (docs/model.md, "GPU spec files").
struct GpuSpec {
  std::string name;        // "A100", "H100", "H200", "V100", "MI250X", or a fitted spec's name
  double peak_tflops = 0;  // dense fp16/bf16 tensor-core TFLOP/s
  int sm_count = 0;
  double bandwidth_tbs = 0;  // HBM TB/s
  double memory_gib = 0;
  // Peaks of the other dtypes; 0 = not supported by the hardware (the model then falls back:
  // tf32 -> fp32, fp8 -> fp16, bf16 -> fp32, and the model backend skips fp8 / bf16).
  double tf32_tflops = 0;
  double fp32_tflops = 0;
  double fp64_tflops = 0;
  double fp8_tflops = 0;
  bool has_bf16 = true;
  // The SM clock behind the datasheet peaks and the clock sustained under load, MHz; 0 = not
  // recorded. The compute ceiling is peak x sustained / boost (docs/model.md, "Clocks"): with no
  // measured sustained clock the ratio is 1 and compute_efficiency holds the whole share.
  double boost_clock_mhz = 0;
  double sustained_clock_mhz = 0;
  // The kernels' output tiles the model picks from (docs/model.md, "Tile menu").
  std::vector<TileShape> tiles = default_tile_menu();
  // The library also has stream-K kernels: a partial last wave's tiles are spread over every
  // SM instead of costing a whole wave, where that is faster (docs/model.md, "Stream-K").
  bool stream_k = false;
  // The terms of every dtype without its own entry in dtype_terms.
  ModelTerms terms;
  // Terms fitted for one dtype (`gemmsweep fit` fits each dtype on its own rows).
  std::map<DType, ModelTerms> dtype_terms;

  const ModelTerms& terms_for(DType dtype) const {
    const auto it = dtype_terms.find(dtype);
    return it == dtype_terms.end() ? terms : it->second;
  }
  // Sustained over boost clock: 1 unless both are recorded.
  double clock_ratio() const {
    return boost_clock_mhz > 0 && sustained_clock_mhz > 0 ? sustained_clock_mhz / boost_clock_mhz
                                                          : 1.0;
  }
  bool operator==(const GpuSpec&) const = default;
};

}  // namespace gs
