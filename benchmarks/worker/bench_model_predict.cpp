// CPU cost of one model prediction (plan and the scheduler call it for every task), and the
// model's view of a few reference GEMMs on every GPU it knows, for docs/model.md.
#include <fmt/format.h>

#include <chrono>

#include "worker/model/perf_model.hpp"
#include "worker/model/seed_chart.hpp"

int main() {
  const gs::GpuSpec& a100 = *gs::find_gpu("A100");
  constexpr int kTasks = 1024;
  constexpr int kRepeats = 200;
  double sink = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < kRepeats; ++r)
    for (int d = 1; d <= kTasks; ++d) sink += gs::predict_seconds(gs::seed_chart_task(d), a100);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("{} predictions in {:.3f} s: {:.3f} us each (checksum {:.6g})\n\n", kTasks * kRepeats,
             s, s / (kTasks * kRepeats) * 1e6, sink);

  struct Case {
    const char* what;
    gs::GemmShape shape;
    gs::DType dtype;
  };
  const Case cases[] = {
      {"8192^3 fp16", {1, 8192, 8192, 8192}, gs::DType::fp16},
      {"8192^3 bf16", {1, 8192, 8192, 8192}, gs::DType::bf16},
      {"8192^3 tf32", {1, 8192, 8192, 8192}, gs::DType::tf32},
      {"QK^T h/a=128 fp16", gs::seed_chart_task(128).shape, gs::DType::fp16},
      {"QK^T h/a=127 fp16", gs::seed_chart_task(127).shape, gs::DType::fp16},
      {"mlp_h_to_4h h=4096 b=4 s=2048 fp16", {1, 8192, 4096, 16384}, gs::DType::fp16},
  };
  fmt::print("| TFLOP/s predicted |");
  for (const gs::GpuSpec& g : gs::known_gpus()) fmt::print(" {} |", g.name);
  fmt::print("\n| --- |");
  for (std::size_t i = 0; i < gs::known_gpus().size(); ++i) fmt::print(" ---: |");
  fmt::print("\n");
  for (const Case& c : cases) {
    fmt::print("| {} |", c.what);
    for (const gs::GpuSpec& g : gs::known_gpus()) {
      const double t = gs::explain_prediction(c.shape, c.dtype, g).total_s;
      fmt::print(" {:.0f} |", c.shape.flops() / t / 1e12);
    }
    fmt::print("\n");
  }
  return 0;
}
