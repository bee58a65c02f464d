#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace gs {

struct ProgressState {
  std::uint64_t done = 0;  // tasks with their final row in this run
  std::uint64_t total = 0;
  std::uint64_t failed = 0;
  std::uint64_t retried = 0;
  double elapsed_s = 0;
};

// "1234/5000 tasks (24.7%), 41.2 tasks/s, ETA 1m31s, 2 failed"
std::string format_progress(const ProgressState& s);
// "1m31s", "2h05m", "12s"
std::string format_duration(double seconds);

// Rank 0's progress line on stderr: rewritten in place (\r) on a terminal, a plain line every
// `log_interval` in a batch log, so that a Slurm output file stays readable.
class ProgressMeter {
 public:
  ProgressMeter(std::uint64_t total, std::FILE* out, bool terminal,
                std::chrono::duration<double> log_interval = std::chrono::seconds(10));
  // Prints when due. Cheap to call on every loop turn.
  void update(std::uint64_t done, std::uint64_t failed, std::uint64_t retried);
  // The last line, always printed, ending the \r line.
  void finish(std::uint64_t done, std::uint64_t failed, std::uint64_t retried);

 private:
  void print(const ProgressState& s, bool final);
  using Clock = std::chrono::steady_clock;
  std::uint64_t total_;
  std::FILE* out_;
  bool terminal_;
  std::chrono::duration<double> interval_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_print_;
  bool printed_ = false;
};

}  // namespace gs
