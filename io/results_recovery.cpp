#include "io/results_recovery.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdio>

#include "io/h5_check.hpp"
#include "io/h5_file.hpp"
#include "io/results_file.hpp"
#include "io/results_store.hpp"
#include "io/writer_lock.hpp"

namespace gs {

void check_room_to_recover(const std::string& path, const std::string& open_detail) {
  rlimit limit = {};
  if (getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
  unsigned long long recorded = 0;
  const std::size_t at = open_detail.find("stored_eof = ");
  const bool known = at != std::string::npos &&
                     std::sscanf(open_detail.c_str() + at, "stored_eof = %llu", &recorded) == 1;
  if (known && recorded <= limit.rlim_cur) return;
  throw FileLimitError(fmt::format(
      "{}: cannot recover while this process's file-size limit (ulimit -f) of {} bytes holds: "
      "recovery grows the file to the {} its writer recorded; raise the limit and run "
      "gemmsweep recover {} again",
      path, static_cast<unsigned long long>(limit.rlim_cur),
      known ? fmt::format("{} bytes", recorded) : std::string("size"), path));
}

void throw_unrecoverable(const std::string& path) {
  throw StoreError(fmt::format("{}: cannot recover: {}", path, hdf5_error_detail()));
}

RecoveryResult recover_results_file(const std::string& path) {
  check_is_hdf5(path);
  // Under a file-size limit the growth fails with EFBIG (said in one line) instead of SIGXFSZ
  // killing the process.
  struct sigaction ignore = {}, previous = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGXFSZ, &ignore, &previous);
  struct RestoreSignal {
    struct sigaction& previous;
    ~RestoreSignal() { sigaction(SIGXFSZ, &previous, nullptr); }
  } restore{previous};
  RecoveryResult result;
  {
    WriterLock lock = WriterLock::acquire(path);  // refuses a file that a live writer holds
    const H5Plist fapl = make_file_access();
    H5File plain(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()));
    if (!plain) {
      check_room_to_recover(path, hdf5_error_detail());
      if (!recover_after_crash(path)) throw_unrecoverable(path);
      result.was_needed = true;
    }
  }
  result.rows = read_results_file(path).rows.size();
  return result;
}

}  // namespace gs
