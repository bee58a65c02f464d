#include "jobs/plan_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace gs {
namespace {

std::string human_bytes(std::uint64_t b) {
  // A saturated count (jobs/saturating_math.hpp) is a lower bound, not a size.
  if (b == std::numeric_limits<std::uint64_t>::max()) return "more than 16 EiB";
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double x = static_cast<double>(b);
  int u = 0;
  while (x >= 1024.0 && u < 6) {
    x /= 1024.0;
    ++u;
  }
  return fmt::format("{:.1f} {}", x, units[u]);
}

}  // namespace

std::string reason_class(const std::string& reason) {
  std::string out;
  for (std::size_t i = 0; i < reason.size();) {
    if (std::isdigit(static_cast<unsigned char>(reason[i]))) {
      out += 'N';
      while (i < reason.size() &&
             (std::isdigit(static_cast<unsigned char>(reason[i])) || reason[i] == '.'))
        ++i;
    } else {
      out += reason[i++];
    }
  }
  return out;
}

PlanSummary summarize_plan(const JobSpec& spec, const Grid& grid,
                           const std::function<double(const Task&)>& predict,
                           const std::string& gpu) {
  PlanSummary p;
  p.job_name = spec.name;
  p.points = grid.point_count;
  p.tasks = grid.tasks.size();
  p.skipped = grid.skipped.size();
  for (const SkippedTask& s : grid.skipped) {
    auto& [count, example] = p.skipped_by_reason[reason_class(s.reason)];
    if (count++ == 0) example = s.reason;
  }
  for (const Task& t : grid.tasks) {
    ++p.tasks_per_op[std::string(to_string(t.op))];
    if (is_collective(t.op)) {
      const std::int64_t bytes = t.point.message_bytes;
      p.min_message_bytes = p.collective_tasks ? std::min(p.min_message_bytes, bytes) : bytes;
      p.max_message_bytes = std::max(p.max_message_bytes, bytes);
      p.max_group_size = std::max(p.max_group_size, t.point.group_size);
      ++p.collective_tasks;
      continue;  // no FLOPs, and the GEMM model does not predict them
    }
    p.total_flops += t.flops();
    if (!p.largest || t.bytes() > p.max_bytes) {
      p.max_bytes = t.bytes();
      p.largest = t;
    }
    // Warm-up plus about min_samples calls when the rule converges early; a product slower
    // than the time limit still takes a warm-up and a sample.
    if (predict) p.estimated_seconds += sampled_wall_seconds(predict(t), spec.timing);
    p.cpu_bound_seconds += spec.timing.max_seconds_per_point;
  }
  if (predict) p.estimate_gpu = gpu;
  p.backend = spec.run.backend;
  return p;
}

std::string human_seconds(double seconds) {
  if (seconds < 60) return fmt::format("{:.3g} s", seconds);
  if (seconds < 3600) return fmt::format("{:.3g} min", seconds / 60);
  return fmt::format("{:.3g} h", seconds / 3600);
}

std::string render_cpu_bound(const PlanSummary& p, int ranks) {
  const std::uint64_t gemm_tasks = p.tasks - p.collective_tasks;
  return fmt::format(
      "at most about {} on {} rank(s) ({} GEMM task(s) x max_seconds_per_point {:.3g} s / {} "
      "rank(s); tasks that converge sooner take less; the cpu backend has no model to predict "
      "with)",
      human_seconds(p.cpu_bound_seconds / std::max(ranks, 1)), ranks, gemm_tasks,
      gemm_tasks ? p.cpu_bound_seconds / static_cast<double>(gemm_tasks) : 0.0, ranks);
}

std::string render_plan(const PlanSummary& p) {
  std::string s;
  s += fmt::format("job:            {}\n", p.job_name);
  s += fmt::format("points:         {}\n", p.points);
  s += fmt::format("tasks:          {}\n", p.tasks);
  for (const auto& [op, n] : p.tasks_per_op) s += fmt::format("  {:<28} {}\n", op, n);
  s += fmt::format("skipped:        {}\n", p.skipped);
  for (const auto& [cls, v] : p.skipped_by_reason)
    s += fmt::format("  {:>8}  {} (e.g. {})\n", v.first, cls, v.second);
  s += fmt::format("total FLOPs:    {:.4g}\n", p.total_flops);
  if (p.largest) {
    const Task& t = *p.largest;
    s += fmt::format("largest memory: {} per task ({} point {}: batch {} m {} n {} k {} {})\n",
                     human_bytes(p.max_bytes), to_string(t.op), t.point.id, t.shape.batch,
                     t.shape.m, t.shape.n, t.shape.k, to_string(t.point.dtype));
  }
  if (p.collective_tasks > 0)
    s += fmt::format(
        "collectives:    {} task(s), messages {} to {}, groups of up to {} ranks (a run with fewer "
        "ranks records the larger groups failed, for --resume with more ranks)\n",
        p.collective_tasks, human_bytes(static_cast<std::uint64_t>(p.min_message_bytes)),
        human_bytes(static_cast<std::uint64_t>(p.max_message_bytes)), p.max_group_size);
  s += fmt::format("backend:        {} ([run] backend; run --backend overrides it)\n", p.backend);
  if (!p.estimate_gpu.empty())
    s += fmt::format("estimated time: {:.4g} GPU-hours ({}) on {} (model backend)\n",
                     p.estimated_seconds / 3600.0, human_seconds(p.estimated_seconds),
                     p.estimate_gpu);
  if (p.backend == "cpu" || p.backend == "auto")
    s += fmt::format("cpu backend:    {}\n", render_cpu_bound(p, 1));
  return s;
}

}  // namespace gs
