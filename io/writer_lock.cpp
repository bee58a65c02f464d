#include "io/writer_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <utility>

#include "diagnostics/api_error.hpp"
#include "io/results_store.hpp"

namespace gs {
namespace {

LockHolder read_holder(int fd) {
  char buf[512] = {};
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  LockHolder holder;
  if (n > 0) {
    std::istringstream in(std::string(buf, static_cast<std::size_t>(n)));
    in >> holder.host >> holder.pid;
  }
  return holder;
}

// Where the identity lock of a results file sits: far past any end HDF5 writes to, so that it
// never covers bytes anyone reads or writes (fcntl locks are advisory; this only avoids surprise).
constexpr off_t kIdentityLockOffset = off_t{1} << 60;

// 0: locked; EAGAIN: another process holds it; other errno: fcntl locks unsupported here.
int try_fcntl_lock(int fd, off_t start = 0, off_t length = 0) {
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = start;
  lock.l_len = length;
  // Open-file-description locks: unlike POSIX record locks they conflict within one process
  // too and are not dropped when some other descriptor of the file is closed.
  if (fcntl(fd, F_OFD_SETLK, &lock) == 0) return 0;
  return (errno == EACCES || errno == EAGAIN) ? EAGAIN : errno;
}

bool process_alive(long pid) {
  return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

[[noreturn]] void refuse(const std::string& results_path, const std::string& lock,
                         const LockHolder& holder, const std::string& advice) {
  throw StoreError(fmt::format(
      "{}: is being written by {} (lock file {}){}", results_path,
      holder.host.empty() ? std::string("another process") : holder.describe(), lock, advice));
}

// Whether fd still names the file at path (not a lock file unlinked by a writer that finished).
bool same_file(int fd, const std::string& path) {
  struct stat a = {}, b = {};
  return fstat(fd, &a) == 0 && stat(path.c_str(), &b) == 0 && a.st_ino == b.st_ino &&
         a.st_dev == b.st_dev;
}

}  // namespace

std::string LockHolder::describe() const { return fmt::format("pid {} on host {}", pid, host); }

std::string WriterLock::lock_path(const std::string& results_path) {
  // NAME_MAX of common file systems: a results file name this long leaves no room for ".lock",
  // so its lock file gets a short name made from a hash of the results file's name (FNV-1a).
  constexpr std::size_t kNameMax = 255;
  const std::filesystem::path path(results_path);
  const std::string name = path.filename().string();
  if (name.size() + 5 <= kNameMax) return results_path + ".lock";
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return (path.parent_path() / fmt::format(".gemmsweep-{:016x}.lock", hash)).string();
}

WriterLock WriterLock::acquire(const std::string& results_path) {
  const std::string path = lock_path(results_path);
  for (int attempt = 0; attempt < 5; ++attempt) {
    bool created = true;
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) {
      created = false;
      fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT) continue;  // its writer just finished: try again
    }
    if (fd < 0)
      throw StoreError(fmt::format("{}: cannot create lock file {}: {}", results_path, path,
                                   std::strerror(errno)));
    const int locked = try_fcntl_lock(fd);
    const LockHolder previous = created ? LockHolder{} : read_holder(fd);
    if (locked == EAGAIN) {
      close(fd);
      refuse(results_path, path, previous, "");
    }
    if (locked != 0 && !created) {
      // No fcntl locks on this file system: judge by the recorded host and pid.
      if (previous.host != host_name()) {
        close(fd);
        refuse(results_path, path, previous,
               "; this file system has no fcntl locks, so gemmsweep cannot tell whether it "
               "still runs: remove the lock file if it does not");
      }
      if (process_alive(previous.pid) && previous.pid != getpid()) {
        close(fd);
        refuse(results_path, path, previous, "");
      }
    }
    if (!same_file(fd, path)) {
      close(fd);
      continue;
    }
    if (!created && !previous.host.empty())
      std::fprintf(stderr,
                   "gemmsweep: note: %s: taking over the stale lock of %s (that writer is gone)\n",
                   results_path.c_str(), previous.describe().c_str());
    const std::string me = fmt::format("{} {}\n", host_name(), static_cast<long>(getpid()));
    if (ftruncate(fd, 0) != 0 ||
        pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
      const int err = errno;
      close(fd);
      throw StoreError(
          fmt::format("{}: cannot write lock file {}: {}", results_path, path, std::strerror(err)));
    }
    WriterLock held(fd, path);
    struct stat results = {};
    if (stat(results_path.c_str(), &results) == 0 && S_ISREG(results.st_mode))
      held.hold_file(results_path);
    return held;
  }
  throw StoreError(fmt::format("{}: lock file {} keeps changing; is another writer starting?",
                               results_path, path));
}

void WriterLock::hold_file(const std::string& results_path) {
  // Read-only files cannot take a write lock; such a file cannot be written either, so nothing
  // is lost by leaving it unheld.
  const int fd = open(results_path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  if (try_fcntl_lock(fd, kIdentityLockOffset, 1) == EAGAIN) {
    close(fd);
    throw StoreError(
        fmt::format("{}: is being written by another process that reached it under another name (a "
                    "symlink or hard link to the same file)",
                    results_path));
  }
  if (file_fd_ >= 0) close(file_fd_);
  file_fd_ = fd;
}

bool WriterLock::still_names(const std::string& results_path) const {
  if (file_fd_ < 0) return true;
  return same_file(file_fd_, results_path);
}

std::optional<LockHolder> WriterLock::live_holder(const std::string& results_path) {
  const std::string path = lock_path(results_path);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const LockHolder holder = read_holder(fd);
  struct flock probe = {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool probed = fcntl(fd, F_OFD_GETLK, &probe) == 0;
  close(fd);
  if (probed) {
    if (probe.l_type == F_UNLCK) return std::nullopt;
    return holder;
  }
  if (holder.host == host_name() && !process_alive(holder.pid)) return std::nullopt;
  return holder;
}

WriterLock::WriterLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  dir_fd_ = open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

WriterLock::WriterLock(WriterLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      file_fd_(std::exchange(other.file_fd_, -1)),
      dir_fd_(std::exchange(other.dir_fd_, -1)),
      path_(std::move(other.path_)) {}

WriterLock& WriterLock::operator=(WriterLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    file_fd_ = std::exchange(other.file_fd_, -1);
    dir_fd_ = std::exchange(other.dir_fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

WriterLock::~WriterLock() { release(); }

void WriterLock::release() noexcept {
  if (file_fd_ >= 0) close(std::exchange(file_fd_, -1));
  if (fd_ < 0) return;
  // Unlink while still holding the lock, so that no one locks a file that is about to vanish
  // without noticing (acquire() re-checks the inode).
  // Through the directory, so that a renamed directory loses its lock file too; only while
  // that name is still our lock file (not one a later writer made).
  const std::string name = std::filesystem::path(path_).filename().string();
  struct stat mine = {}, named = {};
  if (dir_fd_ >= 0 && fstat(fd_, &mine) == 0 && fstatat(dir_fd_, name.c_str(), &named, 0) == 0 &&
      mine.st_ino == named.st_ino && mine.st_dev == named.st_dev)
    unlinkat(dir_fd_, name.c_str(), 0);
  else if (dir_fd_ < 0)
    unlink(path_.c_str());
  close(fd_);
  fd_ = -1;
  if (dir_fd_ >= 0) close(std::exchange(dir_fd_, -1));
}

}  // namespace gs
