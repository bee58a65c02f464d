#pragma once
#include <mpi.h>

#include <memory>
#include <string>

#include "jobs/task.hpp"
#include "jobs/timing_settings.hpp"
#include "worker/measurement.hpp"

namespace gs {

// Measures collective tasks on a group of ranks. Every member of `group` calls measure() with
// the same task at the same time; all get the same measurement back (the group agrees on every
// sample, so that each member takes the same number of them and none waits forever). A member
// whose check of the result fails makes the whole group's measurement failed.
class CollectiveRunner {
 public:
  virtual ~CollectiveRunner() = default;
  virtual Measurement measure(const Task& task, MPI_Comm group, const TimingSettings& timing) = 0;
  // What moves the bytes, for the rows' algo column ("MPI" or "NCCL x.y.z").
  virtual std::string library() const = 0;
};

}  // namespace gs
