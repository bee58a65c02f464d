#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include "jobs/task.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {

// The seed chart, Fig. 7a of arXiv:2401.14489: QK^T (attention_score) in fp16 with 32 heads,
// microbatch 4, sequence length 2048, tensor parallel 1, head_dim = h / 32; one line per
// pow2_class, the largest power of two dividing head_dim, capped at 64.
inline constexpr std::int64_t kSeedHeads = 32;

struct SeedChartReading {
  int pow2_class = 0;
  std::int64_t hidden_size = 0;
  double tflops = 0;
};

// Reads pow2_class,hidden_size,tflops rows ('#' comments and the header skipped). Throws
// std::runtime_error naming the file and line when it cannot be read or a row is malformed.
std::vector<SeedChartReading> read_seed_chart_csv(const std::filesystem::path& path);

// The seed job's task at one head dimension.
Task seed_chart_task(std::int64_t head_dim);
// The chart's pow2_class of a head dimension (io/report.hpp's pow2_class, for the model).
int chart_class_of(std::int64_t head_dim);

// The model's value of a class's line at x = hidden_size: the prediction at head_dim = h / 32
// when that head_dim is of the class, else the straight line between the class's nearest points
// either side (the figure draws each class as a line through its own points, so a reading of a
// class at an x where the class has no point is read off that line).
double predicted_seed_chart_tflops(int pow2_class, std::int64_t hidden_size, const GpuSpec& gpu);

}  // namespace gs
