#pragma once
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "io/h5_check.hpp"
#include "io/h5_file.hpp"
#include "io/record_dataset.hpp"
#include "io/results_store.hpp"
#include "io/writer_lock.hpp"

namespace gs {

// The open store: its file and datasets, what resume found, and the rows waiting for the flusher
// thread, which makes them durable within 2 s (results_store_impl.cpp). Used by results_store.cpp
// only.
struct ResultsStore::Impl {
  using Clock = std::chrono::steady_clock;
  // Rows become durable at the latest this long after they arrive (the contract says 2 s; the
  // flusher wakes every 100 ms, so it must start before 2 s have passed).
  static constexpr auto kMaxPendingAge = std::chrono::milliseconds(1500);

  std::string path;
  WriterLock lock;
  H5File file;
  RecordDataset results, devices, provenance;
  std::unordered_set<std::uint64_t> finished;
  // Rows that a new row for the same task replaces (failed rows), by task id.
  std::unordered_map<std::uint64_t, hsize_t> replaceable;
  std::unordered_set<std::string> device_keys;
  std::size_t unwritten_rows = 0;       // found by resume
  std::size_t unknown_status_rows = 0;  // found by resume: a status no gemmsweep writes
  bool replace_failed = true;

  std::mutex mutex;
  std::vector<std::byte> pending;  // packed rows not yet in the file
  hsize_t pending_rows = 0;
  std::vector<std::pair<hsize_t, std::vector<std::byte>>> pending_replacements;
  std::vector<std::byte> pending_devices;
  hsize_t pending_device_rows = 0;
  Clock::time_point oldest_pending{};
  std::string flusher_error;
  // A write has failed (closing then fails the same way), and whether the caller was told.
  bool failed_write = false;
  bool told = false;
  std::string beyond_repair;  // a failed write that could not be taken back: no more writes

  std::condition_variable wake;
  bool stopping = false;
  bool closed = false;
  std::thread flusher;

  explicit Impl(WriterLock l) : lock(std::move(l)) {}

  bool has_pending() const {
    return pending_rows > 0 || !pending_replacements.empty() || pending_device_rows > 0;
  }
  // Writes what is pending and flushes it to the file. Caller holds mutex. A write or flush that
  // fails shrinks the dataset back to its rows from before (grown but unwritten rows would read
  // back as zero-filled rows with an empty status) and keeps the pending rows, so a later flush
  // (the destructor's, after the disk has room again) writes them; it throws StoreError.
  void flush_locked();
  // `taken_back`: the dataset is back at its rows from before, so the pending rows may be
  // written again; else a retry would write them a second time, after rows of unknown state.
  [[noreturn]] void write_failed(const Hdf5Error& e, bool taken_back);
  // Throws StoreError (and stops all writing) when the path no longer names the open file.
  void check_still_in_place();
  void note_pending() {
    if (!has_pending()) oldest_pending = Clock::now();
  }
  void rethrow_flusher_error();
  void run_flusher();
  void start_flusher();
  void stop_flusher() noexcept;
  void finish(bool complete);
};

}  // namespace gs
