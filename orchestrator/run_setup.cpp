#include "orchestrator/run_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "orchestrator/exit_status.hpp"
#include "worker/backend.hpp"
#include "worker/model/gpu_choice.hpp"

namespace gs {

GpuSpec gpu_of_options(const std::optional<std::string>& gpu,
                       const std::optional<std::string>& gpu_spec, const JobSpec& spec) {
  return resolve_gpu_choice({gpu, gpu_spec, spec.run.gpu, spec.path + ": [run] gpu"});
}

RunSetup resolve_run_setup(const RunOptions& o, JobSpec spec, const GpuSpec* resolved_gpu) {
  RunSetup s;
  s.backend = o.backend.value_or(spec.run.backend);
  const auto kinds = std::begin(kBackendKinds), kinds_end = std::end(kBackendKinds);
  if (std::find(kinds, kinds_end, s.backend) == kinds_end)
    throw UsageError(fmt::format("{}: unknown backend '{}'; allowed: auto, cuda, cpu, model",
                                 o.backend ? "--backend" : spec.path + ": [run] backend",
                                 s.backend));
  s.gpu_spec = resolved_gpu ? *resolved_gpu : gpu_of_options(o.gpu, o.gpu_spec, spec);
  s.gpu = s.gpu_spec.name;
  const std::string order = o.order.value_or(spec.run.order);
  const auto parsed = parse_task_order(order);
  if (!parsed)
    throw UsageError(fmt::format("{}: unknown order '{}'; allowed: cost, shuffle, grid",
                                 o.order ? "--order" : spec.path + ": [run] order", order));
  s.order = *parsed;
  if (o.shard) s.shard = parse_shard(*o.shard);
  if (o.ranks_per_gpu < 1)
    throw UsageError(fmt::format("--ranks-per-gpu: {} must be at least 1", o.ranks_per_gpu));
  if (!(o.simulate >= 0) || !std::isfinite(o.simulate))
    throw UsageError(fmt::format("--simulate: {} must be a finite number >= 0", o.simulate));
  // Past this a task of a millisecond sleeps for more than a day: a typo, not a simulation
  // (tests use 1e6 for tasks that outlast a drain).
  constexpr double kMaxSimulateFactor = 1e8;
  if (o.simulate > kMaxSimulateFactor)
    throw UsageError(fmt::format("--simulate: {} is above the largest factor, {}; allowed: 0 to {}",
                                 o.simulate, kMaxSimulateFactor, kMaxSimulateFactor));
  if (o.simulate > 0 && s.backend != "model")
    throw UsageError(
        fmt::format("--simulate {} needs the model backend (--backend model); the backend is '{}'",
                    o.simulate, s.backend));
  check_collective_placement(s.backend, spec, o.ranks_per_gpu);
  s.autotune = o.autotune || spec.run.autotune;
  s.faults = FaultInjection::from_environment();
  s.spec = std::move(spec);
  return s;
}

void check_collective_placement(std::string_view kind, const JobSpec& spec, int ranks_per_gpu) {
  if (kind != "cuda" || ranks_per_gpu <= 1) return;
  for (Op op : spec.ops)
    if (is_collective(op))
      throw UsageError(fmt::format(
          "--ranks-per-gpu {}: the job's {} runs on NCCL, which cannot put two ranks of a group "
          "on one GPU; use --ranks-per-gpu 1 for a job with collectives",
          ranks_per_gpu, to_string(op)));
}

void check_output_directory(const std::string& output) {
  namespace fs = std::filesystem;
  if (output.empty()) throw UsageError("-o: the output file name is empty");
  const fs::path out(output);
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UsageError(fmt::format("-o {}: directory '{}' does not exist", output, dir.string()));
}

void check_output_path(const RunOptions& o) {
  namespace fs = std::filesystem;
  check_output_directory(o.output);
  const fs::path out(o.output);
  std::error_code ec;
  if (fs::is_directory(out, ec))
    throw UsageError(fmt::format("-o {}: is a directory, not a results file", o.output));
  if (!o.resume && fs::exists(out, ec))
    throw UsageError(fmt::format(
        "-o {}: file exists; add --resume to continue it, or choose another name", o.output));
}

}  // namespace gs
