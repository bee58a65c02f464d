#include "io/results_layout.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "io/h5_attributes.hpp"
#include "io/record_schema.hpp"
#include "io/results_checks.hpp"
#include "io/results_store.hpp"

namespace gs {
namespace {

constexpr hsize_t kReadBatchRows = 65536;

template <class Row, class Unpack>
std::vector<Row> read_all(const RecordDataset& dataset, std::size_t record_size,
                          const Unpack& unpack) {
  std::vector<Row> out(static_cast<std::size_t>(dataset.rows()));
  for (hsize_t first = 0; first < dataset.rows(); first += kReadBatchRows) {
    const hsize_t count = std::min(kReadBatchRows, dataset.rows() - first);
    const std::vector<std::byte> records = dataset.read(first, count);
    for (hsize_t i = 0; i < count; ++i) unpack(records.data() + i * record_size, out[first + i]);
  }
  return out;
}

struct UnitCollector {
  nlohmann::ordered_json* units;
  template <class T, class Access>
  void column(const ColumnInfo& c, const T&, Access) {
    (*units)[std::string(c.name)] = std::string(c.unit);
  }
};

// The format_version whose /results layout `type` is, or 0 for none we read.
int layout_version(hid_t type) {
  for (const int version : kReadableFormatVersions) {
    const H5Type expected = make_result_type(version);
    if (same_record_type(type, expected.get())) return version;
  }
  return 0;
}

}  // namespace

void create_results_layout(hid_t file, RecordDataset& results, RecordDataset& devices,
                           RecordDataset& provenance) {
  const H5Type result_type = make_result_type();
  const H5Type device_type = make_device_type();
  const H5Type entry_type = make_fixed_string_type(kProvenanceWidth);
  results = RecordDataset::create(file, kResultsDataset, result_type.get(), kResultsChunkRows);
  devices = RecordDataset::create(file, kDevicesDataset, device_type.get(), 16);
  provenance = RecordDataset::create(file, kProvenanceDataset, entry_type.get(), 4);
  write_text_attribute(results.id(), "units", results_units_json());
}

std::string results_units_json() {
  nlohmann::ordered_json units = nlohmann::ordered_json::object();
  UnitCollector collector{&units};
  const ResultRow row;
  visit_result_columns(row, collector);
  return units.dump();
}

int open_results_layout(const std::string& path, hid_t file, RecordDataset& results,
                        RecordDataset& devices, RecordDataset& provenance) {
  check_results_structure(path, file);
  results = RecordDataset::open(file, kResultsDataset);
  devices = RecordDataset::open(file, kDevicesDataset);
  provenance = RecordDataset::open(file, kProvenanceDataset);
  const int version = layout_version(results.type());
  const H5Type device_type = make_device_type();
  if (version == 0 || !same_record_type(devices.type(), device_type.get()))
    throw StoreError(fmt::format(
        "{}: /results or /devices has a layout of no format_version this gemmsweep reads ({}); "
        "it is foreign or from another version",
        path, fmt::join(kReadableFormatVersions, ", ")));
  if (H5Tget_class(provenance.type()) != H5T_STRING)
    throw StoreError(fmt::format("{}: /provenance is not a string dataset", path));
  return version;
}

RowStatus parse_row_status(std::string_view status) {
  if (status == "ok") return RowStatus::ok;
  if (status == "skipped") return RowStatus::skipped;
  if (status == "failed") return RowStatus::failed;
  if (status.empty()) return RowStatus::unwritten;
  if (status == "calib") return RowStatus::calibration;
  return RowStatus::other;
}

std::vector<TaskKey> read_task_keys(const RecordDataset& results) {
  struct Key {
    std::uint64_t task_id;
    char status[8];
  };
  const H5Type status_type = make_fixed_string_type(sizeof(Key::status));
  const H5Type key_type(H5_CHECK(H5Tcreate(H5T_COMPOUND, sizeof(Key))));
  H5_CHECK(H5Tinsert(key_type.get(), "task_id", offsetof(Key, task_id), H5T_NATIVE_UINT64));
  H5_CHECK(H5Tinsert(key_type.get(), "status", offsetof(Key, status), status_type.get()));

  std::vector<TaskKey> out(static_cast<std::size_t>(results.rows()));
  std::vector<Key> keys(static_cast<std::size_t>(std::min(kReadBatchRows, results.rows())));
  for (hsize_t first = 0; first < results.rows(); first += kReadBatchRows) {
    const hsize_t count = std::min(kReadBatchRows, results.rows() - first);
    H5Space file_space(H5_CHECK(H5Dget_space(results.id())));
    H5_CHECK(
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr));
    const H5Space memory_space(H5_CHECK(H5Screate_simple(1, &count, nullptr)));
    H5_CHECK(H5Dread(results.id(), key_type.get(), memory_space.get(), file_space.get(),
                     H5P_DEFAULT, keys.data()));
    for (hsize_t i = 0; i < count; ++i) {
      const Key& key = keys[i];
      out[first + i] = {key.task_id, parse_row_status(std::string_view(
                                         key.status, strnlen(key.status, sizeof key.status)))};
    }
  }
  return out;
}

std::vector<ResultRow> read_rows(const RecordDataset& results, int version) {
  return read_all<ResultRow>(
      results, result_record_size(version),
      [version](const std::byte* in, ResultRow& row) { unpack_record(in, row, version); });
}

std::vector<DeviceInfo> read_devices(const RecordDataset& devices) {
  return read_all<DeviceInfo>(
      devices, device_record_size(),
      [](const std::byte* in, DeviceInfo& device) { unpack_record(in, device); });
}

std::string device_key(const DeviceInfo& d) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}", d.host, d.rank, d.uuid, d.name);
}

}  // namespace gs
