#include "orchestrator/gang_planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace gs {

std::vector<int> form_group(const std::vector<std::string>& host_of_rank, std::int64_t size) {
  const auto ranks = static_cast<std::int64_t>(host_of_rank.size());
  if (size <= 0 || size > ranks) return {};
  // Nodes in order of their lowest rank, each with its ranks ascending.
  std::vector<std::vector<int>> nodes;
  std::map<std::string, std::size_t> node_of_host;
  for (int r = 0; r < static_cast<int>(ranks); ++r) {
    const auto [it, fresh] =
        node_of_host.emplace(host_of_rank[static_cast<std::size_t>(r)], nodes.size());
    if (fresh) nodes.emplace_back();
    nodes[it->second].push_back(r);
  }
  for (const auto& node : nodes)
    if (static_cast<std::int64_t>(node.size()) >= size) return {node.begin(), node.begin() + size};
  // Across nodes: the largest first, so that the group spans as few of them as it can.
  std::stable_sort(nodes.begin(), nodes.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::vector<int> members;
  for (const auto& node : nodes)
    for (int r : node)
      if (static_cast<std::int64_t>(members.size()) < size) members.push_back(r);
  std::sort(members.begin(), members.end());
  return members;
}

GangPlan plan_gangs(const std::vector<Task>& tasks, const std::vector<std::uint32_t>& todo,
                    const std::vector<std::string>& host_of_rank) {
  GangPlan plan;
  std::map<std::int64_t, std::vector<int>> group_of_size;
  for (std::uint32_t index : todo) {
    const std::int64_t size = tasks.at(index).point.group_size;
    auto it = group_of_size.find(size);
    if (it == group_of_size.end())
      it = group_of_size.emplace(size, form_group(host_of_rank, size)).first;
    if (it->second.empty()) {
      plan.refused.push_back(
          {index, fmt::format("group_size {} needs {} ranks at once; this run has {} (run it with "
                              "more ranks)",
                              size, size, host_of_rank.size())});
      continue;
    }
    plan.assignments.push_back({index, it->second});
  }
  return plan;
}

}  // namespace gs
