// Results store throughput (issue 4): append 1,000,000 rows in batches of 1..64 as the scheduler
// delivers them (goal >= 500,000 rows/s, durable every 256 rows), then open the 1,000,000-row
// file and build the resume set (goal < 1 s). Files go to $GEMMSWEEP_BENCH_DIR or /tmp.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "io/results_store.hpp"

namespace {

constexpr std::uint64_t kRows = 1'000'000;

std::string bench_path() {
  const char* dir = std::getenv("GEMMSWEEP_BENCH_DIR");
  return (std::filesystem::path(dir ? dir : "/tmp") / "gemmsweep-bench-1m.h5").string();
}

gs::RunProvenance provenance() {
  gs::RunProvenance p;
  p.job_name = "bench";
  p.spec_text = "name = \"bench\"\n";
  p.spec_hash = "bench";
  p.backend = "model";
  return p;
}

gs::ResultRow row(std::uint64_t id) {
  gs::ResultRow r;
  r.task_id = id;
  r.point_id = id / 2;
  r.op = "attention_score";
  r.dtype = "fp16";
  r.hidden_size = 32 * static_cast<std::int64_t>(id % 1024 + 1);
  r.heads = 32;
  r.head_dim = static_cast<std::int64_t>(id % 1024 + 1);
  r.batch = 128;
  r.m = r.k = 2048;
  r.n = r.head_dim;
  r.flops = 2.0 * 128 * 2048 * 2048 * static_cast<double>(r.n);
  r.time_s = 1e-4;
  r.tflops = r.flops / r.time_s / 1e12;
  r.samples = 50;
  r.status = id % 97 ? "ok" : "failed";
  r.host = "node" + std::to_string(id % 64);
  r.device = "NVIDIA H200";
  r.compute_dtype = "fp32";
  r.algo = "cublasLt algo 21";
  r.rank = static_cast<std::int32_t>(id % 512);
  return r;
}

void remove_bench_file(const std::string& path) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".lock");
}

void BM_Append1M(benchmark::State& state) {
  const std::string path = bench_path();
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> batch(1, 64);
  std::vector<std::vector<gs::ResultRow>> batches;  // built outside the timed part
  for (std::uint64_t next = 0; next < kRows;) {
    std::vector<gs::ResultRow> b;
    for (int n = batch(rng); n > 0 && next < kRows; --n) b.push_back(row(next++));
    batches.push_back(std::move(b));
  }
  for (auto _ : state) {
    remove_bench_file(path);
    const auto start = std::chrono::steady_clock::now();
    gs::ResultsStore store = gs::ResultsStore::create(path, provenance());
    for (const auto& b : batches) store.append(b);
    store.close(true);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(seconds);
    state.counters["rows_per_s"] = static_cast<double>(kRows) / seconds;
    state.counters["MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  }
}
BENCHMARK(BM_Append1M)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_Resume1M(benchmark::State& state) {
  const std::string path = bench_path();
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("run BM_Append1M first (it writes the file)");
    return;
  }
  std::size_t finished = 0;
  for (auto _ : state) {
    gs::ResultsStore store = gs::ResultsStore::resume(path, provenance());
    finished = store.finished().size();
    state.PauseTiming();
    store.close(true);
    state.ResumeTiming();
  }
  state.counters["finished"] = static_cast<double>(finished);
}
BENCHMARK(BM_Resume1M)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
