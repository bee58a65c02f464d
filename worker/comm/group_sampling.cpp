#include "worker/comm/group_sampling.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "worker/sampler.hpp"

namespace gs {
namespace {

constexpr double kTargetSampleSeconds = 1e-3;
constexpr int kMaxCallsPerSample = 1000;

double slowest(MPI_Comm group, double mine) {
  double worst = 0;
  MPI_Allreduce(&mine, &worst, 1, MPI_DOUBLE, MPI_MAX, group);
  return worst;
}

}  // namespace

bool all_members_agree(MPI_Comm group, bool mine) {
  int flag = mine ? 1 : 0, all = 0;
  MPI_Allreduce(&flag, &all, 1, MPI_INT, MPI_MIN, group);
  return all == 1;
}

void throw_unless_all_members_ready(MPI_Comm group, const std::string& my_setup_error) {
  if (all_members_agree(group, my_setup_error.empty())) return;
  throw std::runtime_error(my_setup_error.empty()
                               ? std::string("another member of the group failed to set up")
                               : my_setup_error);
}

Measurement sample_in_group(MPI_Comm group, const TimingSettings& timing,
                            const TimedCollectives& run) {
  MPI_Barrier(group);
  const double one_call = slowest(group, run(1));
  const int calls = one_call > 0
                        ? static_cast<int>(std::clamp(std::ceil(kTargetSampleSeconds / one_call),
                                                      1.0, double{kMaxCallsPerSample}))
                        : kMaxCallsPerSample;
  double agreed_elapsed = one_call;
  const SampleSource sample = [&] {
    MPI_Barrier(group);
    const double seconds = slowest(group, run(calls));
    agreed_elapsed += seconds;
    return seconds / calls;
  };
  const SecondsClock clock = [&] { return agreed_elapsed; };
  const SamplingResult result = sample_until_stable(timing, sample, clock);
  Measurement m;
  fill_measurement(result, timing, m);
  m.launches_per_sample = calls;
  return m;
}

}  // namespace gs
