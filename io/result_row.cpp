#include "io/result_row.hpp"

#include "jobs/dtype.hpp"
#include "jobs/op.hpp"

namespace gs {
namespace {

ResultRow row_for_task(const Task& task) {
  ResultRow row;
  row.task_id = task.id;
  row.point_id = task.point.id;
  row.op = std::string(to_string(task.op));
  row.dtype = std::string(to_string(task.point.dtype));
  row.hidden_size = task.point.hidden_size;
  row.heads = task.point.heads;
  row.head_dim = task.point.head_dim;
  row.microbatch = task.point.microbatch;
  row.seq_length = task.point.seq_length;
  row.tensor_parallel = task.point.tensor_parallel;
  row.vocab_size = task.point.vocab_size;
  row.batch = task.shape.batch;
  row.m = task.shape.m;
  row.n = task.shape.n;
  row.k = task.shape.k;
  row.flops = task.flops();
  row.message_bytes = task.point.message_bytes;
  row.group_size = task.point.group_size;
  return row;
}

}  // namespace

ResultRow make_result_row(const Task& task, const Measurement& m, int rank, const std::string& host,
                          const std::string& device, int attempt, double started_unix) {
  ResultRow row = row_for_task(task);
  row.samples = m.samples;
  row.time_s = m.time_s;
  row.time_min_s = m.time_min_s;
  row.time_mean_s = m.time_mean_s;
  row.time_std_s = m.time_std_s;
  row.rel_ci = m.rel_ci;
  row.status = std::string(to_string(m.status));
  row.tflops = (m.status == TaskStatus::ok && m.time_s > 0) ? row.flops / m.time_s / 1e12 : 0.0;
  if (is_collective(task.op) && m.status == TaskStatus::ok && m.time_s > 0) {
    row.algbw_gbs = static_cast<double>(row.message_bytes) / m.time_s / 1e9;
    row.busbw_gbs = row.algbw_gbs * bus_factor(task.op, row.group_size);
  }
  row.converged = m.converged;
  row.launches_per_sample = m.launches_per_sample;
  row.message = m.message;
  row.rank = rank;
  row.attempt = attempt;
  row.host = host;
  row.device = device;
  row.compute_dtype = m.compute_dtype;
  row.algo = m.algo;
  row.sm_clock_before_mhz = m.before.sm_clock_mhz;
  row.sm_clock_after_mhz = m.after.sm_clock_mhz;
  row.temperature_before_c = m.before.temperature_c;
  row.temperature_after_c = m.after.temperature_c;
  row.power_before_w = m.before.power_w;
  row.power_after_w = m.after.power_w;
  row.throttle_reasons = m.before.throttle_reasons | m.after.throttle_reasons;
  row.started_unix = started_unix;
  return row;
}

ResultRow make_skipped_row(const SkippedTask& skipped) {
  ResultRow row = row_for_task(skipped.task);
  row.status = "skipped";
  row.message = skipped.reason;
  row.rank = -1;  // no rank measured it
  row.samples = 0;
  return row;
}

}  // namespace gs
