// Expanding and ranking a large [advise] table (docs/performance.md): parse, expand and dedup,
// then rank every candidate from rows of its distinct GEMMs (predicted by the model, as a
// finished sweep's rows would be). Also the distinct-GEMM ratio of the shipped examples.
#include <fmt/format.h>

#include <chrono>

#include "advise/advise_job.hpp"
#include "advise/ranking.hpp"
#include "worker/model/perf_model.hpp"

namespace {

constexpr const char* kLargeTable = R"(name = "bench-advise"
dtype = "fp16"
[advise]
params = { target = 1e10, tolerance = 0.9 }
hidden_size = { start = 1024, stop = 8192, step = 64 }
head_dim = [64, 128]
layers = { start = 8, stop = 96, step = 2 }
vocab_size = [32000, 50257]
pad_vocab_to = [1, 64]
microbatch = [1, 2, 4, 8]
seq_length = [2048, 4096]
)";

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Rows for every distinct product, as a sweep on the model backend would write them.
std::vector<gs::ResultRow> model_rows(const gs::AdviseJob& job, const gs::GpuSpec& gpu) {
  std::vector<gs::ResultRow> rows;
  rows.reserve(job.plan.products.size());
  for (const gs::DistinctProduct& p : job.plan.products) {
    gs::Task t;
    t.op = p.op;
    t.point = p.point;
    t.shape = p.shape;
    gs::ResultRow r;
    r.op = std::string(gs::to_string(p.op));
    r.dtype = std::string(gs::to_string(p.point.dtype));
    r.batch = p.shape.batch;
    r.m = p.shape.m;
    r.n = p.shape.n;
    r.k = p.shape.k;
    r.time_s = gs::predict_seconds(t, gpu);
    r.status = "ok";
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  const gs::GpuSpec& a100 = *gs::find_gpu("A100");
  auto t0 = std::chrono::steady_clock::now();
  const gs::AdviseJob job = gs::parse_advise_job_text(kLargeTable, "bench.toml");
  const double expand_s = seconds_since(t0);
  const std::vector<gs::ResultRow> rows = model_rows(job, a100);
  t0 = std::chrono::steady_clock::now();
  const gs::ProductTimes times = gs::ProductTimes::from_rows(rows);
  gs::TimeSource source;
  source.times = &times;
  source.allreduce_bus_gbs = 230;
  const gs::Advice advice = gs::rank_candidates(job.plan, job.advise, source, [&a100](gs::DType d) {
    return gs::DeviceFacts{gs::peak_tflops_for(d, a100), a100.memory_gib * double(1ull << 30),
                           "A100"};
  });
  const double rank_s = seconds_since(t0);
  fmt::print(
      "large table: {} combinations, {} candidates, {} distinct GEMMs of {} products\n"
      "  parse + expand + dedup: {:.3f} s\n  rows -> times + rank:   {:.3f} s ({} ranked)\n"
      "  total:                  {:.3f} s\n",
      job.plan.considered, job.plan.candidates.size(), job.plan.products.size(),
      job.plan.product_uses, expand_s, rank_s, advice.order.size(), expand_s + rank_s);
  for (int i = 1; i < argc; ++i) {
    const gs::AdviseJob example = gs::parse_advise_job_file(argv[i]);
    fmt::print("{}: {} candidates, {} distinct GEMMs of {} products (ratio {:.3f})\n", argv[i],
               example.plan.candidates.size(), example.plan.products.size(),
               example.plan.product_uses,
               static_cast<double>(example.plan.products.size()) /
                   static_cast<double>(example.plan.product_uses));
  }
  return 0;
}
