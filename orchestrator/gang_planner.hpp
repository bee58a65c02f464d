#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "jobs/task.hpp"

namespace gs {

// One collective task and the ranks that measure it together; members ascend, and the first
// member reports the group's result.
struct GangAssignment {
  std::uint32_t index = 0;  // into the grid's task list
  std::vector<int> members;
};

// A collective that this run cannot measure (its group is larger than the run).
struct GangRefusal {
  std::uint32_t index = 0;
  std::string reason;
};

struct GangPlan {
  std::vector<GangAssignment> assignments;  // in the order to run them, one at a time
  std::vector<GangRefusal> refused;
};

// The ranks for a group of `size`, given each rank's host: inside one node when a node has that
// many ranks (the first such node in rank order, its lowest ranks), else across the fewest
// nodes (largest nodes first, lowest ranks first). Empty when the run has fewer ranks than
// `size`.
std::vector<int> form_group(const std::vector<std::string>& host_of_rank, std::int64_t size);

// Groups for the collective tasks `todo` (indices into `tasks`), in the order given. Collectives
// run one at a time: two groups at once would share links (NVLink switches, NICs) and measure
// each other. Groups are the same for every task of a size, so communicators are made once.
GangPlan plan_gangs(const std::vector<Task>& tasks, const std::vector<std::uint32_t>& todo,
                    const std::vector<std::string>& host_of_rank);

}  // namespace gs
