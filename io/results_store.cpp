#include "io/results_store.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "io/h5_attributes.hpp"
#include "io/h5_file.hpp"
#include "io/provenance_log.hpp"
#include "io/record_dataset.hpp"
#include "io/record_schema.hpp"
#include "io/results_checks.hpp"
#include "io/results_layout.hpp"
#include "io/results_store_impl.hpp"
#include "io/writer_lock.hpp"

namespace gs {
namespace {

// Rows are made durable once this many wait (or once the oldest is Impl::kMaxPendingAge old).
constexpr std::size_t kMaxPendingRows = 256;

}  // namespace

ResultsStore::ResultsStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResultsStore::ResultsStore(ResultsStore&&) noexcept = default;
ResultsStore& ResultsStore::operator=(ResultsStore&&) noexcept = default;

ResultsStore::~ResultsStore() {
  if (!impl_ || impl_->closed) return;
  Impl& s = *impl_;
  s.stop_flusher();
  std::lock_guard guard(s.mutex);
  const bool told = s.told;
  bool flushed = true;
  try {
    s.flush_locked();
  } catch (const std::exception& e) {
    flushed = false;
    // A write failure that append() or flush() already threw is not said twice.
    if (!told)
      std::fprintf(stderr, "gemmsweep: warning: %s: last rows not written: %s\n", s.path.c_str(),
                   e.what());
  }
  if (!flushed || s.failed_write) {
    // Closing flushes HDF5's caches once more, which fails the same way: quietly here.
    s.results.release_quietly();
    s.devices.release_quietly();
    s.provenance.release_quietly();
    s.file.release_quietly();
    return;
  }
  s.results = {};
  s.devices = {};
  s.provenance = {};
  s.file.reset();
}

ResultsStore ResultsStore::create(const std::string& path, const RunProvenance& provenance) {
  WriterLock lock = WriterLock::acquire(path);
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    throw StoreError(fmt::format(
        "{}: already exists; continue it with --resume or choose another output file", path));
  auto impl = std::make_unique<Impl>(std::move(lock));
  impl->path = path;
  // Built under a temporary name and renamed once complete and in SWMR mode, so that a writer
  // killed while creating leaves no half-made results file behind. The name is short, so that
  // any output name the file system allows also allows the temporary one.
  const std::filesystem::path out(path);
  const std::string partial =
      (out.parent_path() / fmt::format(".gemmsweep-{}.partial", getpid())).string();
  const H5Plist fapl = make_file_access();
  impl->file = H5File(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()));
  if (!impl->file)
    throw StoreError(fmt::format("{}: cannot create: {}", path, hdf5_error_detail()));
  write_root_attributes(impl->file.get(), provenance);
  create_results_layout(impl->file.get(), impl->results, impl->devices, impl->provenance);
  append_provenance(impl->provenance, {provenance_entry(provenance, "create")});
  H5_CHECK(H5Fstart_swmr_write(impl->file.get()));
  std::filesystem::rename(partial, path, ec);
  if (ec)
    throw StoreError(
        fmt::format("{}: cannot rename {} into place: {}", path, partial, ec.message()));
  impl->lock.hold_file(path);
  impl->start_flusher();
  return ResultsStore(std::move(impl));
}

ResultsStore ResultsStore::resume(const std::string& path, const RunProvenance& provenance,
                                  const std::unordered_set<std::uint64_t>* grid_ids) {
  WriterLock lock = WriterLock::acquire(path);
  auto impl = std::make_unique<Impl>(std::move(lock));
  impl->path = path;
  // Opened in SWMR mode from the start: a SIGKILL at any point leaves a file that SWMR readers
  // (h5py swmr=True, the loader) open as it is.
  impl->file = open_for_write(path);
  // Everything is read and checked before anything is written, so that a file refused here is
  // left as it was (no provenance entry per failed retry).
  std::map<std::string, std::string> attributes;
  std::vector<TaskKey> keys;
  std::vector<DeviceInfo> devices;
  int version = 0;
  try {
    version =
        open_results_layout(path, impl->file.get(), impl->results, impl->devices, impl->provenance);
    attributes = read_attributes_as_text(impl->file.get());
    check_format_version(path, attributes);
    check_resumable_attributes(path, impl->file.get());
    keys = read_task_keys(impl->results);
    devices = read_devices(impl->devices);
  } catch (const ApiError& e) {
    throw StoreError(path + ": unreadable results file: " + e.what());
  }
  if (version != kFormatVersion)
    throw StoreError(fmt::format(
        "{}: has format_version {}, and this gemmsweep appends only to format_version {}; "
        "write to a new file, or finish this one with the gemmsweep that wrote it (report, "
        "export and merge read it)",
        path, version, kFormatVersion));
  const auto hash = attributes.find("spec_hash");
  const std::string file_hash = hash == attributes.end() ? "" : hash->second;
  if (file_hash != provenance.spec_hash)
    throw StoreError(fmt::format(
        "{}: was written for a different grid (spec_hash {} in the file, {} for this job "
        "file); resume only with the job file that created it (timing settings may change), "
        "or write to a new file",
        path, file_hash.empty() ? "missing" : file_hash, provenance.spec_hash));
  // One file, one backend: predicted and measured rows under one `backend` attribute would be
  // taken for one kind.
  const auto backend = attributes.find("backend");
  if (backend != attributes.end() && !backend->second.empty() &&
      backend->second != provenance.backend)
    throw StoreError(fmt::format(
        "{}: was measured with backend {}, and this run's backend is {}; resume it with "
        "--backend {}, or write to a new file",
        path, backend->second, provenance.backend, backend->second));
  if (grid_ids) {
    std::size_t outside = 0;
    std::uint64_t first = 0;
    for (const TaskKey& key : keys) {
      const bool measured = key.status == RowStatus::ok || key.status == RowStatus::skipped ||
                            key.status == RowStatus::failed;
      if (!measured || grid_ids->contains(key.task_id)) continue;
      if (outside++ == 0) first = key.task_id;
    }
    if (outside > 0)
      throw StoreError(fmt::format(
          "{}: holds {} row(s) whose task id is not in this job's grid (the first: {}), which "
          "gemmsweep never writes: the file is damaged or forged; --resume refuses it (merge it "
          "into a new file to keep its rows, or write to a new file)",
          path, outside, first));
  }
  // Unwritten rows at the end (a write that failed after the dataset grew) are dropped, so that
  // new rows follow the last written one; any elsewhere are ignored. Their tasks count as not
  // measured and are measured now.
  hsize_t written = keys.size();
  while (written > 0 && keys[written - 1].status == RowStatus::unwritten) --written;
  for (const TaskKey& key : keys)
    if (key.status == RowStatus::unwritten) ++impl->unwritten_rows;
  if (written < keys.size()) {
    if (!impl->results.truncate(written))
      throw StoreError(fmt::format("{}: cannot drop its {} unwritten row(s) at the end: {}", path,
                                   keys.size() - written, hdf5_error_detail()));
    std::fprintf(stderr,
                 "gemmsweep: note: %s: dropped %llu unwritten row(s) (empty status: a write "
                 "failed after /results grew); their tasks are measured again\n",
                 path.c_str(), static_cast<unsigned long long>(keys.size() - written));
  }
  for (hsize_t i = 0; i < written; ++i) {
    const TaskKey& key = keys[i];
    if (key.status == RowStatus::unwritten || key.status == RowStatus::calibration) continue;
    if (key.status == RowStatus::other) {  // not a status gemmsweep writes: not finished
      ++impl->unknown_status_rows;
      continue;
    }
    if (key.status == RowStatus::failed) {
      if (!impl->finished.contains(key.task_id)) impl->replaceable[key.task_id] = i;
    } else {
      impl->finished.insert(key.task_id);
      impl->replaceable.erase(key.task_id);
    }
  }
  for (const DeviceInfo& d : devices) impl->device_keys.insert(device_key(d));
  append_provenance(impl->provenance, {provenance_entry(provenance, "resume")});
  impl->provenance.flush();
  overwrite_int_attribute(impl->file.get(), "complete", 0);
  overwrite_fixed_text_attribute(impl->file.get(), "finished_utc", "", kUtcWidth);
  H5_CHECK(H5Fflush(impl->file.get(), H5F_SCOPE_GLOBAL));
  impl->start_flusher();
  return ResultsStore(std::move(impl));
}

const std::unordered_set<std::uint64_t>& ResultsStore::finished() const { return impl_->finished; }

std::size_t ResultsStore::unwritten_rows() const { return impl_->unwritten_rows; }

std::size_t ResultsStore::unknown_status_rows() const { return impl_->unknown_status_rows; }

void ResultsStore::append(const std::vector<ResultRow>& rows) {
  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  s.rethrow_flusher_error();
  s.note_pending();
  const std::size_t size = result_record_size();
  for (const ResultRow& row : rows) {
    const auto replace = s.replaceable.find(row.task_id);
    hsize_t index = 0;
    if (replace != s.replaceable.end()) {
      index = replace->second;
      s.replaceable.erase(replace);
      if (index >= s.results.rows()) {  // still in the pending buffer
        pack_record(row, s.pending.data() + (index - s.results.rows()) * size);
      } else {
        std::vector<std::byte> record(size);
        pack_record(row, record.data());
        s.pending_replacements.emplace_back(index, std::move(record));
      }
    } else {
      index = s.results.rows() + s.pending_rows;
      s.pending.resize(s.pending.size() + size);
      pack_record(row, s.pending.data() + s.pending.size() - size);
      ++s.pending_rows;
    }
    if (row.status == "failed") {
      if (s.replace_failed) s.replaceable[row.task_id] = index;
    } else
      s.finished.insert(row.task_id);
  }
  if (s.pending_rows + s.pending_replacements.size() >= kMaxPendingRows ||
      Impl::Clock::now() - s.oldest_pending >= Impl::kMaxPendingAge)
    s.flush_locked();
}

void ResultsStore::add_devices(const std::vector<DeviceInfo>& devices) {
  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  s.rethrow_flusher_error();
  s.note_pending();
  const std::size_t size = device_record_size();
  for (const DeviceInfo& d : devices) {
    if (!s.device_keys.insert(device_key(d)).second) continue;
    s.pending_devices.resize(s.pending_devices.size() + size);
    pack_record(d, s.pending_devices.data() + s.pending_devices.size() - size);
    ++s.pending_device_rows;
  }
}

void ResultsStore::flush() {
  std::lock_guard guard(impl_->mutex);
  impl_->rethrow_flusher_error();
  impl_->flush_locked();
}

void ResultsStore::add_provenance(const std::vector<std::string>& entries) {
  std::lock_guard guard(impl_->mutex);
  append_provenance(impl_->provenance, entries);
  impl_->provenance.flush();
}

void ResultsStore::disable_failed_row_replacement() {
  std::lock_guard guard(impl_->mutex);
  impl_->replace_failed = false;
  impl_->replaceable.clear();
}

void ResultsStore::close(bool complete) {
  if (!impl_ || impl_->closed) return;
  impl_->finish(complete);
  impl_->rethrow_flusher_error();
}

}  // namespace gs
