#pragma once

namespace gs {

// The alignment class of a GEMM: the largest power of two dividing its leading dimensions, in
// bytes, from min_bytes up to the next class. Its factors slow the main loop and the stores.
struct AlignmentClass {
  int min_bytes = 1;
  double compute = 1;
  double memory = 1;

  bool operator==(const AlignmentClass&) const = default;
};

}  // namespace gs
