#include "orchestrator/fault_injection.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include "orchestrator/exit_status.hpp"

namespace gs {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto cut = s.find(sep);
    parts.push_back(s.substr(0, cut));
    if (cut == std::string_view::npos) return parts;
    s.remove_prefix(cut + 1);
  }
}

template <class T>
T number(std::string_view text, std::string_view rule) {
  T value{};
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || p != end || text.empty())
    throw UsageError(std::string(kFaultInjectionVariable) + ": '" + std::string(text) +
                     "' in rule '" + std::string(rule) + "' is not a whole number");
  return value;
}

}  // namespace

FaultInjection FaultInjection::parse(std::string_view spec) {
  FaultInjection f;
  for (std::string_view rule : split(spec, ';')) {
    if (rule.empty()) continue;
    Rule r;
    bool has_task = false, has_where = false;
    for (std::string_view field : split(rule, ',')) {
      if (field == "everywhere") {
        has_where = true;
      } else if (field == "task=*") {
        r.any_task = true;
        has_task = true;
      } else if (field.starts_with("task=")) {
        r.task_id = number<std::uint64_t>(field.substr(5), rule);
        has_task = true;
      } else if (field.starts_with("rank=")) {
        r.rank = number<int>(field.substr(5), rule);
        has_where = true;
      } else {
        throw UsageError(std::string(kFaultInjectionVariable) + ": unknown field '" +
                         std::string(field) + "' in rule '" + std::string(rule) +
                         "'; expected task=ID (or task=*) and rank=R or everywhere");
      }
    }
    if (!has_task || !has_where)
      throw UsageError(std::string(kFaultInjectionVariable) + ": rule '" + std::string(rule) +
                       "' needs task=ID and one of rank=R or everywhere");
    f.rules_.push_back(r);
  }
  return f;
}

FaultInjection FaultInjection::from_environment() {
  const char* spec = std::getenv(kFaultInjectionVariable);
  return spec ? parse(spec) : FaultInjection{};
}

void FaultInjection::check(std::uint64_t task_id, int rank) const {
  for (const Rule& r : rules_)
    if ((r.any_task || r.task_id == task_id) && (r.rank < 0 || r.rank == rank))
      throw std::runtime_error("injected failure (" + std::string(kFaultInjectionVariable) +
                               ") of task " + std::to_string(task_id) + " on rank " +
                               std::to_string(rank));
}

}  // namespace gs
