#pragma once
#include <cstdint>
#include <map>
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

struct DeviceMedian {
  std::string host;
  std::int32_t rank = 0;
  std::string device;
  std::size_t rows = 0;
  double median_tflops = 0;
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
  std::vector<DeviceMedian> devices;
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

}  // namespace gs
