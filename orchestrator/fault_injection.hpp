#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs {

// Test-only failures, so that tests can force the retry path without a broken GPU.
// GEMMSWEEP_TEST_FAIL holds rules separated by ';', each "task=ID,rank=R" (that task throws on
// that rank) or "task=ID,everywhere" (on every rank). IDs are task ids as stored in the file;
// "task=*" matches every task (a rank that fails everything).
class FaultInjection {
 public:
  struct Rule {
    std::uint64_t task_id = 0;
    bool any_task = false;
    int rank = -1;  // -1: everywhere
  };

  FaultInjection() = default;
  // Throws UsageError for a malformed specification.
  static FaultInjection parse(std::string_view spec);
  // From the environment variable; none when unset.
  static FaultInjection from_environment();

  // Throws std::runtime_error("injected failure ...") when a rule matches.
  void check(std::uint64_t task_id, int rank) const;
  bool empty() const { return rules_.empty(); }

 private:
  std::vector<Rule> rules_;
};

inline constexpr const char* kFaultInjectionVariable = "GEMMSWEEP_TEST_FAIL";

}  // namespace gs
