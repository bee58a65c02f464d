#pragma once
#include <mpi.h>

#include <functional>
#include <string>

#include "jobs/timing_settings.hpp"
#include "worker/measurement.hpp"

namespace gs {

// Runs `calls` back-to-back collectives and returns this rank's seconds for all of them.
using TimedCollectives = std::function<double(int calls)>;

// The stopping rule of every backend, run in lock-step by a group: each sample starts after a
// barrier, its time is the slowest member's (MPI_MAX), and the time limit counts those agreed
// times, so that every member makes the same decisions. A sample is as many calls as make up
// about a millisecond (measured once, agreed), since one small collective is microseconds.
// time_s etc. are seconds per call; launches_per_sample says how many calls a sample held.
Measurement sample_in_group(MPI_Comm group, const TimingSettings& timing,
                            const TimedCollectives& run);

// True on every member when `mine` is true on every member.
bool all_members_agree(MPI_Comm group, bool mine);

// After a member's setup (buffers, communicator): when it failed on any member, every member
// throws (the failed one its own error) rather than wait in a collective the failed one never
// enters.
void throw_unless_all_members_ready(MPI_Comm group, const std::string& my_setup_error);

}  // namespace gs
