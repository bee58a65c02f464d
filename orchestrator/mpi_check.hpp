#pragma once
#include <mpi.h>

#include <string>

#include "diagnostics/api_error.hpp"

namespace gs {

// MPI's text for an error code ("MPI_ERR_TRUNCATE: message truncated").
std::string mpi_error_string(int code);

}  // namespace gs

// Checks an MPI call; throws gs::ApiError with the call, file, line, host and rank. Needs
// MPI_ERRORS_RETURN on the communicator (MpiSession sets it on MPI_COMM_WORLD), else MPI aborts
// before the check can say where.
#define MPI_CHECK(call)                                                              \
  do {                                                                               \
    const int gs_mpi_rc_ = (call);                                                   \
    if (gs_mpi_rc_ != MPI_SUCCESS)                                                   \
      ::gs::throw_api_error(::gs::ApiStatus{"MPI", gs_mpi_rc_, false}, #call,        \
                            ::gs::mpi_error_string(gs_mpi_rc_), __FILE__, __LINE__); \
  } while (0)

// The same for destructors and cleanup paths: prints instead of throwing.
#define MPI_CHECK_NOTHROW(call)                                                          \
  do {                                                                                   \
    const int gs_mpi_rc_ = (call);                                                       \
    if (gs_mpi_rc_ != MPI_SUCCESS)                                                       \
      ::gs::report_api_error("MPI", #call, ::gs::mpi_error_string(gs_mpi_rc_), __FILE__, \
                             __LINE__);                                                  \
  } while (0)
