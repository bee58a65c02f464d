#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "io/h5_handle.hpp"

namespace gs {

// Dataset names and chunking of a results file.
inline constexpr const char* kResultsDataset = "results";
inline constexpr const char* kDevicesDataset = "devices";
inline constexpr const char* kProvenanceDataset = "provenance";
// One chunk per durable batch of 256 rows (about 200 KB): a flush rewrites little.
inline constexpr hsize_t kResultsChunkRows = 256;
inline constexpr std::size_t kProvenanceWidth = 4096;  // one JSON object per entry

// A one-dimensional, chunked, extendible dataset of fixed-size records (compound rows or
// fixed-length strings) that grows by appends and can overwrite a row in place. All of it is
// allowed to a SWMR writer.
class RecordDataset {
 public:
  RecordDataset() = default;
  static RecordDataset create(hid_t file, const char* name, hid_t type, hsize_t chunk_rows);
  static RecordDataset open(hid_t file, const char* name);

  hsize_t rows() const { return rows_; }
  std::size_t record_size() const { return record_size_; }
  hid_t id() const { return dataset_.get(); }
  hid_t type() const { return type_.get(); }

  // Grows the dataset and writes the records; when the write fails the dataset is shrunk back
  // (rows grown but never written would read back as zero-filled records) and it rethrows.
  void append(const std::byte* records, hsize_t count);
  void write_at(hsize_t index, const std::byte* record);
  // Reads rows [first, first + count) in the file's own record layout.
  std::vector<std::byte> read(hsize_t first, hsize_t count) const;
  void flush();
  // Shrinks the dataset to its first `rows` rows (allowed to a SWMR writer): takes back rows
  // whose write or flush failed. Returns false when HDF5 refuses; never throws.
  bool truncate(hsize_t rows) noexcept;
  // Closes without a word (see H5Handle::release_quietly).
  void release_quietly() noexcept {
    dataset_.release_quietly();
    type_.release_quietly();
  }

 private:
  H5Dataset dataset_;
  H5Type type_;  // the file's record type (== memory type for our own layouts)
  std::size_t record_size_ = 0;
  hsize_t rows_ = 0;
};

// Whether an existing dataset's record type is exactly `expected` (same fields, same layout).
bool same_record_type(hid_t dataset_type, hid_t expected);

}  // namespace gs
