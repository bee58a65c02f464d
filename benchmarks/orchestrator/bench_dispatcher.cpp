// Rank 0's per-task costs without MPI: a dispatch cycle (hand out a batch, settle its outcomes,
// take the batch back) and the wire format of results. The MPI round trip is measured end to end
// by dispatch_rate.sh.
#include <benchmark/benchmark.h>

#include <numeric>

#include "orchestrator/dispatcher.hpp"
#include "orchestrator/task_outcome.hpp"

namespace gs {
namespace {

std::vector<TaskOutcome> outcomes(std::size_t n) {
  std::vector<TaskOutcome> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    v[i].item = {static_cast<std::uint32_t>(i), 1};
    v[i].elapsed_s = 1e-6;
    v[i].measurement.samples = 1;
    v[i].measurement.time_s = 1e-5;
    v[i].measurement.compute_dtype = "fp16";
    v[i].measurement.algo = "model:A100 tile 128x128, 4 tiles in 1 waves, align 128 B";
  }
  return v;
}

void BM_DispatchCycle(benchmark::State& state) {
  const auto ranks = static_cast<int>(state.range(0));
  std::vector<std::uint32_t> order(1u << 20);
  std::iota(order.begin(), order.end(), 0u);
  Dispatcher d(order, ranks);
  TaskOutcome o;
  o.elapsed_s = 1e-6;
  std::size_t tasks = 0;
  int rank = 0;
  for (auto _ : state) {
    auto batch = d.take(rank);
    if (batch.empty()) {
      state.PauseTiming();
      d = Dispatcher(order, ranks);
      state.ResumeTiming();
      continue;
    }
    for (const WorkItem& item : batch) {
      o.item = item;
      benchmark::DoNotOptimize(d.settle(rank, o));
    }
    d.batch_returned(rank);
    tasks += batch.size();
    rank = (rank + 1) % ranks;
  }
  state.counters["tasks/s"] =
      benchmark::Counter(static_cast<double>(tasks), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DispatchCycle)->Arg(4)->Arg(512);

void BM_PackOutcomes(benchmark::State& state) {
  const auto v = outcomes(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(pack_outcomes(v));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PackOutcomes)->Arg(1)->Arg(256);

void BM_UnpackOutcomes(benchmark::State& state) {
  const std::string bytes = pack_outcomes(outcomes(static_cast<std::size_t>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(unpack_outcomes(bytes));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UnpackOutcomes)->Arg(1)->Arg(256);

}  // namespace
}  // namespace gs

BENCHMARK_MAIN();
