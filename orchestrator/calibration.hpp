#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/result_row.hpp"
#include "jobs/dtype.hpp"
#include "jobs/task.hpp"

namespace gs {

// `--calibrate`: every rank measures one reference shape at its start and at its end, so that a
// slow GPU, or one that slowed down (thermal throttling, a neighbour's job), is seen beside the
// sweep's rows. Calibration rows are stored in /results with status "calib" (the status column
// holds 8 characters), a note "calibration start" / "calibration end", and task ids from a reserved
// range (so they are never counted as finished grid tasks, and are unique per rank and run).
inline constexpr std::string_view kCalibrationStatus = "calib";
inline constexpr std::uint64_t kCalibrationPointBase = 1ull << 57;

// The reference: attention_score at 32 heads, h/a = 128 (tile-friendly), b = 4, s = 2048 for a
// GPU; a smaller sequence (256) for the cpu backend so that one sample stays well under a second.
Task calibration_task(DType dtype, std::string_view backend_kind);
// Point id of a calibration row, unique per run (its start time in seconds), rank and phase; the
// row's task id is task_id(point, op) as for any other row, far above any grid's.
std::uint64_t calibration_point_id(std::uint64_t run_stamp_s, int rank, bool end);
bool is_calibration_row(const ResultRow& row);

// What `report` says about the calibration rows of a file.
struct CalibrationFlag {
  std::string device;   // "rank 3 on host-a (NVIDIA H200)"
  std::string problem;  // "8.1% slower than the median device" / "slowed down 6.3% during the run"
};
struct CalibrationSummary {
  std::size_t devices = 0;
  double median_tflops = 0;
  double tolerance = 0.05;
  std::vector<CalibrationFlag> flags;
};
// A device is flagged when its start measurement is more than `tolerance` slower than the median
// device's, or when its end measurement is more than `tolerance` slower than its start.
CalibrationSummary summarize_calibration(const std::vector<ResultRow>& rows,
                                         double tolerance = 0.05);
std::string render_calibration(const CalibrationSummary& summary);

}  // namespace gs
