#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/record_dataset.hpp"
#include "io/result_row.hpp"
#include "worker/device_info.hpp"

namespace gs {

// The three datasets of a results file, created or opened (and checked) together.
void create_results_layout(hid_t file, RecordDataset& results, RecordDataset& devices,
                           RecordDataset& provenance);
// /results also gets the attribute `units`: a JSON object mapping each column to its unit
// ("" for counts, names and flags), since compound fields cannot carry attributes of their own.
// Returns the format_version whose layout /results has (one of kReadableFormatVersions); throws
// StoreError when the file is not a gemmsweep results file of a readable format.
int open_results_layout(const std::string& path, hid_t file, RecordDataset& results,
                        RecordDataset& devices, RecordDataset& provenance);
// The units attribute's text: {"task_id": "", ..., "time_s": "s", ...}.
std::string results_units_json();

// `unwritten`: an empty status, which no writer puts in a row: the row of a dataset that grew but
// whose write failed (or a gemmsweep before that was shrunk back) reads back zero-filled.
// Every reader ignores such rows.
// `calibration`: a rank's reference measurement (status "calib"), not a task of the grid.
enum class RowStatus : std::uint8_t { ok, skipped, failed, unwritten, calibration, other };
RowStatus parse_row_status(std::string_view status);
inline bool is_unwritten_row(const ResultRow& row) { return row.status.empty(); }

// What --resume needs of each row: read as two columns only, without unpacking whole rows.
struct TaskKey {
  std::uint64_t task_id = 0;
  RowStatus status = RowStatus::other;
};
std::vector<TaskKey> read_task_keys(const RecordDataset& results);

// `version`: what open_results_layout returned for the file.
std::vector<ResultRow> read_rows(const RecordDataset& results, int version);
std::vector<DeviceInfo> read_devices(const RecordDataset& devices);
// Identity of a device row: one per (host, rank, uuid, name).
std::string device_key(const DeviceInfo& device);

}  // namespace gs
