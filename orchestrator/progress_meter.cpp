#include "orchestrator/progress_meter.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <system_error>

namespace gs {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

std::string format_rate(double per_second) {
  if (!std::isfinite(per_second) || per_second < 0) return "?";
  if (per_second >= 100) return fmt::format("{:.0f}", per_second);
  if (per_second >= 10) return fmt::format("{:.1f}", per_second);
  if (per_second >= 1) return fmt::format("{:.2f}", per_second);
  return fmt::format("{:.3f}", per_second);
}

std::string format_progress(const ProgressState& s) {
  const double fraction =
      s.total ? static_cast<double>(s.done) / static_cast<double>(s.total) : 1.0;
  const double rate = s.elapsed_s > 0 ? static_cast<double>(s.done) / s.elapsed_s : 0.0;
  std::string line = fmt::format("{}/{} tasks ({:.1f}%), {} tasks/s", s.done, s.total,
                                 100.0 * fraction, format_rate(rate));
  if (s.done < s.total) {
    std::optional<double> eta = s.eta_s;
    if (!eta && rate > 0) eta = static_cast<double>(s.total - s.done) / rate;
    line += ", ETA " + (eta ? format_duration(*eta) : std::string("?"));
  } else {
    line += ", took " + format_duration(s.elapsed_s);
  }
  line += fmt::format(", {} failed", s.failed);
  if (s.retried) line += fmt::format(" ({} retries)", s.retried);
  return line;
}

ProgressMeter::ProgressMeter(std::uint64_t total, std::FILE* out, bool terminal,
                             std::chrono::duration<double> log_interval)
    : total_(total), out_(out), terminal_(terminal), interval_(log_interval) {}

void ProgressMeter::set_predicted_costs(std::vector<double> predicted_s_by_task) {
  double total = 0;
  for (double s : predicted_s_by_task) total += s;
  predicted_ = std::move(predicted_s_by_task);
  eta_.emplace(total);
}

void ProgressMeter::task_finished(std::uint32_t index) {
  if (eta_ && index < predicted_.size()) eta_->finished(predicted_[index]);
}

ProgressState ProgressMeter::state(std::uint64_t done, std::uint64_t failed,
                                   std::uint64_t retried) const {
  ProgressState s{done,
                  total_,
                  failed,
                  retried,
                  std::chrono::duration<double>(Clock::now() - start_).count(),
                  std::nullopt};
  if (eta_) s.eta_s = eta_->remaining(s.elapsed_s);
  return s;
}

void ProgressMeter::update(std::uint64_t done, std::uint64_t failed, std::uint64_t retried) {
  const auto now = Clock::now();
  const auto due = terminal_ ? std::chrono::duration<double>(0.2) : interval_;
  if (printed_ && now - last_print_ < due) return;
  if (!printed_ && !terminal_ && now - start_ < due) return;
  last_print_ = now;
  printed_ = true;
  print(state(done, failed, retried), false);
}

void ProgressMeter::finish(std::uint64_t done, std::uint64_t failed, std::uint64_t retried) {
  print(state(done, failed, retried), true);
}

void ProgressMeter::print(const ProgressState& s, bool final) {
  const std::string line = "gemmsweep: " + format_progress(s);
  try {
    if (terminal_)
      fmt::print(out_, "\r{}\x1b[K{}", line, final ? "\n" : "");
    else
      fmt::print(out_, "{}\n", line);
    std::fflush(out_);
  } catch (const std::system_error&) {
    // A closed pipe (`2>&1 | head`, SIGPIPE ignored by SignalGuard): the sweep goes on, and this
    // stream, which nobody reads any more, takes everything silently from now on.
    const int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      dup2(null, fileno(out_));
      close(null);
    }
    std::clearerr(out_);
  }
}

}  // namespace gs
