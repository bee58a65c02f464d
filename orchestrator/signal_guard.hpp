#pragma once

namespace gs {

// SIGTERM (Slurm's time limit, mpirun forwarding), SIGHUP (a closed terminal) and SIGINT
// (Ctrl-C) during a run; SIGPIPE and SIGXFSZ are ignored (a write fails instead). The first
// asks for a drain: stop handing out work, collect what is in flight, flush, exit 3. The second
// exits at once with status 3; the results store is crash-safe, so --resume completes the file.
// Installed for the lifetime of the object; the previous handlers come back after it. A signal
// the process was started with ignored (SIGHUP under nohup, SIGINT of a background job) stays
// ignored.
class SignalGuard {
 public:
  // The same handlers from the process's first instructions for a sweep's command (argv[1] run
  // or advise), called from the executable's .preinit_array: before any shared library's
  // constructor (cuBLASLt's take some 50 ms), so that a SIGTERM while the process starts drains
  // it too. The signals are unblocked: one that came while the process was being executed (a
  // launcher blocks them across fork and exec) is delivered now. The first SignalGuard adopts
  // what this installed, the signals already counted included.
  static void install_at_process_start(int argc, char** argv);

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
