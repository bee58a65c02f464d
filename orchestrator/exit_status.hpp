#pragma once
#include <stdexcept>

namespace gs {

// Exit statuses of the command line (DESIGN.md section 3).
enum class ExitStatus : int { complete = 0, failure = 1, bad_input = 2, interrupted = 3 };

// Every rank must end with the same status. The most serious one wins: a bad input beats a
// failure, which beats an interruption, which beats a complete run.
inline int exit_severity(ExitStatus s) {
  switch (s) {
    case ExitStatus::complete:
      return 0;
    case ExitStatus::interrupted:
      return 1;
    case ExitStatus::failure:
      return 2;
    case ExitStatus::bad_input:
      return 3;
  }
  return 2;
}

inline ExitStatus status_of_severity(int severity) {
  constexpr ExitStatus by_severity[] = {ExitStatus::complete, ExitStatus::interrupted,
                                        ExitStatus::failure, ExitStatus::bad_input};
  return severity >= 0 && severity < 4 ? by_severity[severity] : ExitStatus::failure;
}

// A problem the user must fix (option, job file, output path, device count): exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gs
