#pragma once
#include <string>
#include <vector>

#include "io/run_provenance.hpp"
#include "orchestrator/run_options.hpp"
#include "orchestrator/run_setup.hpp"
#include "worker/device_info.hpp"

namespace gs {

// The root attributes of a new (or resumed) results file: the job, the versions, where it ran
// (hosts as the ranks reported them, the Slurm job, array task included) and how it was started.
RunProvenance make_provenance(const RunSetup& run, const RunOptions& options,
                              const std::string& backend_kind,
                              const std::vector<DeviceInfo>& devices);

// "1234" or, in a Slurm array, "1234_7"; empty outside Slurm.
std::string slurm_job_id();

}  // namespace gs
