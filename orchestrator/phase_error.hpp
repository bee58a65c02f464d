#pragma once
#include <optional>
#include <string>

#include "io/results_store.hpp"
#include "jobs/job_error.hpp"
#include "orchestrator/exit_status.hpp"
#include "orchestrator/mpi_session.hpp"
#include "worker/backend.hpp"

namespace gs {

// An error of one phase on this rank, as the exit status it maps to and its one-line text.
// Errors that the user must fix map to exit status 2, anything else to 1.
struct PhaseError {
  std::string message;
  ExitStatus code = ExitStatus::complete;

  template <class Fn>
  void capture(Fn&& fn) {
    try {
      fn();
    } catch (const JobError& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const UsageError& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const BackendUnavailable& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const StoreError& e) {
      set(e.what(), ExitStatus::bad_input);
    } catch (const std::exception& e) {
      set(e.what(), ExitStatus::failure);
    }
  }
  void set(std::string text, ExitStatus c) {
    if (!message.empty()) return;
    message = std::move(text);
    code = c;
  }
};

// Agrees on the first error of a phase across ranks; rank 0 prints it. Returns the exit status to
// leave with, or nullopt to go on. Collective over the world: every rank must call it.
std::optional<int> settle_phase(const MpiSession& mpi, const PhaseError& mine);

// The most serious of every rank's status (exit_severity), the same on all ranks.
int final_status(const MpiSession& mpi, ExitStatus mine);

// Ends every rank at once with `status`, for errors after which the ranks cannot meet again.
[[noreturn]] void abort_all(const MpiSession& mpi, ExitStatus status);

}  // namespace gs
