#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/job_spec.hpp"
#include "jobs/task.hpp"

namespace gs {

enum class TaskOrder { cost, shuffle, grid };
std::optional<TaskOrder> parse_task_order(std::string_view s);

// Indices of `tasks` in the order to hand them out:
// cost    largest predicted time first, so that the long tasks do not all land at the end and
//         the last minutes keep every GPU busy with short ones (longest-processing-time rule);
// shuffle a seeded permutation: shapes interleave across GPUs and time, so that thermal drift and
//         GPU identity are not confounded with shape;
// grid    as expanded.
std::vector<std::uint32_t> order_tasks(const std::vector<Task>& tasks,
                                       const std::vector<std::uint32_t>& indices, TaskOrder order,
                                       const std::function<double(const Task&)>& predict,
                                       std::uint64_t seed);

// `--shard i/K`: Slurm array job i of K runs every K-th (point, op) of the grid, counting in grid
// order over measured and skipped tasks together, so that K shards cover every task exactly once
// and neighbouring (similar-cost) shapes spread over the shards.
struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
  bool operator==(const Shard&) const = default;
};
// "3/8" -> {3, 8}; throws UsageError naming the value and what is allowed.
Shard parse_shard(std::string_view text);
// Position of the task in grid order: point id * number of ops + op's place in the job's op list.
std::uint64_t grid_position(const Task& task, const JobSpec& spec);
bool in_shard(const Task& task, const JobSpec& spec, const Shard& shard);

}  // namespace gs
