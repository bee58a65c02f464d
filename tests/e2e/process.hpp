#pragma once
#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace gs::test {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

using Environment = std::vector<std::pair<std::string, std::string>>;

// Signal state the child is executed with, as a launcher or a shell may leave it.
struct StartSignals {
  // Blocked and already raised when exec runs: delivered once the program unblocks them, as a
  // signal that arrives while the process is being started.
  std::vector<int> pending;
  std::vector<int> ignored;  // SIG_IGN, as nohup leaves SIGHUP
};

// A child process with stdout / stderr going to files in `log_dir`.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::string& log_dir,
          const Environment& env = {}, const StartSignals& start = {});
  ~Process();  // kills the child if it still runs
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // Signals the child's own children (the ranks under mpiexec), as Slurm signals every task.
  void signal_children(int sig) const;
  void signal(int sig) const;
  // Waits until the child's stderr holds `needle` (true) or `timeout_s` passes (false).
  bool wait_for_stderr(const std::string& needle, double timeout_s) const;
  ProcessResult wait();

 private:
  pid_t pid_ = -1;
  std::string out_path_, err_path_;
  bool waited_ = false;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& log_dir,
                          const Environment& env = {});

// mpiexec -n N with the test flags (oversubscribe, run as root) before `argv`; N = 0: no mpiexec.
std::vector<std::string> with_mpiexec(int ranks, std::vector<std::string> argv,
                                      const Environment& forwarded = {});

std::vector<std::string> lines_of(const std::string& text);

}  // namespace gs::test
