#pragma once

namespace gs {

// SIGTERM (Slurm's time limit, mpirun forwarding), SIGHUP (a closed terminal) and SIGINT
// (Ctrl-C) during a run; SIGPIPE and SIGXFSZ are ignored (a write fails instead). The first
// asks for a drain: stop handing out work, collect what is in flight, flush, exit 3. The second
// exits at once with status 3; the results store is crash-safe, so --resume completes the file.
// Installed for the lifetime of the object; the previous handlers come back after it.
class SignalGuard {
 public:
  SignalGuard();
  ~SignalGuard();
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

  // Signals received so far (any thread may ask).
  static int received();
  // Name of the first signal received ("SIGTERM"), for messages.
  static const char* first_signal_name();
};

}  // namespace gs
