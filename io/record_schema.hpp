#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "io/h5_handle.hpp"
#include "io/result_row.hpp"
#include "worker/device_info.hpp"

namespace gs {

// The compound layouts of /results and /devices. One field list per record type
// (visit_fields) drives the HDF5 type, packing and unpacking, so they cannot disagree.
// Records are packed (no padding) and little-endian, and the memory type equals the file type,
// so HDF5 writes and reads them without conversion. Strings are fixed-length, NUL-padded
// UTF-8 (ASCII in practice): a plain 'S' column in h5py, fast to write, decoded by
// analysis/gemmsweep_analysis/load.py; longer values are cut and end in "..." (messages keep their
// first 253 characters).
inline constexpr int kFormatVersion = 2;
// The format_versions whose files this build reads, resumes and merges (check_format_version in
// io/results_checks.cpp). A new version that keeps the old layouts readable adds itself here.
inline constexpr int kReadableFormatVersions[] = {2};

template <class Row, class Visitor>
void visit_fields(Row& r, Visitor& v) requires std::is_same_v<std::remove_const_t<Row>, ResultRow> {
  v.number("task_id", r.task_id);
  v.number("point_id", r.point_id);
  v.text("op", r.op, 32);
  v.text("dtype", r.dtype, 8);
  v.number("hidden_size", r.hidden_size);
  v.number("heads", r.heads);
  v.number("head_dim", r.head_dim);
  v.number("microbatch", r.microbatch);
  v.number("seq_length", r.seq_length);
  v.number("tensor_parallel", r.tensor_parallel);
  v.number("vocab_size", r.vocab_size);
  v.number("batch", r.batch);
  v.number("m", r.m);
  v.number("n", r.n);
  v.number("k", r.k);
  v.number("flops", r.flops);
  v.number("samples", r.samples);
  v.number("time_s", r.time_s);
  v.number("time_min_s", r.time_min_s);
  v.number("time_mean_s", r.time_mean_s);
  v.number("time_std_s", r.time_std_s);
  v.number("rel_ci", r.rel_ci);
  v.number("tflops", r.tflops);
  v.boolean("converged", r.converged);
  v.number("launches_per_sample", r.launches_per_sample);
  v.text("status", r.status, 8);
  v.text("message", r.message, 256);
  v.number("rank", r.rank);
  v.number("attempt", r.attempt);
  v.text("host", r.host, 64);
  v.text("device", r.device, 64);
  v.text("compute_dtype", r.compute_dtype, 16);
  v.text("algo", r.algo, 128);
  v.number("sm_clock_before_mhz", r.sm_clock_before_mhz);
  v.number("sm_clock_after_mhz", r.sm_clock_after_mhz);
  v.number("temperature_before_c", r.temperature_before_c);
  v.number("temperature_after_c", r.temperature_after_c);
  v.number("power_before_w", r.power_before_w);
  v.number("power_after_w", r.power_after_w);
  v.number("throttle_reasons", r.throttle_reasons);
  v.number("started_unix", r.started_unix);
  // Added with the collectives (format_version 2): new columns go at the end only.
  v.number("message_bytes", r.message_bytes);
  v.number("group_size", r.group_size);
  v.number("algbw_gbs", r.algbw_gbs);
  v.number("busbw_gbs", r.busbw_gbs);
}

template <class Row, class Visitor>
void visit_fields(Row& d,
                  Visitor& v) requires std::is_same_v<std::remove_const_t<Row>, DeviceInfo> {
  v.text("backend", d.backend, 16);
  v.text("name", d.name, 128);
  v.text("uuid", d.uuid, 64);
  v.text("host", d.host, 64);
  v.number("rank", d.rank);
  v.text("compute_capability", d.compute_capability, 16);
  v.number("sm_count", d.sm_count);
  v.number("memory_bytes", d.memory_bytes);
  v.number("sm_clock_max_mhz", d.sm_clock_max_mhz);
  v.number("mem_clock_max_mhz", d.mem_clock_max_mhz);
  v.text("driver_version", d.driver_version, 32);
  v.text("runtime_version", d.runtime_version, 32);
  v.text("blas_version", d.blas_version, 64);
  v.number("threads", d.threads);
}

// Size in bytes of one packed record, and its HDF5 compound type (memory type == file type).
std::size_t result_record_size();
std::size_t device_record_size();
H5Type make_result_type();
H5Type make_device_type();
// A fixed-length NUL-padded UTF-8 string type of `width` bytes.
H5Type make_fixed_string_type(std::size_t width);

// Packs rows into / unpacks them from consecutive records at `out` / `in`.
void pack_record(const ResultRow& row, std::byte* out);
void pack_record(const DeviceInfo& device, std::byte* out);
void unpack_record(const std::byte* in, ResultRow& row);
void unpack_record(const std::byte* in, DeviceInfo& device);

// Copies text into a width-byte NUL-padded field, cutting it (ending in "...") when too long.
void put_fixed_text(std::string_view text, std::byte* field, std::size_t width);
std::string get_fixed_text(const std::byte* field, std::size_t width);

}  // namespace gs
