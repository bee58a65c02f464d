#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gs {

// One swept dimension: the values it takes, in the order the job file gives them.
// Empty means the job file did not give it.
struct Axis {
  std::string name;
  std::vector<std::int64_t> values;

  bool given() const { return !values.empty(); }
  std::size_t size() const { return values.size(); }
  bool operator==(const Axis&) const = default;
};

// The largest grid a job file may describe, in points and in tasks (points x ops); past it the
// file is refused rather than expanded.
inline constexpr std::uint64_t kMaxGridPoints = 10'000'000;

}  // namespace gs
