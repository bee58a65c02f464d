#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "jobs/job_spec.hpp"
#include "orchestrator/fault_injection.hpp"
#include "orchestrator/run_options.hpp"
#include "orchestrator/task_order.hpp"
#include "worker/model/perf_model.hpp"

namespace gs {

// A run's settings once the command line and the job file's [run] table are combined and checked.
struct RunSetup {
  JobSpec spec;
  std::string backend;  // auto | cuda | cpu | model, as requested
  std::string gpu;      // model backend / cost order: the spec's name
  GpuSpec gpu_spec;     // from --gpu, --gpu-spec or [run] gpu
  TaskOrder order = TaskOrder::cost;
  Shard shard;
  bool autotune = false;
  FaultInjection faults;
};

// Throws UsageError (JobError for the GPU) naming the option, the value and what is allowed.
// `resolved_gpu`, when given, is rank 0's GPU spec (broadcast), used instead of the options.
RunSetup resolve_run_setup(const RunOptions& options, JobSpec spec,
                           const GpuSpec* resolved_gpu = nullptr);
// NCCL refuses a communicator with two ranks on one GPU: a job with collectives on the cuda
// backend needs one rank per GPU. UsageError naming the option otherwise.
void check_collective_placement(std::string_view kind, const JobSpec& spec, int ranks_per_gpu);
// The directory of -o exists (UsageError naming it otherwise); run and merge both check it.
void check_output_directory(const std::string& output);
// The output path: its directory exists, and the file does not unless --resume. UsageError.
void check_output_path(const RunOptions& options);
// The GPU of --gpu, --gpu-spec or the job's [run] gpu, for the model backend and `plan`;
// JobError naming the option when unknown or unreadable.
GpuSpec gpu_of_options(const std::optional<std::string>& gpu,
                       const std::optional<std::string>& gpu_spec, const JobSpec& spec);

}  // namespace gs
