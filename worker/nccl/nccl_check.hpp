#pragma once
#include <nccl.h>

#include "diagnostics/api_error.hpp"

// NCCL_CHECK throws gs::ApiError naming the call, file, line, host and rank, with NCCL's own text
// for the status; NCCL_CHECK_NOTHROW prints the same, for destructors.
#define NCCL_CHECK(call)                                                              \
  do {                                                                                \
    const ncclResult_t gs_nccl_status_ = (call);                                      \
    if (gs_nccl_status_ != ncclSuccess)                                               \
      ::gs::throw_api_error(::gs::ApiStatus{"NCCL", gs_nccl_status_, false}, #call,   \
                            ncclGetErrorString(gs_nccl_status_), __FILE__, __LINE__); \
  } while (false)

#define NCCL_CHECK_NOTHROW(call)                                                           \
  do {                                                                                     \
    const ncclResult_t gs_nccl_status_ = (call);                                           \
    if (gs_nccl_status_ != ncclSuccess)                                                    \
      ::gs::report_api_error("NCCL", #call, ncclGetErrorString(gs_nccl_status_), __FILE__, \
                             __LINE__);                                                    \
  } while (false)
