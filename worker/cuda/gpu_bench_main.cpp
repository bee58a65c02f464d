// gemmsweep-gpu-bench: times a slice of a job file's tasks with the cuda backend and prints CSV.
// It needs only jobs/ and worker/cuda (no MPI, no HDF5), so that scripts/gpu-check.sh can run it
// from a prebuilt tree on a GPU machine that lacks those libraries.
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/grid.hpp"
#include "jobs/job_parser.hpp"
#include "worker/cuda/cuda_backend.hpp"

namespace {

constexpr const char* kUsage =
    "usage: gemmsweep-gpu-bench JOB.toml [--every N] [--offset K] [--limit N] [--device I]\n"
    "                           [--autotune] [--max-seconds-per-point S]\n"
    "Times every Nth task of the job (starting at task K) with the cuda backend and prints one\n"
    "CSV row per task on stdout. Exit status: 0 all measured or skipped, 1 a task failed,\n"
    "2 bad usage or job file, 3 no usable GPU.\n";

struct Options {
  std::string job;
  long every = 1;
  long offset = 0;
  long limit = -1;
  int device = 0;
  bool autotune = false;
  double max_seconds = -1;
};

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool parse_args(int argc, char** argv, Options& o) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&](auto& out) {
      if (i + 1 >= args.size() || !parse_number(args[i + 1], out)) {
        std::fprintf(stderr, "gemmsweep-gpu-bench: %.*s needs a number\n",
                     static_cast<int>(a.size()), a.data());
        return false;
      }
      ++i;
      return true;
    };
    if (a == "--every") {
      if (!value(o.every) || o.every < 1) return false;
    } else if (a == "--offset") {
      if (!value(o.offset) || o.offset < 0) return false;
    } else if (a == "--limit") {
      if (!value(o.limit)) return false;
    } else if (a == "--device") {
      if (!value(o.device)) return false;
    } else if (a == "--max-seconds-per-point") {
      if (!value(o.max_seconds) || o.max_seconds <= 0) return false;
    } else if (a == "--autotune") {
      o.autotune = true;
    } else if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (o.job.empty() && !a.starts_with("-")) {
      o.job = std::string(a);
    } else {
      std::fprintf(stderr, "gemmsweep-gpu-bench: unexpected argument '%.*s'\n",
                   static_cast<int>(a.size()), a.data());
      return false;
    }
  }
  return !o.job.empty();
}

std::string csv_text(std::string text) {
  for (char& c : text)
    if (c == ',' || c == '\n' || c == '"') c = ';';
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  gs::JobSpec spec;
  try {
    spec = gs::parse_job_file(o.job);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  gs::TimingSettings timing = spec.timing;
  if (o.max_seconds > 0) timing.max_seconds_per_point = o.max_seconds;

  std::unique_ptr<gs::Backend> backend;
  try {
    gs::CudaOptions options;
    options.device_index = o.device;
    options.autotune = o.autotune;
    backend = gs::make_cuda_backend(options);
  } catch (const gs::BackendUnavailable& e) {
    std::fprintf(stderr, "gemmsweep-gpu-bench: %s\n", e.what());
    return 3;
  }
  const gs::DeviceInfo info = backend->device_info();
  std::fprintf(stderr,
               "# device: %s (%s), cc %s, %d SMs, %.1f GiB, SM clock max %.0f MHz, driver %s, "
               "runtime %s, %s\n",
               info.name.c_str(), info.uuid.c_str(), info.compute_capability.c_str(), info.sm_count,
               static_cast<double>(info.memory_bytes) / (1ULL << 30), info.sm_clock_max_mhz,
               info.driver_version.c_str(), info.runtime_version.c_str(),
               info.blas_version.c_str());

  const gs::Grid grid = gs::expand(spec);
  std::puts(
      "task_id,op,dtype,heads,head_dim,hidden_size,batch,m,n,k,status,samples,converged,time_s,"
      "time_min_s,tflops,tflops_at_min,launches_per_sample,sm_clock_before_mhz,"
      "sm_clock_after_mhz,temperature_after_c,power_after_w,throttle_after,algo,message,"
      "microbatch,seq_length,tensor_parallel,flops,device");
  int failures = 0;
  long measured = 0;
  for (std::size_t i = static_cast<std::size_t>(o.offset); i < grid.tasks.size();
       i += static_cast<std::size_t>(o.every)) {
    if (o.limit >= 0 && measured >= o.limit) break;
    ++measured;
    const gs::Task& t = grid.tasks[i];
    std::string status = "ok";
    gs::Measurement m;
    try {
      m = backend->measure(t, timing);
      if (m.status == gs::TaskStatus::skipped) status = "skipped";
    } catch (const std::exception& e) {
      status = "failed";
      m.message = e.what();
      ++failures;
    }
    const double tflops = m.time_s > 0 ? t.flops() / m.time_s / 1e12 : 0;
    const double tflops_min = m.time_min_s > 0 ? t.flops() / m.time_min_s / 1e12 : 0;
    std::printf(
        "%s\n",
        fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{:.9g},{:.9g},{:.4f},{:.4f},{},{:.0f},"
                    "{:.0f},{:.0f},{:.1f},{:#x},{},{},{},{},{},{:.17g},{}",
                    t.id, gs::to_string(t.op), gs::to_string(t.point.dtype), t.point.heads,
                    t.point.head_dim, t.point.hidden_size, t.shape.batch, t.shape.m, t.shape.n,
                    t.shape.k, status, m.samples, m.converged ? 1 : 0, m.time_s, m.time_min_s,
                    tflops, tflops_min, m.launches_per_sample, m.before.sm_clock_mhz,
                    m.after.sm_clock_mhz, m.after.temperature_c, m.after.power_w,
                    m.after.throttle_reasons, csv_text(m.algo), csv_text(m.message),
                    t.point.microbatch, t.point.seq_length, t.point.tensor_parallel, t.flops(),
                    csv_text(info.name))
            .c_str());
    std::fflush(stdout);
  }
  return failures > 0 ? 1 : 0;
}
