#include "worker/cuda/cuda_backend.hpp"

#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "support/api_error.hpp"
#include "worker/cuda/cublas_gemm.hpp"
#include "worker/cuda/cublas_handle.hpp"
#include "worker/cuda/cublaslt_handle.hpp"
#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/cuda_event.hpp"
#include "worker/cuda/cuda_stream.hpp"
#include "worker/cuda/device_buffer.hpp"
#include "worker/cuda/device_kernels.hpp"
#include "worker/cuda/device_props.hpp"
#include "worker/cuda/lt_matmul.hpp"
#include "worker/cuda/nvml_library.hpp"
#include "worker/cuda/output_sampler.hpp"
#include "worker/sampler.hpp"

namespace gs {
namespace {

// cuBLASLt's and cuBLAS's workspaces; 32 MiB is what NVIDIA recommends for Hopper.
constexpr std::size_t kLtWorkspaceBytes = std::size_t{32} << 20;
// Room left free beyond a task's A, B and C: cuBLAS's own workspace, the context's growth.
constexpr std::size_t kMemoryMarginBytes = std::size_t{512} << 20;
// Output elements checked against the float64 reference once per shape class.
constexpr int kCheckedElements = 64;
// A warm call shorter than this is timed in batches of launches per event pair...
constexpr double kShortCallSeconds = 20e-6;
// ... enough of them to fill about this long, at most kMaxLaunchesPerSample.
constexpr double kBatchedSampleSeconds = 100e-6;
constexpr int kMaxLaunchesPerSample = 256;
// The GPU idles this long per queued launch before a sample's start event (plus a floor), so
// that the host has enqueued the whole sample before the GPU runs it. cuBLAS enqueues a call in a
// few microseconds.
constexpr double kDelayPerLaunchUs = 10.0;
constexpr double kDelayFloorUs = 20.0;
constexpr double kDelayCapUs = 4000.0;
// --autotune: candidates asked of the heuristic, and timed samples per candidate.
constexpr int kAutotuneCandidates = 8;
constexpr int kAutotuneSamples = 5;

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A, B and C of one product, allocated and filled together.
struct OperandSet {
  DeviceBuffer a, b, c;
  GemmOperands operands() const { return {a.get(), b.get(), c.get()}; }
};

std::size_t input_elements_a(const GemmShape& s) {
  return static_cast<std::size_t>(s.batch * s.m * s.n);
}
std::size_t input_elements_b(const GemmShape& s) {
  return static_cast<std::size_t>(s.batch * s.n * s.k);
}
std::size_t output_elements(const GemmShape& s) {
  return static_cast<std::size_t>(s.batch * s.m * s.k);
}
std::size_t set_bytes(const GemmShape& s, DType d) {
  return (input_elements_a(s) + input_elements_b(s)) * static_cast<std::size_t>(input_bytes(d)) +
         output_elements(s) * static_cast<std::size_t>(output_bytes(d));
}

std::string human_bytes(std::uint64_t bytes) {
  const auto b = static_cast<double>(bytes);
  if (b >= 0x1p30) return fmt::format("{:.2f} GiB", b / 0x1p30);
  if (b >= 0x1p20) return fmt::format("{:.1f} MiB", b / 0x1p20);
  return fmt::format("{:.1f} KiB", b / 0x1p10);
}

// The product as it will be launched: cuBLAS, or cuBLASLt with a chosen algorithm.
struct GemmPlan {
  std::unique_ptr<LtMatmul> lt;
  std::optional<cublasLtMatmulAlgo_t> lt_algo;
  std::string algo;
};

}  // namespace

struct CudaBackend::State {
  explicit State(const BackendOptions& o)
      : options(o), props(select_device(o.device_index)), nvml_device(nullptr) {
    nvml_device = nvml.find_device(props.pci_bus_id, props.uuid);
    CUBLAS_CHECK(cublasSetStream(cublas.get(), stream.get()));
    // After cublasSetStream, which resets the workspace to cuBLAS's default pool. 32 MiB is
    // about what recent torch versions give cuBLAS on Hopper, so that the kernels cuBLAS may pick
    // (split-K needs workspace) are those torch.bmm can pick.
    CUBLAS_CHECK(cublasSetWorkspace(cublas.get(), cublas_workspace.get(), cublas_workspace.size()));
    // Twice the L2: a memset of it before every sample leaves none of the previous sample's
    // operands in the cache (nvbench flushes with one L2's worth).
    flush = DeviceBuffer(std::max<std::size_t>(2 * props.l2_bytes, std::size_t{1} << 20));
  }

  static CudaDeviceProps select_device(int index) {
    CUDA_CHECK(cudaSetDevice(index));
    CUDA_CHECK(cudaFree(nullptr));  // creates the primary context now, where errors are expected
    return query_device_props(index);
  }

  BackendOptions options;
  CudaDeviceProps props;
  NvmlLibrary nvml;
  NvmlLibrary::DeviceHandle nvml_device;
  CudaStream stream;
  CublasHandle cublas;
  CublasLtHandle lt;
  DeviceBuffer workspace{kLtWorkspaceBytes};
  DeviceBuffer cublas_workspace{kLtWorkspaceBytes};
  DeviceBuffer flush;
  CudaEvent start, stop;
  std::set<std::string> checked_classes;
  std::uint64_t fills = 0;

  bool fp8_capable() const { return props.cc_major * 10 + props.cc_minor >= 89; }

  // Why this device cannot run the task at all, or nothing.
  std::optional<std::string> unsupported(const Task& task) const {
    const GemmShape& s = task.shape;
    const DType d = task.point.dtype;
    if (d == DType::fp64)
      return std::string(
          "the cuda backend measures fp16, bf16, fp32, tf32 and fp8; fp64 is for --backend cpu");
    if (d == DType::fp8 && !fp8_capable())
      return fmt::format("fp8 needs compute capability 8.9 or newer (Ada, Hopper); {} is {}.{}",
                         props.name, props.cc_major, props.cc_minor);
    if (s.batch <= 0 || s.m <= 0 || s.n <= 0 || s.k <= 0)
      return fmt::format("empty product (batch={}, m={}, n={}, k={})", s.batch, s.m, s.n, s.k);
    if (std::max({s.batch, s.m, s.n, s.k}) > INT_MAX)
      return fmt::format(
          "a dimension exceeds the int range of the cuBLAS API (batch={}, m={}, n={}, k={})",
          s.batch, s.m, s.n, s.k);
    return std::nullopt;
  }

  // Free device memory against what the task needs; a reason to skip when it does not fit.
  std::optional<std::string> does_not_fit(const Task& task) const {
    std::size_t free_bytes = 0, total_bytes = 0;
    CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    // Task::bytes() is computed in floating point and saturates, so an absurd shape cannot wrap
    // around to a small need (element counts are only multiplied out once this check passed).
    const std::uint64_t operands = task.bytes();
    const std::uint64_t needed =
        operands > UINT64_MAX - kMemoryMarginBytes ? UINT64_MAX : operands + kMemoryMarginBytes;
    if (needed <= free_bytes) return std::nullopt;
    return fmt::format(
        "does not fit in device memory: needs {} bytes ({}: {} for A, B and C plus a {} margin) "
        "but {} bytes ({}) are free on device {} ({}; L2 flush buffer and workspaces already "
        "held)",
        needed, human_bytes(needed), human_bytes(operands), human_bytes(kMemoryMarginBytes),
        free_bytes, human_bytes(free_bytes), props.index, props.name);
  }

  OperandSet make_operands(const Task& task) {
    const GemmShape& s = task.shape;
    const DType d = task.point.dtype;
    const auto in = static_cast<std::size_t>(input_bytes(d));
    OperandSet set{DeviceBuffer(input_elements_a(s) * in), DeviceBuffer(input_elements_b(s) * in),
                   DeviceBuffer(output_elements(s) * static_cast<std::size_t>(output_bytes(d)))};
    // Fresh values for every task and every set: the seed mixes the run's seed, the task and a
    // counter, so no two buffers of a process hold the same data.
    const std::uint64_t seed = mix64(options.seed ^ mix64(task.id) ^ mix64(++fills));
    fill_uniform(set.a.get(), input_elements_a(s), d, seed, stream.get());
    fill_uniform(set.b.get(), input_elements_b(s), d, mix64(seed), stream.get());
    // C is written, never read (beta = 0); a memset keeps stale NaNs out of a failed check.
    CUDA_CHECK(cudaMemsetAsync(set.c.get(), 0, set.c.size(), stream.get()));
    return set;
  }

  void launch(const Task& task, const GemmPlan& plan, const GemmOperands& operands) const {
    if (plan.lt)
      plan.lt->run(*plan.lt_algo, operands, workspace.get(), stream.get());
    else
      launch_cublas_gemm(cublas.get(), task.point.dtype, task.shape, operands);
  }

  // One event-timed sample: flush L2, let the GPU idle while the host enqueues, then `launches`
  // calls over the operand sets in turn. Seconds per call.
  double time_sample(const Task& task, const GemmPlan& plan, const std::vector<OperandSet>& sets,
                     int launches) {
    CUDA_CHECK(cudaMemsetAsync(flush.get(), 0, flush.size(), stream.get()));
    gpu_delay(std::min(kDelayCapUs, kDelayFloorUs + kDelayPerLaunchUs * launches), stream.get());
    start.record(stream.get());
    for (int i = 0; i < launches; ++i)
      launch(task, plan, sets[static_cast<std::size_t>(i) % sets.size()].operands());
    stop.record(stream.get());
    stop.synchronize();
    return stop.seconds_since(start) / launches;
  }

  // Chooses how the product runs: cublasGemmStridedBatchedEx, or cuBLASLt for fp8 and
  // --autotune (the heuristic's best, or the fastest of its top candidates). Empty when cuBLASLt
  // has no kernel for the shape.
  std::optional<GemmPlan> plan_for(const Task& task, const std::vector<OperandSet>& sets) {
    GemmPlan plan;
    const DType d = task.point.dtype;
    if (d != DType::fp8 && !options.autotune) {
      plan.algo = describe_cublas_gemm(d);
      return plan;
    }
    plan.lt = std::make_unique<LtMatmul>(lt.get(), d, task.shape, workspace.size());
    const std::vector<cublasLtMatmulAlgo_t> candidates =
        plan.lt->candidates(options.autotune ? kAutotuneCandidates : 1);
    if (candidates.empty()) return std::nullopt;
    if (!options.autotune || candidates.size() == 1) {
      plan.lt_algo = candidates.front();
      plan.algo = describe_lt_algo(candidates.front()) + " (heuristic's first choice)";
      return plan;
    }
    double best = INFINITY;
    std::size_t best_index = 0;
    int usable = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      plan.lt_algo = candidates[i];
      std::vector<double> times;
      try {
        launch(task, plan, sets.front().operands());  // warm-up, and proof that it runs
        stream.synchronize();
        for (int r = 0; r < kAutotuneSamples; ++r)
          times.push_back(time_sample(task, plan, sets, 1));
      } catch (const ApiError&) {
        continue;  // a candidate the library refuses at launch is simply not chosen
      }
      ++usable;
      std::nth_element(times.begin(), times.begin() + kAutotuneSamples / 2, times.end());
      const double median = times[kAutotuneSamples / 2];
      if (median < best) {
        best = median;
        best_index = i;
      }
    }
    if (usable == 0) return std::nullopt;
    plan.lt_algo = candidates[best_index];
    plan.algo = fmt::format("{} (autotuned: fastest of {} heuristic candidates, rank {})",
                            describe_lt_algo(candidates[best_index]), usable, best_index + 1);
    return plan;
  }

  CheckOutcome check(const Task& task, const GemmPlan& plan, const OperandSet& set, int samples) {
    launch(task, plan, set.operands());
    stream.synchronize();
    const std::uint64_t seed = mix64(options.seed ^ task.id ^ 0xc4ec);
    return check_products(
        sample_products(task.shape, task.point.dtype, set.operands(), samples, seed, stream.get()),
        task.point.dtype);
  }
};

CudaBackend::CudaBackend(const BackendOptions& options) : s_(std::make_unique<State>(options)) {}

CudaBackend::~CudaBackend() = default;

DeviceReadings CudaBackend::read_device() const { return s_->nvml.read(s_->nvml_device); }

bool CudaBackend::nvml_available() const { return s_->nvml_device != nullptr; }

DeviceInfo CudaBackend::device_info() const {
  const CudaDeviceProps& p = s_->props;
  DeviceInfo info;
  info.backend = "cuda";
  const std::string nvml_name = s_->nvml.device_name(s_->nvml_device);
  info.name = nvml_name.empty() ? p.name : nvml_name;
  const std::string nvml_uuid = s_->nvml.device_uuid(s_->nvml_device);
  info.uuid = nvml_uuid.empty() ? p.uuid : nvml_uuid;
  info.host = host_name();
  info.rank = std::max(0, process_rank());
  info.compute_capability = fmt::format("{}.{}", p.cc_major, p.cc_minor);
  info.sm_count = p.sm_count;
  info.memory_bytes = p.memory_bytes;
  const double nvml_sm = s_->nvml.max_sm_clock_mhz(s_->nvml_device);
  const double nvml_mem = s_->nvml.max_mem_clock_mhz(s_->nvml_device);
  info.sm_clock_max_mhz = nvml_sm > 0 ? nvml_sm : p.sm_clock_max_mhz;
  info.mem_clock_max_mhz = nvml_mem > 0 ? nvml_mem : p.mem_clock_max_mhz;
  int driver = 0, runtime = 0;
  const std::string nvml_driver = s_->nvml.driver_version();
  if (!nvml_driver.empty())
    info.driver_version = nvml_driver;
  else if (cudaDriverGetVersion(&driver) == cudaSuccess)
    info.driver_version = "CUDA " + format_cuda_version(driver);
  if (cudaRuntimeGetVersion(&runtime) == cudaSuccess)
    info.runtime_version = format_cuda_version(runtime);
  int cublas = 0;
  if (cublasGetVersion(s_->cublas.get(), &cublas) == CUBLAS_STATUS_SUCCESS)
    info.blas_version =
        fmt::format("cuBLAS {}.{}.{}", cublas / 10000, (cublas % 10000) / 100, cublas % 100);
  return info;
}

CheckOutcome CudaBackend::check_output(const Task& task, int samples) {
  State& s = *s_;
  CUDA_CHECK(cudaSetDevice(s.props.index));
  CheckOutcome outcome;  // not checked, so not ok, until check() says otherwise
  outcome.ok = false;
  if (auto reason = s.unsupported(task)) {
    outcome.detail = *reason;
    return outcome;
  }
  if (auto reason = s.does_not_fit(task)) {
    outcome.detail = *reason;
    return outcome;
  }
  std::vector<OperandSet> sets;
  sets.push_back(s.make_operands(task));
  std::optional<GemmPlan> plan = s.plan_for(task, sets);
  if (!plan) {
    outcome.detail = "cuBLASLt offers no algorithm for this shape";
    return outcome;
  }
  return s.check(task, *plan, sets.front(), samples);
}

Measurement CudaBackend::measure(const Task& task, const TimingSettings& timing) {
  State& s = *s_;
  CUDA_CHECK(cudaSetDevice(s.props.index));
  const DType dtype = task.point.dtype;
  Measurement m;
  m.compute_dtype = std::string(to_string(dtype));
  auto skipped = [&m](std::string reason) {
    m.status = TaskStatus::skipped;
    m.message = std::move(reason);
    return m;
  };
  if (auto reason = s.unsupported(task)) return skipped(*reason);
  if (auto reason = s.does_not_fit(task)) return skipped(*reason);

  std::vector<OperandSet> sets;
  sets.push_back(s.make_operands(task));
  std::optional<GemmPlan> plan = s.plan_for(task, sets);
  if (!plan)
    return skipped(fmt::format(
        "cuBLASLt offers no {} algorithm for batch={} m={} n={} k={} on {}{}", to_string(dtype),
        task.shape.batch, task.shape.m, task.shape.n, task.shape.k, s.props.name,
        dtype == DType::fp8 ? " (fp8 kernels need n and k multiples of 16, m of 8, and 16-byte "
                              "aligned batches)"
                            : ""));
  m.algo = plan->algo;

  // Once per shape class: a wrong answer is a failed task, never a number.
  const std::string klass = shape_class(task.op, dtype, task.shape);
  if (!s.checked_classes.contains(klass)) {
    const CheckOutcome outcome = s.check(task, *plan, sets.front(), kCheckedElements);
    if (!outcome.ok || outcome.checked == 0)
      throw std::runtime_error(fmt::format(
          "cuda backend: wrong result for task {} ({}, shape class {}, {}): {} elements checked "
          "against a float64 reference, worst {}",
          task.id, to_string(task.op), klass, plan->algo, outcome.checked, outcome.detail));
    s.checked_classes.insert(klass);
  }

  // How long is one warm call? Short ones are batched per event pair over rotated inputs.
  s.launch(task, *plan, sets.front().operands());
  const double one_call = s.time_sample(task, *plan, sets, 1);
  int launches = 1;
  if (one_call < kShortCallSeconds) {
    launches = static_cast<int>(std::ceil(kBatchedSampleSeconds / std::max(one_call, 1e-7)));
    launches = std::clamp(launches, 2, kMaxLaunchesPerSample);
    // Enough operand sets that one sample's launches touch more than the L2 holds, so that the
    // second and later launches do not read the first one's operands from the cache.
    const std::size_t per_set = set_bytes(task.shape, dtype);
    std::size_t free_bytes = 0, total_bytes = 0;
    CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    const std::size_t affordable =
        free_bytes > kMemoryMarginBytes ? (free_bytes - kMemoryMarginBytes) / per_set : 0;
    const std::size_t wanted = (2 * s.props.l2_bytes + per_set - 1) / per_set;
    const std::size_t count =
        std::min({wanted, affordable + 1, static_cast<std::size_t>(launches)});
    while (sets.size() < count) sets.push_back(s.make_operands(task));
    s.stream.synchronize();
    m.message = fmt::format(
        "launches batched x{} per event pair (one warm call {:.2f} us), inputs rotated over {} "
        "operand sets ({} each)",
        launches, one_call * 1e6, sets.size(), human_bytes(per_set));
  }
  m.launches_per_sample = launches;

  m.before = s.nvml.read(s.nvml_device);
  const SamplingResult result =
      sample_until_stable(timing, [&] { return s.time_sample(task, *plan, sets, launches); });
  m.after = s.nvml.read(s.nvml_device);
  fill_measurement(result, timing, m);
  m.status = TaskStatus::ok;
  return m;
}

std::unique_ptr<Backend> make_cuda_backend(const BackendOptions& options) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();
    throw BackendUnavailable("cuda backend unavailable: cudaGetDeviceCount failed: " +
                             cuda_detail::describe(status));
  }
  if (count <= 0) throw BackendUnavailable("cuda backend unavailable: no CUDA device is visible");
  if (options.device_index < 0 || options.device_index >= count)
    throw BackendUnavailable(fmt::format(
        "cuda backend unavailable: device index {} requested but {} device(s) are visible",
        options.device_index, count));
  try {
    return std::make_unique<CudaBackend>(options);
  } catch (const ApiError& e) {
    throw BackendUnavailable(std::string("cuda backend unavailable: ") + e.what());
  }
}

}  // namespace gs
