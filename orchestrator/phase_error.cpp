#include "orchestrator/phase_error.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "diagnostics/api_error.hpp"
#include "orchestrator/mpi_check.hpp"

namespace gs {

std::optional<int> settle_phase(const MpiSession& mpi, const PhaseError& mine) {
  std::string text = mine.message;
  if (!text.empty() && mpi.size() > 1)
    text = fmt::format("rank {} on host {}: {}", mpi.rank(), host_name(), text);
  const RankError e = agree_on_error(mpi.world(), text, static_cast<int>(mine.code));
  if (e.rank < 0) return std::nullopt;
  if (mpi.rank() == 0) fmt::print(stderr, "gemmsweep: error: {}\n", e.message);
  return e.code;
}

int final_status(const MpiSession& mpi, ExitStatus mine) {
  int severity = exit_severity(mine), worst = 0;
  MPI_CHECK(MPI_Allreduce(&severity, &worst, 1, MPI_INT, MPI_MAX, mpi.world()));
  return static_cast<int>(status_of_severity(worst));
}

[[noreturn]] void abort_all(const MpiSession& mpi, ExitStatus status) {
  std::fflush(stderr);
  // Alone there is no one to stop, and MPI_Abort would print Open MPI's banner over our message.
  if (mpi.size() > 1) MPI_Abort(mpi.world(), static_cast<int>(status));
  std::_Exit(static_cast<int>(status));
}

}  // namespace gs
