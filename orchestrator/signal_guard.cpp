#include "orchestrator/signal_guard.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <string_view>

#include "orchestrator/exit_status.hpp"

namespace gs {
namespace {

std::atomic<int> g_count{0};
std::atomic<int> g_first{0};

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

constexpr int kDrained[] = {SIGTERM, SIGINT, SIGHUP};
constexpr int kIgnored[] = {SIGPIPE, SIGXFSZ};

// What the process had before the first install, restored by the last guard's destructor.
struct sigaction g_previous[NSIG];
bool g_installed_at_start = false;

void install() {
  struct sigaction action = {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  // SIGHUP: a closed terminal (or ssh session) asks for the same drain as Slurm's SIGTERM.
  for (const int sig : kDrained) {
    sigaction(sig, nullptr, &g_previous[sig]);
    // Ignored on purpose by whoever started us (nohup, a shell's background job): keep it so.
    if (g_previous[sig].sa_handler != SIG_IGN) sigaction(sig, &action, nullptr);
  }
  // A reader that went away (`| head`) must not stop the sweep: writes to its pipe fail with
  // EPIPE instead, and the progress meter stops writing there (progress_meter.cpp).
  // A file-size limit (ulimit -f) makes writes fail with EFBIG instead of killing the process,
  // so that it ends with the same one-line write error as a full disk.
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  for (const int sig : kIgnored) sigaction(sig, &ignore, &g_previous[sig]);
}

}  // namespace

void SignalGuard::install_at_process_start(int argc, char** argv) {
  if (argc < 2 || !argv[1]) return;
  const std::string_view command = argv[1];
  if (command != "run" && command != "advise") return;
  install();
  g_installed_at_start = true;
  sigset_t drained;
  sigemptyset(&drained);
  for (const int sig : kDrained) sigaddset(&drained, sig);
  sigprocmask(SIG_UNBLOCK, &drained, nullptr);
}

SignalGuard::SignalGuard() {
  if (g_installed_at_start) {
    // Adopt the start's handlers and what they counted: a signal while the process started.
    g_installed_at_start = false;
    return;
  }
  g_count = 0;
  g_first = 0;
  install();
}

SignalGuard::~SignalGuard() {
  for (const int sig : kDrained) sigaction(sig, &g_previous[sig], nullptr);
  for (const int sig : kIgnored) sigaction(sig, &g_previous[sig], nullptr);
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
