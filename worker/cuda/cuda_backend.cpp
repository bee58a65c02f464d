#include "worker/cuda/cuda_backend.hpp"

#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diagnostics/api_error.hpp"
#include "worker/cuda/cuda_check.hpp"
#include "worker/cuda/cuda_handles.hpp"
#include "worker/cuda/device_buffer.hpp"
#include "worker/cuda/device_memory.hpp"
#include "worker/cuda/device_props.hpp"
#include "worker/cuda/fp8_shape_rule.hpp"
#include "worker/cuda/gemm_plan.hpp"
#include "worker/cuda/gemm_planner.hpp"
#include "worker/cuda/nvml_library.hpp"
#include "worker/cuda/operand_set.hpp"
#include "worker/cuda/output_sampler.hpp"
#include "worker/cuda/sample_timer.hpp"
#include "worker/cuda/throttle_watch.hpp"
#include "worker/sampler.hpp"
#include "worker/splitmix64.hpp"

namespace gs {
namespace {

// cuBLASLt's and cuBLAS's workspaces; 32 MiB is what NVIDIA recommends for Hopper.
constexpr std::size_t kLtWorkspaceBytes = std::size_t{32} << 20;
// Output elements checked against the float64 reference once per shape class.
constexpr int kCheckedElements = 64;

}  // namespace

struct CudaBackend::State {
  explicit State(const CudaOptions& o)
      : options(o), props(query_device_props(select_device(o.device_index))), nvml_device(nullptr) {
    nvml_device = nvml.find_device(props.pci_bus_id, props.uuid);
    CUBLAS_CHECK(cublasSetStream(cublas.get(), stream.get()));
    // After cublasSetStream, which resets the workspace to cuBLAS's default pool. 32 MiB is
    // about what recent torch versions give cuBLAS on Hopper, so that the kernels cuBLAS may pick
    // (split-K needs workspace) are those torch.bmm can pick.
    CUBLAS_CHECK(cublasSetWorkspace(cublas.get(), cublas_workspace.get(), cublas_workspace.size()));
  }

  CudaOptions options;
  CudaDeviceProps props;
  NvmlLibrary nvml;
  NvmlLibrary::DeviceHandle nvml_device;
  CudaStream stream = make_cuda_stream();
  // Declared before the handle it is given to, so that the handle is destroyed first: cuBLAS may
  // still use its workspace until cublasDestroy.
  DeviceBuffer cublas_workspace{kLtWorkspaceBytes};
  CublasHandle cublas = make_cublas_handle();
  CublasLtHandle lt = make_cublaslt_handle();
  DeviceBuffer workspace{kLtWorkspaceBytes};
  SampleTimer timer{stream.get(), props.l2_bytes};
  std::set<std::string> checked_kernels;  // "shape class / kernel" whose result was checked
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
    if (d == DType::fp8) return fp8_shape_unsupported(s);
    return std::nullopt;
  }

  OperandSet make_operands(const Task& task) {
    // Fresh values for every task and every set: the seed mixes the run's seed, the task and a
    // counter, so no two buffers of a process hold the same data.
    const std::uint64_t seed = splitmix64(options.seed ^ splitmix64(task.id) ^ splitmix64(++fills));
    return make_operand_set(task.shape, task.point.dtype, seed, stream.get());
  }

  // The batching rule of every sample of `task`, autotune candidates' included: launches per
  // event pair for a call of `one_call` seconds, with `sets` grown to what they rotate over.
  SampleBatching batching(const Task& task, std::vector<OperandSet>& sets) {
    return [this, &task, &sets](double one_call) {
      const int launches = launches_per_sample(one_call);
      if (launches == 1) return launches;
      const std::size_t count = rotation_set_count(operand_set_bytes(task.shape, task.point.dtype),
                                                   props.l2_bytes, launches, options.ranks_per_gpu);
      while (sets.size() < count) sets.push_back(make_operands(task));
      synchronize(stream.get());
      return launches;
    };
  }

  std::optional<GemmPlan> plan_for(const Task& task, std::vector<OperandSet>& sets) {
    const GemmLibraries libraries{cublas.get(), lt.get(), workspace.get(), workspace.size(),
                                  stream.get()};
    return choose_gemm_plan(libraries, task.point.dtype, task.shape, options.autotune, timer, sets,
                            batching(task, sets));
  }

  // Once per shape class and kernel (each algorithm autotune picks runs other code): a wrong
  // answer is a failed task, never a number.
  void check_once(const Task& task, const GemmPlan& plan, const OperandSet& set) {
    const std::string klass = shape_class(task.op, task.point.dtype, task.shape);
    const std::string key = klass + " / " + plan_kernel(plan);
    if (checked_kernels.contains(key)) return;
    const CheckOutcome outcome = check(task, plan, set, kCheckedElements);
    if (!outcome.ok || outcome.checked == 0)
      throw std::runtime_error(fmt::format(
          "cuda backend: wrong result for task {} ({}, shape class {}, {}): {} elements checked "
          "against a float64 reference, worst {}",
          task.id, to_string(task.op), klass, plan.algo, outcome.checked, outcome.detail));
    checked_kernels.insert(key);
  }

  CheckOutcome check(const Task& task, const GemmPlan& plan, const OperandSet& set, int samples) {
    plan.launch(set.operands());
    synchronize(stream.get());
    const std::uint64_t seed = splitmix64(options.seed ^ task.id ^ 0xc4ec);
    return check_products(
        sample_products(task.shape, task.point.dtype, set.operands(), samples, seed, stream.get()),
        task.point.dtype);
  }
};

CudaBackend::CudaBackend(const CudaOptions& options) : s_(std::make_unique<State>(options)) {}

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
  select_device(s.props.index);
  CheckOutcome outcome;  // not checked, so not ok, until check() says otherwise
  outcome.ok = false;
  if (auto reason = s.unsupported(task)) {
    outcome.detail = *reason;
    return outcome;
  }
  if (auto reason = memory_shortfall(task, s.props, s.options.ranks_per_gpu)) {
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
  select_device(s.props.index);
  const DType dtype = task.point.dtype;
  Measurement m;
  m.compute_dtype = std::string(to_string(dtype));
  auto skipped = [&m](std::string reason) {
    m.status = TaskStatus::skipped;
    m.message = std::move(reason);
    return m;
  };
  if (auto reason = s.unsupported(task)) return skipped(*reason);
  if (auto reason = memory_shortfall(task, s.props, s.options.ranks_per_gpu))
    return skipped(*reason);

  std::vector<OperandSet> sets;
  sets.push_back(s.make_operands(task));
  std::optional<GemmPlan> plan = s.plan_for(task, sets);
  if (!plan)
    return skipped(fmt::format("cuBLASLt offers no {} algorithm for batch={} m={} n={} k={} on {}",
                               to_string(dtype), task.shape.batch, task.shape.m, task.shape.n,
                               task.shape.k, s.props.name));
  m.algo = plan->algo;

  s.check_once(task, *plan, sets.front());

  // How long is one warm call? Short ones are batched per event pair over rotated inputs.
  plan->launch(sets.front().operands());
  const double one_call = s.timer.seconds_per_call(*plan, sets, 1);
  const int launches = s.batching(task, sets)(one_call);
  if (launches > 1) {
    const std::size_t per_set = operand_set_bytes(task.shape, dtype);
    m.message = fmt::format(
        "launches batched x{} per event pair (one warm call {:.2f} us), inputs rotated over {} "
        "operand sets ({} each)",
        launches, one_call * 1e6, sets.size(), bytes_text(per_set));
  }
  m.launches_per_sample = launches;

  m.before = s.nvml.read(s.nvml_device);
  ThrottleWatch watch(s.nvml, s.nvml_device);
  const SamplingResult result =
      sample_until_stable(timing, [&] { return s.timer.seconds_per_call(*plan, sets, launches); });
  const ThrottleSummary capping = watch.stop();
  m.after = s.nvml.read(s.nvml_device);
  fill_measurement(result, timing, m);
  flag_throttling(capping, m);
  m.status = TaskStatus::ok;
  return m;
}

std::unique_ptr<Backend> make_cuda_backend(const CudaOptions& options) {
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
