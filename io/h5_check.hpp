#pragma once
#include <string>

#include "diagnostics/api_error.hpp"

namespace gs {

// The innermost (most specific) message of the calling thread's HDF5 error stack, e.g.
// "truncated file: eof = ...", or "HDF5 call failed" when the stack is empty; always one line
// (a failed system call reads "file write failed: No space left on device (errno 28)").
// Automatic printing of the stack is switched off by silence_hdf5_errors(): the message goes into
// our exceptions instead.
std::string hdf5_error_detail();
void silence_hdf5_errors() noexcept;
// "hdf5 1.10.8", for the library_versions attribute.
std::string hdf5_version_string();

// A failed HDF5 call. Keeps the detail apart from where it happened, because the error stack is
// gone by the time a caller catches it (every later HDF5 call, a close too, clears it).
class Hdf5Error : public ApiError {
 public:
  Hdf5Error(const char* call, std::string detail, std::string os_error, const char* file, int line);
  const std::string& detail() const { return detail_; }
  // The operating system's message when a system call failed ("No space left on device
  // (errno 28)"), else empty.
  const std::string& os_error() const { return os_error_; }

 private:
  std::string detail_, os_error_;
};

[[noreturn]] void throw_hdf5_error(const char* call, const char* file, int line);

}  // namespace gs

// Every HDF5 C call returns a negative value on failure (herr_t, hid_t, htri_t, ssize_t).
#define H5_CHECK(call)                                                           \
  ([&]() {                                                                       \
    auto h5_check_result_ = (call);                                              \
    if (h5_check_result_ < 0) ::gs::throw_hdf5_error(#call, __FILE__, __LINE__); \
    return h5_check_result_;                                                     \
  }())

// For destructors and cleanup: reports to stderr instead of throwing.
#define H5_CHECK_NOTHROW(call)                                                              \
  do {                                                                                      \
    if ((call) < 0)                                                                         \
      ::gs::report_api_error("HDF5", #call, ::gs::hdf5_error_detail(), __FILE__, __LINE__); \
  } while (0)
