#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "io/result_row.hpp"
#include "io/run_provenance.hpp"
#include "worker/device_info.hpp"

namespace gs {

// The writable results file (docs/results-format.md). Only rank 0 owns one. Appends are buffered
// and made durable at least every 2 seconds or every 256 rows; a SIGKILL at any moment loses at
// most the rows since the last durable point and leaves a file that report, --resume and h5py open.
// A second writer of the same file is refused with a message naming the holder (host, pid).
class ResultsStore {
 public:
  // New file; refuses to overwrite an existing one (StoreError).
  static ResultsStore create(const std::string& path, const RunProvenance& provenance);
  // Existing file for --resume: refuses one whose spec_hash differs (grid changed); timing may
  // change. After it, finished() holds the task ids already done (ok or skipped rows); failed rows
  // are not finished, and a new row for such a task replaces the failed one; unwritten rows
  // (empty status) are ignored. With `grid_ids` (the job's task ids), a file holding a measured row
  // of a task outside the grid (forged or damaged: gemmsweep never writes one) is refused before
  // anything is written, since --resume would otherwise add a second row for a shape it holds.
  static ResultsStore resume(const std::string& path, const RunProvenance& provenance,
                             const std::unordered_set<std::uint64_t>* grid_ids = nullptr);

  ResultsStore(ResultsStore&&) noexcept;
  ResultsStore& operator=(ResultsStore&&) noexcept;
  ~ResultsStore();  // flushes; never throws

  const std::unordered_set<std::uint64_t>& finished() const;
  // Rows with an empty status that resume found (never written: a write failed after the dataset
  // grew); those at the end of /results were dropped, the others are ignored.
  std::size_t unwritten_rows() const;
  // Rows whose status is none that gemmsweep writes (a forged or damaged file): their tasks are
  // not finished, so they are measured again.
  std::size_t unknown_status_rows() const;
  void append(const std::vector<ResultRow>& rows);
  void add_devices(const std::vector<DeviceInfo>& devices);
  void flush();  // durable now
  // Adds entries (JSON objects as text) to the file's /provenance history (merge uses it).
  void add_provenance(const std::vector<std::string>& entries);
  // Merge: rows are already unique, and task ids of different grids may coincide, so a later
  // row never replaces an earlier failed one.
  void disable_failed_row_replacement();
  // Records the end time and whether every task has an ok or skipped row (attribute `complete`),
  // then closes.
  void close(bool complete);

 private:
  struct Impl;
  explicit ResultsStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A results file that cannot be used: missing, truncated, foreign, locked, or incompatible.
// The command line turns it into exit status 2 with what() as the one line.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gs
