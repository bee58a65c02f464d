#include "io/h5_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "io/results_recovery.hpp"
#include "io/results_store.hpp"
#include "io/writer_lock.hpp"

namespace gs {
namespace {

bool left_open_by_writer(const std::string& detail) {
  return detail.find("already open for write") != std::string::npos;
}

hid_t try_open(const std::string& path, unsigned flags, std::string& detail) {
  const H5Plist fapl = make_file_access();
  const hid_t id = H5Fopen(path.c_str(), flags, fapl.get());
  if (id < 0) detail = hdf5_error_detail();
  return id;
}

bool truncated(const std::string& detail) { return detail.find("truncated") != std::string::npos; }

[[noreturn]] void cannot_open(const std::string& path, const std::string& detail) {
  // Shorter than its writer recorded: cut short by a copy, or a writer stopped by a file-size
  // limit (EFBIG), whose durable rows `recover` gets back.
  if (truncated(detail))
    throw StoreError(fmt::format(
        "{}: truncated HDF5 file ({}); if its writer stopped on a file-size limit or a full "
        "disk, gemmsweep recover {} gets back its durable rows",
        path, detail, path));
  throw StoreError(fmt::format("{}: cannot open as HDF5: {}", path, detail));
}

}  // namespace

H5Plist make_file_access() {
  silence_hdf5_errors();
  H5Plist fapl(H5_CHECK(H5Pcreate(H5P_FILE_ACCESS)));
  H5_CHECK(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST));
  H5_CHECK(H5Pset_file_locking(fapl.get(), false, true));
  return fapl;
}

void check_is_hdf5(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw StoreError(fmt::format("{}: no such file", path));
  if (std::filesystem::is_directory(path, ec))
    throw StoreError(fmt::format("{}: is a directory, expected a results file (.h5)", path));
  // A FIFO or a device would block the first read until someone writes to it.
  if (!std::filesystem::is_regular_file(path, ec))
    throw StoreError(fmt::format(
        "{}: is not a regular file (a FIFO, socket or device); a results file is a regular file",
        path));
  if (access(path.c_str(), R_OK) != 0)
    throw StoreError(fmt::format("{}: cannot read (permission denied)", path));
  silence_hdf5_errors();
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    const auto size = std::filesystem::file_size(path, ec);
    throw StoreError(fmt::format("{}: not an HDF5 file ({} bytes){}", path, ec ? 0 : size,
                                 size == 0 ? ", empty" : ", expected a gemmsweep results file"));
  }
}

bool recover_after_crash(const std::string& path) {
  silence_hdf5_errors();
  H5Plist fapl = make_file_access();
  hbool_t yes = true;
  // The private properties h5clear sets; both exist in every HDF5 since 1.10.0.
  H5_CHECK(H5Pset(fapl.get(), "clear_status_flags", &yes));
  H5_CHECK(H5Pset(fapl.get(), "skip_eof_check", &yes));
  H5File file(H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get()));
  if (!file) return false;
  if (H5Fincrement_filesize(file.get(), 0) < 0) return false;
  try {
    file.close();
  } catch (const std::exception&) {
    return false;
  }
  std::fprintf(stderr,
               "gemmsweep: note: %s was not closed by its writer (killed?); recovered it as "
               "h5clear -s --increment would: rows after its last flush are lost\n",
               path.c_str());
  return true;
}

H5File open_for_read(const std::string& path) {
  check_is_hdf5(path);
  std::string detail;
  hid_t id = try_open(path, H5F_ACC_RDONLY, detail);
  if (id >= 0) return H5File(id);
  if (!left_open_by_writer(detail)) cannot_open(path, detail);
  // Repair only as the file's writer would: holding its lock, so that no writer starts meanwhile.
  std::optional<WriterLock> lock;
  if (access(path.c_str(), W_OK) == 0) {
    try {
      lock.emplace(WriterLock::acquire(path));
    } catch (const StoreError&) {  // a live writer, or no lock file possible here
    }
  }
  if (lock && recover_after_crash(path)) {
    lock.reset();
    id = try_open(path, H5F_ACC_RDONLY, detail);
    if (id >= 0) return H5File(id);
  }
  // Being written now, or not ours to repair: a SWMR read sees every flushed row.
  id = try_open(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, detail);
  if (id < 0) cannot_open(path, detail);
  return H5File(id);
}

H5File open_for_write(const std::string& path) {
  check_is_hdf5(path);
  std::string detail;
  hid_t id = try_open(path, H5F_ACC_RDWR | H5F_ACC_SWMR_WRITE, detail);
  if (id >= 0) return H5File(id);
  // A writer stopped by a file-size limit leaves the file shorter than it recorded: --resume
  // recovers it as `recover` does, which needs the file to grow.
  if (!left_open_by_writer(detail) && !truncated(detail)) cannot_open(path, detail);
  check_room_to_recover(path, detail);
  if (!recover_after_crash(path)) throw_unrecoverable(path);
  id = try_open(path, H5F_ACC_RDWR | H5F_ACC_SWMR_WRITE, detail);
  if (id < 0) cannot_open(path, detail);
  return H5File(id);
}

}  // namespace gs
