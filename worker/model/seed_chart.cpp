#include "worker/model/seed_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace gs {

std::vector<SeedChartReading> read_seed_chart_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open the seed chart", path.string()));
  std::vector<SeedChartReading> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#' || line.rfind("pow2_class", 0) == 0) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    SeedChartReading r;
    if (!(fields >> r.pow2_class >> r.hidden_size >> r.tflops) || r.pow2_class <= 0 ||
        r.hidden_size <= 0 || r.hidden_size % kSeedHeads != 0)
      throw std::runtime_error(fmt::format(
          "{}:{}: expected pow2_class,hidden_size,tflops with hidden_size a multiple of {}",
          path.string(), number, kSeedHeads));
    rows.push_back(r);
  }
  return rows;
}

Task seed_chart_task(std::int64_t head_dim) {
  Task t;
  t.op = Op::attention_score;
  t.point.dtype = DType::fp16;
  t.point.heads = kSeedHeads;
  t.point.head_dim = head_dim;
  t.point.hidden_size = kSeedHeads * head_dim;
  t.point.microbatch = 4;
  t.point.seq_length = 2048;
  t.point.tensor_parallel = 1;
  // attention_score: batch b*a/t, m s, n (reduction) h/a, k s (DESIGN.md section 1).
  t.shape = GemmShape{4 * kSeedHeads, 2048, head_dim, 2048};
  return t;
}

int chart_class_of(std::int64_t head_dim) {
  int c = 1;
  while (c < 64 && head_dim % (2 * c) == 0) c *= 2;
  return c;
}

double predicted_seed_chart_tflops(int cls, std::int64_t hidden_size, const GpuSpec& gpu) {
  auto tflops = [&gpu](std::int64_t d) {
    const Task t = seed_chart_task(d);
    return t.flops() / predict_seconds(t, gpu) / 1e12;
  };
  const std::int64_t d = hidden_size / kSeedHeads;
  if (chart_class_of(d) == cls) return tflops(d);
  std::int64_t lo = d - 1, hi = d + 1;
  while (lo > 1 && chart_class_of(lo) != cls) --lo;
  while (chart_class_of(hi) != cls) ++hi;
  if (chart_class_of(lo) != cls) return tflops(hi);
  const double w = static_cast<double>(d - lo) / static_cast<double>(hi - lo);
  return tflops(lo) + w * (tflops(hi) - tflops(lo));
}

}  // namespace gs
