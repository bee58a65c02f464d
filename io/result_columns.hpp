#pragma once
#include <type_traits>

#include "io/column_info.hpp"
#include "io/result_row.hpp"
#include "worker/device_info.hpp"

namespace gs {

// The column table of /results: one line per column, in file order. From it come the HDF5
// compound type (io/record_schema.cpp), the units attribute of /results, the packing of the
// measured columns between ranks (orchestrator/task_outcome.cpp), the copy of a Measurement into
// a row (io/result_row.cpp), csv / jsonl export (io/row_export.cpp) and the column reference of
// docs/results-format.md (checked against this table by tests/io/test_column_table.cpp).
// Adding a column is one line here plus its member in ResultRow (and in Measurement when a
// worker measures it); new columns go at the end with `since` the new format_version.
//
// `status` is measured too, but as the Measurement's TaskStatus, not text: task_outcome.cpp
// packs it ahead of the table's columns and make_result_row names it.
template <class Row, class Visitor>
void visit_result_columns(Row& r,
                          Visitor& v) requires std::is_same_v<std::remove_const_t<Row>, ResultRow> {
  using M = Measurement;
  using R = DeviceReadings;
  // One line per column, as a table reads.
  // clang-format off
  v.column({"task_id", "", "task identity: a hash of point_id and op, stable across runs"}, r.task_id, kNotMeasured);
  v.column({"point_id", "", "grid point identity: a hash of the point's model dimensions and dtype"}, r.point_id, kNotMeasured);
  v.column({"op", "", "op: attention_score, qkv_transform, ..., gemm, bmm, or a collective", 32}, r.op, kNotMeasured);
  v.column({"dtype", "", "requested element type: fp16, bf16, fp32, tf32, fp8", 8}, r.dtype, kNotMeasured);
  v.column({"hidden_size", "", "h (0 for raw gemm / bmm)"}, r.hidden_size, kNotMeasured);
  v.column({"heads", "", "a, attention heads (0 for raw gemm / bmm)"}, r.heads, kNotMeasured);
  v.column({"head_dim", "", "h/a (0 for raw gemm / bmm)"}, r.head_dim, kNotMeasured);
  v.column({"microbatch", "", "b"}, r.microbatch, kNotMeasured);
  v.column({"seq_length", "", "s"}, r.seq_length, kNotMeasured);
  v.column({"tensor_parallel", "", "t"}, r.tensor_parallel, kNotMeasured);
  v.column({"vocab_size", "", "v (logit op; 0 otherwise)"}, r.vocab_size, kNotMeasured);
  v.column({"batch", "", "GEMM batch count"}, r.batch, kNotMeasured);
  v.column({"m", "", "GEMM rows of A and C"}, r.m, kNotMeasured);
  v.column({"n", "", "GEMM reduction dimension"}, r.n, kNotMeasured);
  v.column({"k", "", "GEMM columns of B and C"}, r.k, kNotMeasured);
  v.column({"flops", "FLOP", "2 * batch * m * n * k"}, r.flops, kNotMeasured);
  v.column({"samples", "", "timed samples taken"}, r.samples, kMeasured<&M::samples>);
  v.column({"time_s", "s", "median seconds per call, the headline"}, r.time_s, kMeasured<&M::time_s>);
  v.column({"time_min_s", "s", "fastest sample, seconds per call"}, r.time_min_s, kMeasured<&M::time_min_s>);
  v.column({"time_mean_s", "s", "mean of the samples, seconds per call"}, r.time_mean_s, kMeasured<&M::time_mean_s>);
  v.column({"time_std_s", "s", "sample standard deviation (n - 1), seconds per call"}, r.time_std_s, kMeasured<&M::time_std_s>);
  v.column({"rel_ci", "fraction", "95% CI half-width of the median over the median (inf below 6 samples)"}, r.rel_ci, kMeasured<&M::rel_ci>);
  v.column({"tflops", "TFLOP/s", "flops / time_s / 1e12 (0 unless status ok)"}, r.tflops, kNotMeasured);
  v.column({"converged", "", "the max_rel_ci rule stopped sampling (see stop_reason)"}, r.converged, kMeasured<&M::converged>);
  v.column({"launches_per_sample", "", "calls timed together in one sample"}, r.launches_per_sample, kMeasured<&M::launches_per_sample>);
  v.column({"status", "", "ok | skipped | failed | calib (calibration)", 8}, r.status, kNotMeasured);
  v.column({"message", "", "why skipped or failed; notes (first 253 characters)", 256}, r.message, kMeasured<&M::message>);
  v.column({"rank", "", "MPI rank that measured it; -1 for a row no rank measured (skipped)"}, r.rank, kNotMeasured);
  v.column({"attempt", "", "which try produced the row (1 = first)"}, r.attempt, kNotMeasured);
  v.column({"host", "", "host name of the rank", 64}, r.host, kNotMeasured);
  v.column({"device", "", "device name (/devices has the rest)", 64}, r.device, kNotMeasured);
  v.column({"compute_dtype", "", "what actually ran, e.g. fp32 for fp16 on the cpu backend", 16}, r.compute_dtype, kMeasured<&M::compute_dtype>);
  v.column({"algo", "", "library / algorithm that ran", 128}, r.algo, kMeasured<&M::algo>);
  v.column({"sm_clock_before_mhz", "MHz", "SM clock before the point (NVML); NaN where not read", 0, 1, true}, r.sm_clock_before_mhz, kMeasured<&M::before, &R::sm_clock_mhz>);
  v.column({"sm_clock_after_mhz", "MHz", "SM clock after the point (NVML); NaN where not read", 0, 1, true}, r.sm_clock_after_mhz, kMeasured<&M::after, &R::sm_clock_mhz>);
  v.column({"temperature_before_c", "degC", "GPU temperature before; NaN where not read", 0, 1, true}, r.temperature_before_c, kMeasured<&M::before, &R::temperature_c>);
  v.column({"temperature_after_c", "degC", "GPU temperature after; NaN where not read", 0, 1, true}, r.temperature_after_c, kMeasured<&M::after, &R::temperature_c>);
  v.column({"power_before_w", "W", "board power before; NaN where not read", 0, 1, true}, r.power_before_w, kMeasured<&M::before, &R::power_w>);
  v.column({"power_after_w", "W", "board power after; NaN where not read", 0, 1, true}, r.power_after_w, kMeasured<&M::after, &R::power_w>);
  v.column({"throttle_reasons", "", "NVML clocks-event bits, OR of before and after; 0 also where not read"}, r.throttle_reasons, kMeasuredThrottleReasons);
  v.column({"started_unix", "s", "wall clock when measuring began, seconds since 1970 UTC"}, r.started_unix, kNotMeasured);
  v.column({"message_bytes", "B", "collectives: message size (0 for GEMMs)", 0, 2}, r.message_bytes, kNotMeasured);
  v.column({"group_size", "", "collectives: ranks in the group (0 for GEMMs)", 0, 2}, r.group_size, kNotMeasured);
  v.column({"algbw_gbs", "GB/s", "collectives: message_bytes / time_s / 1e9 (0 for GEMMs)", 0, 2}, r.algbw_gbs, kNotMeasured);
  v.column({"busbw_gbs", "GB/s", "collectives: algbw_gbs x nccl-tests' bus factor (0 for GEMMs)", 0, 2}, r.busbw_gbs, kNotMeasured);
  v.column({"stop_reason", "", "what stopped sampling: converged | max_samples | max_seconds_per_point; empty when not sampled", 24, 3}, r.stop_reason, kMeasured<&M::stop_reason>);
  // clang-format on
}

// The column table of /devices, one row per device that measured (no unit attribute needed
// beyond these; nothing of it travels as a Measurement).
template <class Row, class Visitor>
void visit_device_columns(
    Row& d, Visitor& v) requires std::is_same_v<std::remove_const_t<Row>, DeviceInfo> {
  v.column({"backend", "", "cuda | cpu | model", 16}, d.backend, kNotMeasured);
  v.column({"name", "", "device name, CPU model, or model:GPU", 128}, d.name, kNotMeasured);
  v.column({"uuid", "", "GPU UUID (empty on cpu / model)", 64}, d.uuid, kNotMeasured);
  v.column({"host", "", "host name", 64}, d.host, kNotMeasured);
  v.column({"rank", "", "MPI rank"}, d.rank, kNotMeasured);
  v.column({"compute_capability", "", "e.g. 9.0", 16}, d.compute_capability, kNotMeasured);
  v.column({"sm_count", "", "streaming multiprocessors"}, d.sm_count, kNotMeasured);
  v.column({"memory_bytes", "B", "device memory"}, d.memory_bytes, kNotMeasured);
  v.column({"sm_clock_max_mhz", "MHz", "maximum SM clock (0 where unknown)"}, d.sm_clock_max_mhz,
           kNotMeasured);
  v.column({"mem_clock_max_mhz", "MHz", "maximum memory clock (0 where unknown)"},
           d.mem_clock_max_mhz, kNotMeasured);
  v.column({"driver_version", "", "driver version", 32}, d.driver_version, kNotMeasured);
  v.column({"runtime_version", "", "CUDA runtime version", 32}, d.runtime_version, kNotMeasured);
  v.column({"blas_version", "", "cuBLAS or OpenBLAS version", 64}, d.blas_version, kNotMeasured);
  v.column({"threads", "", "cpu backend: BLAS threads of the rank"}, d.threads, kNotMeasured);
}

}  // namespace gs
