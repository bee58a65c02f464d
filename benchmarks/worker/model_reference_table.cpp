// Prints docs/model.md's table: every reading of the seed chart, the model's A100 prediction and
// the error.   model_reference_table [CSV]
#include <fmt/format.h>

#include <cmath>
#include <exception>

#include "worker/model/seed_chart.hpp"

int main(int argc, char** argv) try {
  const char* csv = argc > 1 ? argv[1]
                             : GEMMSWEEP_SOURCE_DIR
                        "/tests/worker/data/fig7a_attention_score_a32_a100.csv";
  const gs::GpuSpec& a100 = *gs::find_gpu("A100");
  fmt::print("| class | h | h/a | read TFLOP/s | predicted | error |\n");
  fmt::print("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
  double worst = 0, squares = 0;
  int n = 0;
  for (const gs::SeedChartReading& r : gs::read_seed_chart_csv(csv)) {
    const double p = gs::predicted_seed_chart_tflops(r.pow2_class, r.hidden_size, a100);
    const double e = (p - r.tflops) / r.tflops;
    worst = std::max(worst, std::fabs(e));
    squares += e * e;
    ++n;
    fmt::print("| {} | {} | {} | {:.0f} | {:.1f} | {:+.1f}% |\n", r.pow2_class, r.hidden_size,
               r.hidden_size / gs::kSeedHeads, r.tflops, p, 100 * e);
  }
  fmt::print("\n{} points, largest error {:.1f}%, rms {:.1f}%\n", n, 100 * worst,
             100 * std::sqrt(squares / n));
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "model_reference_table: {}\n", e.what());
  return 1;
}
