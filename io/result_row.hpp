#pragma once
#include <cstdint>
#include <string>

#include "jobs/task.hpp"
#include "worker/measurement.hpp"

namespace gs {

// One row of /results: a (point, op) with what was measured, where and when.
// io/result_columns.hpp describes each field once and maps it onto the column of the same name.
struct ResultRow {
  std::uint64_t task_id = 0;
  std::uint64_t point_id = 0;
  std::string op;
  std::string dtype;
  std::int64_t hidden_size = 0, heads = 0, head_dim = 0, microbatch = 0, seq_length = 0,
               tensor_parallel = 0, vocab_size = 0;
  std::int64_t batch = 0, m = 0, n = 0, k = 0;
  double flops = 0;
  std::int32_t samples = 0;
  double time_s = 0, time_min_s = 0, time_mean_s = 0, time_std_s = 0, rel_ci = 0;
  double tflops = 0;
  bool converged = false;
  std::int32_t launches_per_sample = 1;
  std::string status;  // ok | skipped | failed
  std::string message;
  std::int32_t rank = 0;
  std::int32_t attempt = 0;
  std::string host;
  std::string device;
  std::string compute_dtype;
  std::string algo;
  // NaN where the backend does not read them (cpu, model, a GPU without NVML).
  double sm_clock_before_mhz = kNotRead, sm_clock_after_mhz = kNotRead,
         temperature_before_c = kNotRead, temperature_after_c = kNotRead, power_before_w = kNotRead,
         power_after_w = kNotRead;
  std::uint64_t throttle_reasons = 0;  // OR of before and after; 0 also where not read
  double started_unix = 0;             // wall clock when measurement began
  // Collectives (zero for GEMM rows): nccl-tests' size and group, algorithm bandwidth
  // message_bytes / time_s and bus bandwidth algbw * bus_factor(op, group_size), in GB/s (1e9).
  std::int64_t message_bytes = 0, group_size = 0;
  double algbw_gbs = 0, busbw_gbs = 0;
  std::string stop_reason;  // converged | max_samples | max_seconds_per_point | "" (not sampled)

  // NaN compares unequal to itself: rows are equal when every field is, NaN matching NaN.
  bool operator==(const ResultRow& other) const;
};

// Builds the row for a task and its measurement (status, times, tflops = flops / time_s / 1e12).
ResultRow make_result_row(const Task& task, const Measurement& m, int rank, const std::string& host,
                          const std::string& device, int attempt, double started_unix);
// A row for a task that was skipped before measuring (grid reason).
ResultRow make_skipped_row(const SkippedTask& skipped);

}  // namespace gs
