#include "orchestrator/task_order.hpp"

#include <algorithm>
#include <charconv>
#include <random>

#include "orchestrator/exit_status.hpp"

namespace gs {

std::optional<TaskOrder> parse_task_order(std::string_view s) {
  if (s == "cost") return TaskOrder::cost;
  if (s == "shuffle") return TaskOrder::shuffle;
  if (s == "grid") return TaskOrder::grid;
  return std::nullopt;
}

std::vector<std::uint32_t> order_tasks(const std::vector<Task>& tasks,
                                       const std::vector<std::uint32_t>& indices, TaskOrder order,
                                       const std::function<double(const Task&)>& predict,
                                       std::uint64_t seed) {
  std::vector<std::uint32_t> out(indices);
  switch (order) {
    case TaskOrder::grid:
      break;
    case TaskOrder::shuffle: {
      std::mt19937_64 rng(seed);
      std::shuffle(out.begin(), out.end(), rng);
      break;
    }
    case TaskOrder::cost: {
      std::vector<std::pair<double, std::uint32_t>> keyed;
      keyed.reserve(out.size());
      for (std::uint32_t i : out) keyed.emplace_back(predict ? predict(tasks[i]) : 0.0, i);
      // Ties (and no model) keep grid order, so the order is the same on every run.
      std::stable_sort(keyed.begin(), keyed.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (std::size_t j = 0; j < keyed.size(); ++j) out[j] = keyed[j].second;
      break;
    }
  }
  return out;
}

Shard parse_shard(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return UsageError("--shard: '" + std::string(text) + "' " + why +
                      "; expected i/K with 0 <= i < K, e.g. 0/4");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) throw bad("has no '/'");
  Shard s;
  const auto parse = [&](std::string_view part, std::uint64_t& value) {
    const auto* end = part.data() + part.size();
    const auto [p, ec] = std::from_chars(part.data(), end, value);
    if (ec != std::errc() || p != end || part.empty()) throw bad("is not two whole numbers");
  };
  parse(text.substr(0, slash), s.index);
  parse(text.substr(slash + 1), s.count);
  if (s.count == 0) throw bad("has K = 0");
  if (s.index >= s.count) throw bad("has i >= K");
  return s;
}

std::uint64_t grid_position(const Task& task, const JobSpec& spec) {
  const auto place = std::find(spec.ops.begin(), spec.ops.end(), task.op) - spec.ops.begin();
  return task.point.id * spec.ops.size() + static_cast<std::uint64_t>(place);
}

bool in_shard(const Task& task, const JobSpec& spec, const Shard& shard) {
  return grid_position(task, spec) % shard.count == shard.index;
}

}  // namespace gs
