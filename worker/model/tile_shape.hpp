#pragma once
#include <vector>

namespace gs {

// One output tile of the model's kernel menu (docs/model.md, "Tile menu"): the model, like
// cuBLAS's heuristic, picks the tile with the least compute time.
struct TileShape {
  int m = 128;              // rows of C
  int n = 128;              // columns of C
  double efficiency = 1.0;  // main-loop share of the SM's peak: small tiles reuse less
  int ctas_per_sm = 1;      // tiles resident at once on one SM

  bool operator==(const TileShape&) const = default;
};

// The menu of every spec without a `tiles` array: the Ampere menu set by hand for the Fig. 7a
// calibration. Largest tiles first: among tiles of equal time the first is kept.
inline std::vector<TileShape> default_tile_menu() {
  return {{256, 128, 1.0, 1}, {128, 256, 1.0, 1}, {128, 128, 0.97, 2},
          {128, 64, 0.90, 2}, {64, 128, 0.90, 2}, {64, 64, 0.80, 4}};
}

}  // namespace gs
