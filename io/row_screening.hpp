#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "io/result_row.hpp"

namespace gs {

// The rows a reader may rely on, and what it left out of a forged or damaged file: a second row
// of the same task (a writer keeps one per task id; calibration rows excepted), and ok rows whose
// time or TFLOP/s is not finite and positive (NaN belongs only in the optional telemetry columns).
struct ScreenedRows {
  std::vector<const ResultRow*> kept;  // in file order; unwritten rows are left out too
  std::size_t duplicates = 0;
  std::size_t invalid_ok = 0;
  std::size_t ignored() const { return duplicates + invalid_ok; }
  // "3 duplicate task id(s), 1 ok row(s) with a non-finite or non-positive time or TFLOP/s",
  // or empty when nothing was left out.
  std::string describe() const;
};

// Whether an ok row's numbers can be shown: time_s, and for GEMMs tflops, finite and positive.
bool has_valid_measurement(const ResultRow& row);

ScreenedRows screen_rows(const std::vector<ResultRow>& rows);

}  // namespace gs
