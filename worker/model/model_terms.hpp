#pragma once
#include <array>

#include "worker/model/alignment_class.hpp"

namespace gs {

// The model's free terms (docs/model.md, "The terms"): what `gemmsweep fit` fits to measured
// rows, per dtype. The defaults are the hand calibration to Fig. 7a on the A100.
struct ModelTerms {
  // Share of the peak a large, aligned GEMM's main loop reaches. It enters only as a product
  // with the dtype's peak, so it is the one free factor of the compute rate.
  double compute_efficiency = 0.9;
  // Share of the HBM bandwidth that streaming stores reach (a product with the bandwidth).
  double bandwidth_efficiency = 0.87;
  // Fixed cost of one output tile besides its main loop: pipeline prologue and tile epilogue.
  double tile_overhead_s = 0.5e-6;
  // Floor of one call: launch and the first tile's latency.
  double launch_s = 3e-6;
  // How much of the memory time a long reduction hides: a tile's stores (and the next tile's
  // loads) overlap its main loop, so the memory term is exposed by 1 / (1 + q x reduction bytes).
  // 0: nothing hidden, the memory time is added whole (the hand calibration to Fig. 7a).
  double memory_overlap_per_byte = 0;
  // Widest class first; the first class whose min_bytes the GEMM reaches applies. The widest
  // class's factors are 1 by definition: compute_efficiency and bandwidth_efficiency already
  // hold its rates, so its factors would only enter as a product with them.
  std::array<AlignmentClass, 4> alignment{
      {{32, 1.0, 1.0}, {16, 1.0, 0.81}, {4, 0.76, 0.56}, {1, 0.39, 0.38}}};

  bool operator==(const ModelTerms&) const = default;
};

}  // namespace gs
