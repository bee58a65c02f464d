#include "orchestrator/signal_guard.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

#include "orchestrator/exit_status.hpp"

namespace gs {
namespace {

std::atomic<int> g_count{0};
std::atomic<int> g_first{0};
struct sigaction g_old_term, g_old_int, g_old_hup, g_old_pipe, g_old_xfsz;

extern "C" void on_signal(int sig) {
  // Only async-signal-safe work here: count, and on the second signal leave at once.
  int expected = 0;
  g_first.compare_exchange_strong(expected, sig);
  if (g_count.fetch_add(1) + 1 >= 2) {
    constexpr char text[] =
        "\ngemmsweep: second signal, exiting now; --resume completes the file\n";
    [[maybe_unused]] const auto n = write(STDERR_FILENO, text, sizeof text - 1);
    _exit(static_cast<int>(ExitStatus::interrupted));
  }
}

}  // namespace

SignalGuard::SignalGuard() {
  g_count = 0;
  g_first = 0;
  struct sigaction action = {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, &g_old_term);
  sigaction(SIGINT, &action, &g_old_int);
  // A closed terminal (or ssh session) asks for the same drain as Slurm's SIGTERM.
  sigaction(SIGHUP, &action, &g_old_hup);
  // A reader that went away (`| head`) must not stop the sweep: writes to its pipe fail with
  // EPIPE instead, and the progress meter stops writing there (progress_meter.cpp).
  // A file-size limit (ulimit -f) makes writes fail with EFBIG instead of killing the process,
  // so that it ends with the same one-line write error as a full disk.
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &g_old_pipe);
  sigaction(SIGXFSZ, &ignore, &g_old_xfsz);
}

SignalGuard::~SignalGuard() {
  sigaction(SIGTERM, &g_old_term, nullptr);
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGHUP, &g_old_hup, nullptr);
  sigaction(SIGPIPE, &g_old_pipe, nullptr);
  sigaction(SIGXFSZ, &g_old_xfsz, nullptr);
}

int SignalGuard::received() { return g_count.load(); }

const char* SignalGuard::first_signal_name() {
  switch (g_first.load()) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

}  // namespace gs
