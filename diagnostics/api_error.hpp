#pragma once
#include <stdexcept>
#include <string>

namespace gs {

// Which API failed and how, for callers that decide by the failure rather than by its text (the
// autotuner skips a refused candidate but not a lost device; the worker retires its rank).
struct ApiStatus {
  std::string api;  // "CUDA", "cuBLAS", "NCCL", "MPI", "HDF5"
  // The API's own status value (cudaError_t, cublasStatus_t, ncclResult_t, an MPI error code);
  // 0 where the API gives none (HDF5's error stack, a check of our own).
  long long code = 0;
  // A sticky error: this process's context on its device is unusable for good (an illegal
  // address, a kernel fault, an uncorrectable ECC error). Nothing more can run on that device in
  // this process; only the process's end clears it.
  bool device_lost = false;
};

// An error from a C API (CUDA, cuBLAS, NCCL, MPI, HDF5) with the call's text, where it was made
// and which process made it, so that a failure on rank 37 of a 512-GPU job is found at once.
class ApiError : public std::runtime_error {
 public:
  ApiError(ApiStatus status, const std::string& call, const std::string& detail, const char* file,
           int line);
  // Without a status code.
  ApiError(const std::string& api, const std::string& call, const std::string& detail,
           const char* file, int line);

  const std::string& api() const { return status_.api; }
  long long code() const { return status_.code; }
  bool device_lost() const { return status_.device_lost; }

 private:
  ApiStatus status_;
};

// Where this process runs, for error messages; the orchestrator sets the rank once MPI is up.
void set_process_rank(int rank);
int process_rank();
const std::string& host_name();

// Throw ApiError; the per-API check macros call them.
[[noreturn]] void throw_api_error(const ApiStatus& status, const char* call,
                                  const std::string& detail, const char* file, int line);
[[noreturn]] void throw_api_error(const char* api, const char* call, const std::string& detail,
                                  const char* file, int line);
// Prints the same message to stderr instead: for destructors and cleanup paths, which must not
// throw.
void report_api_error(const char* api, const char* call, const std::string& detail,
                      const char* file, int line) noexcept;

}  // namespace gs
