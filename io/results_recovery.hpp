#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

namespace gs {

// gemmsweep recover OUT.h5: makes a results file that its writer left open (killed, or stopped
// by a file-size limit, EFBIG) readable by any HDF5 tool, as h5clear -s --increment would, while
// holding the file's WriterLock so that no writer starts meanwhile.
struct RecoveryResult {
  bool was_needed = false;  // false: the file was closed cleanly and is left as it was
  std::size_t rows = 0;     // rows readable now
};

// Throws StoreError (exit 2) for a missing, foreign or damaged file or a live writer, and
// FileLimitError where recovery needs the file to grow and a file-size limit forbids it.
RecoveryResult recover_results_file(const std::string& path);

// Recovering moves the end of the file to where its writer had recorded it, so it must be able
// to grow: this process's file-size limit (ulimit -f, RLIMIT_FSIZE) may forbid it.
class FileLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Before recovering: throws FileLimitError when this process's file-size limit is below the size
// the writer recorded (in `open_detail`, HDF5's message on opening the file: "stored_eof = N"),
// or the limit is set and that size is unknown. Trying would fail inside HDF5, which then cannot
// close the file either. For recover and --resume.
void check_room_to_recover(const std::string& path, const std::string& open_detail);
// Why recover_after_crash(path) failed, as one line.
[[noreturn]] void throw_unrecoverable(const std::string& path);

}  // namespace gs
