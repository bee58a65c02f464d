#pragma once
#include <stdexcept>
#include <string>

namespace gs {

// An error from a C API (CUDA, cuBLAS, NCCL, MPI, HDF5) with the call's text, where it was made
// and which process made it, so that a failure on rank 37 of a 512-GPU job is found at once.
class ApiError : public std::runtime_error {
 public:
  ApiError(const std::string& api, const std::string& call, const std::string& detail,
           const char* file, int line);
};

// Where this process runs, for error messages; the orchestrator sets the rank once MPI is up.
void set_process_rank(int rank);
int process_rank();
const std::string& host_name();

// Throws ApiError; the per-API check macros call it.
[[noreturn]] void throw_api_error(const char* api, const char* call, const std::string& detail,
                                  const char* file, int line);
// Prints the same message to stderr instead: for destructors and cleanup paths, which must not
// throw.
void report_api_error(const char* api, const char* call, const std::string& detail,
                      const char* file, int line) noexcept;

}  // namespace gs
