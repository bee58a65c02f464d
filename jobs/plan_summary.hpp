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

// "hidden_size 100 is not a multiple of heads 32" -> "hidden_size N is not a multiple of heads N".
std::string reason_class(const std::string& reason);

}  // namespace gs
