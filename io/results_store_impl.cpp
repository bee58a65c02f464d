#include "io/results_store_impl.hpp"

#include <fmt/format.h>

#include "io/h5_attributes.hpp"
#include "io/provenance_log.hpp"

namespace gs {
namespace {

constexpr auto kFlusherTick = std::chrono::milliseconds(100);

}  // namespace

void ResultsStore::Impl::check_still_in_place() {
  if (lock.still_names(path)) return;
  failed_write = told = true;
  beyond_repair = fmt::format(
      "{}: the results file was deleted, moved or replaced while this run wrote it; the rows "
      "written to it are not at that path any more",
      path);
  throw StoreError(beyond_repair);
}

void ResultsStore::Impl::flush_locked() {
  if (!beyond_repair.empty()) throw StoreError(beyond_repair);
  if (!has_pending()) return;
  check_still_in_place();
  if (pending_rows > 0 || !pending_replacements.empty()) {
    const hsize_t durable = results.rows();
    try {
      results.append(pending.data(), pending_rows);
      for (const auto& [index, record] : pending_replacements)
        results.write_at(index, record.data());
      results.flush();
    } catch (const Hdf5Error& e) {
      write_failed(e, results.truncate(durable));
    }
    pending.clear();
    pending_rows = 0;
    pending_replacements.clear();
  }
  if (pending_device_rows > 0) {
    const hsize_t durable = devices.rows();
    try {
      devices.append(pending_devices.data(), pending_device_rows);
      devices.flush();
    } catch (const Hdf5Error& e) {
      write_failed(e, devices.truncate(durable));
    }
    pending_devices.clear();
    pending_device_rows = 0;
  }
}

void ResultsStore::Impl::write_failed(const Hdf5Error& e, bool taken_back) {
  failed_write = told = true;
  const std::string message =
      fmt::format("{}: write failed: {}", path, e.os_error().empty() ? e.detail() : e.os_error());
  if (!taken_back) beyond_repair = message;
  throw StoreError(message);
}

void ResultsStore::Impl::rethrow_flusher_error() {
  if (flusher_error.empty()) return;
  told = true;
  throw StoreError(flusher_error);
}

void ResultsStore::Impl::run_flusher() {
  std::unique_lock guard(mutex);
  // Under the mutex: with an HDF5 that is not thread-safe no two threads may be inside it.
  silence_hdf5_errors();
  while (!stopping) {
    wake.wait_for(guard, kFlusherTick);
    // After a failure the rows wait for the caller, who hears of it at its next call.
    if (stopping || !flusher_error.empty() || !has_pending() ||
        Clock::now() - oldest_pending < kMaxPendingAge)
      continue;
    try {
      flush_locked();
    } catch (const std::exception& e) {
      flusher_error = e.what();
      told = false;
    }
  }
}

void ResultsStore::Impl::start_flusher() {
  flusher = std::thread([this] { run_flusher(); });
}

void ResultsStore::Impl::stop_flusher() noexcept {
  {
    std::lock_guard guard(mutex);
    stopping = true;
  }
  wake.notify_all();
  if (flusher.joinable()) flusher.join();
}

void ResultsStore::Impl::finish(bool complete) {
  stop_flusher();
  std::lock_guard guard(mutex);
  flush_locked();
  check_still_in_place();
  try {
    overwrite_fixed_text_attribute(file.get(), "finished_utc", utc_now_iso8601(), kUtcWidth);
    overwrite_int_attribute(file.get(), "complete", complete ? 1 : 0);
    results = {};
    devices = {};
    provenance = {};
    file.close();
  } catch (const Hdf5Error& e) {
    write_failed(e, true);
  }
  lock.release();
  closed = true;
}

}  // namespace gs
