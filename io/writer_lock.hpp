#pragma once
#include <optional>
#include <string>

namespace gs {

// Who holds a results file for writing, as written in its lock file.
struct LockHolder {
  std::string host;
  long pid = 0;
  std::string describe() const;  // "pid 1234 on host node07"
};

// The single-writer guard of a results file: OUT.h5.lock, created with O_EXCL semantics and held
// with an fcntl write lock for the life of the writer; it holds "host pid" of that writer.
// fcntl locks vanish with their process, so a lock file left by a killed writer is taken over
// (with a note on stderr). Where the file system does not support fcntl locks, a lock file
// naming a dead pid on this host is stale; one naming another host is refused, with the advice
// to remove it by hand.
// The lock file is named after the path, so it also holds the results file itself, once that
// exists, with an fcntl lock on one byte far past its end: the lock belongs to the file's identity
// (device and inode), so a writer that reaches the same file through a symlink or hard link is
// refused too. The descriptor kept for it also tells whether the path still names that file.
class WriterLock {
 public:
  // Throws StoreError naming the holder when another live process writes `results_path`.
  static WriterLock acquire(const std::string& results_path);
  // The holder of a live lock on results_path, if any (readers use it to decide between a
  // crash recovery and a read of a file being written).
  static std::optional<LockHolder> live_holder(const std::string& results_path);
  static std::string lock_path(const std::string& results_path);

  WriterLock(WriterLock&& other) noexcept;
  WriterLock& operator=(WriterLock&& other) noexcept;
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;
  ~WriterLock();            // removes the lock file
  void release() noexcept;  // removes it now

  // Locks the results file's identity (acquire() does it when the file exists; create() once it
  // has renamed the new file into place). Throws StoreError when another writer holds it.
  void hold_file(const std::string& results_path);
  // False when results_path no longer names the file hold_file() locked (deleted, its directory
  // removed or renamed, replaced). True when no file is held.
  bool still_names(const std::string& results_path) const;

 private:
  WriterLock(int fd, std::string path);
  int fd_ = -1;
  int file_fd_ = -1;  // the results file, locked by identity
  // The lock file's directory: removing the lock through it works after the directory was
  // renamed, which would leave a stale lock file by path.
  int dir_fd_ = -1;
  std::string path_;
};

}  // namespace gs
