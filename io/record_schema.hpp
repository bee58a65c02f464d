#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "io/h5_handle.hpp"
#include "io/result_columns.hpp"
#include "io/result_row.hpp"
#include "worker/device_info.hpp"

namespace gs {

// The compound layouts of /results and /devices, derived from the column tables of
// io/result_columns.hpp, so that type, packing and unpacking cannot disagree. Records are packed
// (no padding) and little-endian, and the memory type equals the file type, so HDF5 writes and
// reads them without conversion. Strings are fixed-length, NUL-padded UTF-8 (ASCII in practice):
// a plain 'S' column in h5py, fast to write, decoded by analysis/gemmsweep_analysis/load.py;
// longer values are cut and end in "..." (messages keep their first 253 characters).
//
// format_version 3 added stop_reason and NaN for float telemetry that was not read (2 stored 0).
inline constexpr int kFormatVersion = 3;
// Versions this gemmsweep reads (report, export, merge): the layout of each is the table's
// columns with `since` up to it. Only kFormatVersion is written and resumed.
inline constexpr int kReadableFormatVersions[] = {2, 3};
bool is_readable_format_version(int version);

// Size in bytes of one packed record, and its HDF5 compound type (memory type == file type).
// `version`: the layout of /results in a file of that format_version (kReadableFormatVersions).
std::size_t result_record_size(int version = kFormatVersion);
std::size_t device_record_size();
H5Type make_result_type(int version = kFormatVersion);
H5Type make_device_type();
// A fixed-length NUL-padded UTF-8 string type of `width` bytes.
H5Type make_fixed_string_type(std::size_t width);

// Packs rows into / unpacks them from consecutive records at `out` / `in`.
void pack_record(const ResultRow& row, std::byte* out);
void pack_record(const DeviceInfo& device, std::byte* out);
// A record of an earlier version gets the defaults of the columns it lacks, NaN for telemetry
// it stored as 0, and the stop_reason its converged flag and message imply.
void unpack_record(const std::byte* in, ResultRow& row, int version = kFormatVersion);
void unpack_record(const std::byte* in, DeviceInfo& device);

// Copies text into a width-byte NUL-padded field, cutting it (ending in "...") when too long.
void put_fixed_text(std::string_view text, std::byte* field, std::size_t width);
std::string get_fixed_text(const std::byte* field, std::size_t width);

}  // namespace gs
