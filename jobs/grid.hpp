#pragma once
#include <cstdint>
#include <vector>

#include "jobs/job_spec.hpp"
#include "jobs/task.hpp"

namespace gs {

// The expanded job: every (point, op) either as a task to measure or skipped with a reason.
// Both lists are in grid order (point id, then the job's op order).
struct Grid {
  std::uint64_t point_count = 0;
  std::vector<Task> tasks;
  std::vector<SkippedTask> skipped;
};

// Cartesian product of the job's axes in row-major order: dtype, then (model jobs) heads,
// head_dim, hidden_size (the two given), microbatch, seq_length, tensor_parallel, vocab_size, or
// (raw jobs) batch, m, n, k, or (comm jobs) group_size, bytes; the last axis varies fastest. Point
// ids are indices in that order.
Grid expand(const JobSpec& spec);

// Number of points expand() would produce, saturating at UINT64_MAX; no allocation.
std::uint64_t grid_point_count(const JobSpec& spec);

}  // namespace gs
