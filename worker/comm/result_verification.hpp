#pragma once
#include <mpi.h>

#include <cstddef>
#include <optional>

#include "jobs/task.hpp"
#include "worker/comm/collective_pattern.hpp"
#include "worker/measurement.hpp"

namespace gs {

// Checks the elements a collective delivered against the pattern's expected values, and makes
// every member of the group agree: when any member saw a wrong element, all of them return the
// same failed measurement (naming the element where this member saw one), so that a wrong result
// is never timed into a row. Returns nullopt when every member's result is right.
std::optional<Measurement> verify_on_all_members(const Task& task, const CollectivePattern& pattern,
                                                 const std::byte* received, int group_rank,
                                                 MPI_Comm group);

}  // namespace gs
