#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "jobs/grid.hpp"
#include "jobs/job_spec.hpp"

namespace gs {

// What `gemmsweep plan` reports about an expanded job.
struct PlanSummary {
  std::string job_name;
  std::uint64_t points = 0;
  std::uint64_t tasks = 0;
  std::uint64_t skipped = 0;
  // Reason with its numbers replaced by N -> (count, first full example).
  std::map<std::string, std::pair<std::uint64_t, std::string>> skipped_by_reason;
  std::map<std::string, std::uint64_t> tasks_per_op;  // in op name order
  double total_flops = 0;
  std::uint64_t max_bytes = 0;
  std::optional<Task> largest;   // the task with the largest memory need
  std::string estimate_gpu;      // empty when no estimate was made
  double estimated_seconds = 0;  // sum of predicted time * (warmup + typical samples), GEMMs only
  // The cpu backend has no model: a GEMM task takes at most about max_seconds_per_point (the
  // stopping rule's time limit; one sample in flight may pass it), so this is an upper bound of
  // one rank's seconds, tasks x max_seconds_per_point.
  double cpu_bound_seconds = 0;
  std::string backend;  // [run] backend of the job file
  // Collective tasks: how many, their message sizes and the largest group a run must have ranks
  // for.
  std::uint64_t collective_tasks = 0;
  std::int64_t min_message_bytes = 0, max_message_bytes = 0, max_group_size = 0;
};

// `predict` gives the predicted seconds of one GEMM call of a task (the model backend); when it
// is empty no GPU-hour estimate is made.
PlanSummary summarize_plan(const JobSpec& spec, const Grid& grid,
                           const std::function<double(const Task&)>& predict = {},
                           const std::string& gpu = {});
std::string render_plan(const PlanSummary& plan);
// "4.3 s", "12.5 min", "3.20 h": a duration a user reads, where hours would round to zero.
std::string human_seconds(double seconds);
// "at most 1.6 min on one rank (192 GEMM tasks x max_seconds_per_point 0.5 s; ...)".
std::string render_cpu_bound(const PlanSummary& plan, int ranks);

// "hidden_size 100 is not a multiple of heads 32" -> "hidden_size N is not a multiple of heads N".
std::string reason_class(const std::string& reason);

}  // namespace gs
