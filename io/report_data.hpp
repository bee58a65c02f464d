#pragma once
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "io/results_file.hpp"

namespace gs {

// What `gemmsweep report` shows, computed once and rendered as table, csv or json.
struct ShapeSummary {
  std::string op;
  const ResultRow* row = nullptr;
};

struct ClassMean {
  std::string op;
  int pow2_class = 0;
  std::size_t rows = 0;
  double mean_tflops = 0;
};

// One device on equal work: only the shapes (op, dtype, batch, m, n, k) that it and at least
// one other device measured (ok or calibration rows). Comparing medians over all rows would
// compare different shapes: ranks of one sweep measure different parts of the grid.
struct DeviceComparison {
  std::string host;
  std::int32_t rank = 0;
  std::string device;
  std::size_t shared_shapes = 0;  // shapes it measured that other devices measured too
  // Median over those shapes of its TFLOP/s over the shape's median TFLOP/s across devices:
  // 1.0 is a typical device, 0.9 one 10% slower on the same work.
  double relative_speed = 0;
  double median_tflops = 0;  // its median over the shared shapes
};

// Ok rows of one (op, power-of-two class of h/a; 0 for raw shapes) that the stopping rule did
// not let converge: a limit (max_samples, max_seconds_per_point) cut them first.
struct UnconvergedGroup {
  std::string op;
  int pow2_class = 0;
  std::size_t rows = 0;         // ok rows of the group
  std::size_t unconverged = 0;  // of which not converged
  double worst_rel_ci = 0;      // largest rel_ci among them (inf: fewer than 6 samples)
  std::map<std::string, std::size_t> stop_reasons;  // stop_reason -> rows ("" unknown)
};

struct OpRecommendation {
  std::string op;
  int best_class = 0;         // the pow2 class with the highest mean TFLOP/s
  int recommended_class = 0;  // smallest class whose mean is within 5% of best_class's
  double best_tflops = 0;
  std::vector<std::int64_t> head_dims;  // head_dims of rows within 5% of the op's best row
};

// Collective rows of one (op, dtype, group_size, message_bytes): medians of the ok rows.
struct CommBandwidth {
  std::string op, dtype;
  std::int64_t group_size = 0, message_bytes = 0;
  std::size_t rows = 0;
  double time_s = 0, algbw_gbs = 0, busbw_gbs = 0;
};

struct ReportData {
  std::map<std::string, std::string> run;  // job_name, backend, created, finished, complete ...
  std::map<std::string, std::size_t> status_counts;
  std::vector<ShapeSummary> best, worst;  // one per op with ok rows
  std::vector<ClassMean> classes;
  // Devices that measured ok rows, and their comparison on equal work; `device_note` says why
  // there is none when several devices share no shape.
  std::size_t measuring_devices = 0;
  std::vector<DeviceComparison> devices;
  std::string device_note;
  std::vector<UnconvergedGroup> unconverged;  // groups with at least one unconverged row
  std::size_t unconverged_rows = 0, ok_rows = 0;
  std::vector<const ResultRow*> throttled;
  std::vector<OpRecommendation> recommendations;
  // Collectives, which the TFLOP/s sections above leave out; sorted by op, dtype, group, bytes.
  std::vector<CommBandwidth> bandwidth;
};

inline constexpr double kRecommendTolerance = 0.05;
inline constexpr const char* kRecommendRule =
    "recommended head_dim: a multiple of the smallest power-of-two class (largest power of two "
    "dividing h/a, capped at 64) whose mean TFLOP/s is within 5% of the best class; listed "
    "head_dims are those within 5% of the op's best TFLOP/s";

ReportData summarize_results(const ResultsFile& file);
// Writes the report as one JSON object (io/report_json.cpp).
void write_report_json(const ReportData& data, std::ostream& out);
// The median (mean of the middle two for an even count); 0 for none.
double median_of(std::vector<double> values);
// The parts of summarize_results on their own (io/report_devices.cpp,
// io/report_convergence.cpp).
void compare_devices(const std::vector<ResultRow>& rows, ReportData& data);
void count_unconverged(const std::vector<ResultRow>& rows, ReportData& data);

}  // namespace gs
