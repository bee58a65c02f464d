#pragma once
#include <string>

#include "support/api_error.hpp"

namespace gs {

// The innermost (most specific) message of the calling thread's HDF5 error stack, e.g.
// "truncated file: eof = ...", or "HDF5 call failed" when the stack is empty. Automatic printing of
// the stack is switched off by silence_hdf5_errors(): the message goes into our exceptions instead.
std::string hdf5_error_detail();
void silence_hdf5_errors() noexcept;
// "hdf5 1.10.8", for the library_versions attribute.
std::string hdf5_version_string();

}  // namespace gs

// Every HDF5 C call returns a negative value on failure (herr_t, hid_t, htri_t, ssize_t).
#define H5_CHECK(call)                                                                     \
  ([&]() {                                                                                 \
    auto h5_check_result_ = (call);                                                        \
    if (h5_check_result_ < 0)                                                              \
      ::gs::throw_api_error("HDF5", #call, ::gs::hdf5_error_detail(), __FILE__, __LINE__); \
    return h5_check_result_;                                                               \
  }())

// For destructors and cleanup: reports to stderr instead of throwing.
#define H5_CHECK_NOTHROW(call)                                                              \
  do {                                                                                      \
    if ((call) < 0)                                                                         \
      ::gs::report_api_error("HDF5", #call, ::gs::hdf5_error_detail(), __FILE__, __LINE__); \
  } while (0)
