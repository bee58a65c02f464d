#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace gs::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::atomic<int> g_serial{0};

}  // namespace

Process::Process(const std::vector<std::string>& argv, const std::string& log_dir,
                 const Environment& env, const StartSignals& start) {
  const int n = g_serial++;
  out_path_ = log_dir + "/proc" + std::to_string(n) + ".out";
  err_path_ = log_dir + "/proc" + std::to_string(n) + ".err";
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    // The test runner's own dispositions are not the child's: a runner started under nohup or
    // as a background job ignores SIGHUP or SIGINT, which the child would keep (as it should).
    for (const int sig : {SIGHUP, SIGINT, SIGTERM}) ::signal(sig, SIG_DFL);
    for (const int sig : start.ignored) ::signal(sig, SIG_IGN);
    sigset_t pending;
    sigemptyset(&pending);
    for (const int sig : start.pending) sigaddset(&pending, sig);
    sigprocmask(SIG_BLOCK, &pending, nullptr);
    for (const int sig : start.pending) raise(sig);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

Process::~Process() {
  if (!waited_ && pid_ > 0) {
    signal_children(SIGKILL);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void Process::signal(int sig) const { kill(pid_, sig); }

void Process::signal_children(int sig) const {
  // The ranks are mpiexec's direct children on one node; find them by parent pid.
  const std::string cmd = "pkill -" + std::to_string(sig) + " -P " + std::to_string(pid_);
  [[maybe_unused]] const int rc = std::system(cmd.c_str());
}

bool Process::wait_for_stderr(const std::string& needle, double timeout_s) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (slurp(err_path_).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

ProcessResult Process::wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  waited_ = true;
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path_);
  r.err = slurp(err_path_);
  return r;
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& log_dir,
                          const Environment& env) {
  Process p(argv, log_dir, env);
  return p.wait();
}

std::vector<std::string> with_mpiexec(int ranks, std::vector<std::string> argv,
                                      const Environment& forwarded) {
  if (ranks <= 0) return argv;
  std::vector<std::string> cmd = {GEMMSWEEP_MPIEXEC, "-n", std::to_string(ranks)};
  std::stringstream flags(GEMMSWEEP_MPIEXEC_FLAGS);
  for (std::string f; std::getline(flags, f, '|');)
    if (!f.empty()) cmd.push_back(f);
  for (const auto& [k, v] : forwarded) {
    cmd.push_back("-x");
    cmd.push_back(k + "=" + v);
  }
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  return cmd;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace gs::test
