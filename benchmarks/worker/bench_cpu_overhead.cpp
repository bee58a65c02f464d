// The cpu backend's harness against a bare loop of the same cblas calls, same process, same
// buffers' worth of rotation: what does the harness (sampler, rotation, bookkeeping) add to the
// median? Rounds alternate harness and bare loop so that drift (turbo, neighbours) hits both.
//
//   bench_cpu_overhead [batch m n k [rounds [threads [samples]]]]   (threads 0 = all cores)
#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "worker/cpu/cpu_backend.hpp"
#include "worker/cpu/cpu_gemm.hpp"
#include "worker/cpu/host_info.hpp"
#include "worker/sampler.hpp"

namespace {

using gs::GemmShape;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The bare loop: cblas_sgemm over the batch, timed per call with steady_clock, over `sets`
// operand sets in turn. Its buffers live as long as the harness's arena does (the whole run), so
// that both read memory of the same age.
class BareLoop {
 public:
  BareLoop(const GemmShape& s, std::uint64_t sets)
      : s_(s),
        sets_(sets),
        a_n_(gs::a_elements(s)),
        b_n_(gs::b_elements(s)),
        c_n_(gs::c_elements(s)),
        in_(sets * (a_n_ + b_n_)),
        out_(sets * c_n_) {
    gs::fill_random(std::span<float>(in_), 99);
  }

  double median_of(int warmup, int samples) {
    for (int i = 0; i < warmup; ++i) call();
    std::vector<double> t;
    for (int i = 0; i < samples; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      call();
      t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return median(t);
  }

 private:
  void call() {
    const std::uint64_t set = next_++ % sets_;
    const float* a = in_.data() + set * (a_n_ + b_n_);
    const float* b = a + a_n_;
    float* c = out_.data() + set * c_n_;
    const auto bm = static_cast<std::uint64_t>(s_.batch);
    const int m = static_cast<int>(s_.m), n = static_cast<int>(s_.n), k = static_cast<int>(s_.k);
    for (std::uint64_t i = 0; i < bm; ++i)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, k, n, 1.0f, a + i * (a_n_ / bm), n,
                  b + i * (b_n_ / bm), k, 0.0f, c + i * (c_n_ / bm), k);
  }

  GemmShape s_;
  std::uint64_t sets_, a_n_, b_n_, c_n_;
  std::vector<float> in_, out_;
  std::uint64_t next_ = 0;
};

// The harness's own cost per sample, without any GEMM: clock reads, the sorted insert and the
// summary the stopping rule recomputes after every sample. Deterministic, unlike the comparison.
double bookkeeping_seconds_per_sample(int samples) {
  gs::TimingSettings t;
  t.warmup = 0;
  t.min_samples = 1;  // the rule is evaluated after every sample
  t.max_samples = samples;
  t.max_rel_ci = -1;  // never converges: every sample pays the full rule
  t.max_seconds_per_point = 1e9;
  std::uint64_t state = 1;
  auto jitter = [&state] {  // random order, so that the sorted insert moves half the samples
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return 1.0 + static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const gs::SamplingResult r = gs::sample_until_stable(t, jitter);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r.summary.samples ? s / r.summary.samples : 0;
}

}  // namespace

int main(int argc, char** argv) {
  GemmShape s{8, 512, 512, 512};
  int rounds = 5;
  if (argc >= 5)
    s = {std::atoll(argv[1]), std::atoll(argv[2]), std::atoll(argv[3]), std::atoll(argv[4])};
  if (argc >= 6) rounds = std::atoi(argv[5]);

  gs::CpuOptions options;  // threads 0: all cores
  if (argc >= 7) options.threads = std::atoi(argv[6]);
  gs::CpuBackend backend(options);
  gs::TimingSettings timing;
  timing.warmup = 5;
  timing.min_samples = argc >= 8 ? std::atoi(argv[7]) : 20;
  timing.max_samples = timing.min_samples;
  timing.max_rel_ci = 0.0;  // never stops early: both sides take the same sample count
  timing.max_seconds_per_point = 30;
  const std::uint64_t sets = backend.rotation_sets(s, 4);

  gs::Task task;
  task.op = gs::Op::bmm;
  task.point.dtype = gs::DType::fp32;
  task.point.raw = s;
  task.shape = s;

  fmt::print("cpu: {}, {} BLAS threads, {}\n", gs::cpu_model_name(), backend.threads(),
             gs::openblas_version());
  fmt::print("bmm fp32 batch {} m {} n {} k {}: {:.3f} GFLOP per call, {} rotating operand sets\n",
             s.batch, s.m, s.n, s.k, s.flops() / 1e9, sets);
  fmt::print("{:>5} {:>14} {:>14} {:>10}\n", "round", "harness_ms", "bare_ms", "overhead");
  std::vector<double> harness, bare, bare_one, overheads;
  BareLoop bare_rotating(s, sets);
  for (int r = 0; r < rounds; ++r) {
    // ABBA order: a load that grows or fades during a round biases neither side.
    double b = 0;
    if (r % 2) b = bare_rotating.median_of(timing.warmup, timing.max_samples);
    const gs::Measurement m = backend.measure(task, timing);
    if (r % 2 == 0) b = bare_rotating.median_of(timing.warmup, timing.max_samples);
    harness.push_back(m.time_s);
    bare.push_back(b);
    overheads.push_back(m.time_s / b - 1);
    fmt::print("{:>5} {:>14.4f} {:>14.4f} {:>+9.2f}%\n", r, m.time_s * 1e3, b * 1e3,
               100 * (m.time_s / b - 1));
  }
  bare_one.push_back(BareLoop(s, 1).median_of(timing.warmup, timing.max_samples));
  const double h = median(harness), b = median(bare);
  fmt::print(
      "median: harness {:.4f} ms ({:.1f} GFLOP/s), bare loop {:.4f} ms, bare loop on one operand "
      "set {:.4f} ms\n",
      h * 1e3, s.flops() / h / 1e9, b * 1e3, median(bare_one) * 1e3);
  fmt::print("overhead: median of the rounds' ratios {:+.2f}%, ratio of the medians {:+.2f}%\n",
             100 * median(overheads), 100 * (h / b - 1));
  for (int n : {20, 200, 2000}) {
    const double per = bookkeeping_seconds_per_sample(n);
    fmt::print(
        "harness bookkeeping at {} samples: {:.3f} us per sample ({:.4f}% of the median call)\n", n,
        per * 1e6, 100 * per / h);
  }
  return 0;
}
