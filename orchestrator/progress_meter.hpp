#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/eta_estimator.hpp"

namespace gs {

struct ProgressState {
  std::uint64_t done = 0;  // tasks with their final row in this run
  std::uint64_t total = 0;
  std::uint64_t failed = 0;
  std::uint64_t retried = 0;
  double elapsed_s = 0;
  // From predicted cost (EtaEstimator); when unset, the ETA counts tasks.
  std::optional<double> eta_s;
};

// "1234/5000 tasks (24.7%), 41.2 tasks/s, ETA 1m31s, 2 failed"
std::string format_progress(const ProgressState& s);
// A rate as a plain number: "94490", "41.2", "0.125" (never 9.449e+04).
std::string format_rate(double per_second);
// "1m31s", "2h05m", "12s"
std::string format_duration(double seconds);

// Rank 0's progress line on stderr: rewritten in place (\r) on a terminal, a plain line every
// `log_interval` in a batch log, so that a Slurm output file stays readable.
class ProgressMeter {
 public:
  ProgressMeter(std::uint64_t total, std::FILE* out, bool terminal,
                std::chrono::duration<double> log_interval = std::chrono::seconds(10));
  // The predicted cost of each task, by task index, for a cost-based ETA (see EtaEstimator);
  // without it the ETA counts tasks.
  void set_predicted_costs(std::vector<double> predicted_s_by_task);
  // The final row of task `index` arrived.
  void task_finished(std::uint32_t index);
  // Prints when due. Cheap to call on every loop turn.
  void update(std::uint64_t done, std::uint64_t failed, std::uint64_t retried);
  // The last line, always printed, ending the \r line.
  void finish(std::uint64_t done, std::uint64_t failed, std::uint64_t retried);

 private:
  void print(const ProgressState& s, bool final);
  ProgressState state(std::uint64_t done, std::uint64_t failed, std::uint64_t retried) const;
  using Clock = std::chrono::steady_clock;
  std::uint64_t total_;
  std::FILE* out_;
  bool terminal_;
  std::chrono::duration<double> interval_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_print_;
  bool printed_ = false;
  std::vector<double> predicted_;
  std::optional<EtaEstimator> eta_;
};

}  // namespace gs
