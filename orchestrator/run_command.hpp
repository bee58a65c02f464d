#pragma once
#include "orchestrator/run_options.hpp"
#include "orchestrator/sweep_source.hpp"

namespace gs {

// `gemmsweep run`: serial when started alone, distributed under mpirun / srun. Returns the exit
// status (DESIGN.md section 3), the same on every rank. Validates everything (job file, options,
// output path, devices) before it creates the output file, so that bad input writes nothing.
// `source` says where the tasks come from (advise lists its own).
int run_command(const RunOptions& options, int& argc, char**& argv,
                const SweepSource& source = job_file_sweep());

}  // namespace gs
