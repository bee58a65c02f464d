#pragma once
#include "orchestrator/run_options.hpp"

namespace gs {

// `gemmsweep run`: serial when started alone, distributed under mpirun / srun. Returns the exit
// status (DESIGN.md section 3), the same on every rank. Validates everything (job file, options,
// output path, devices) before it creates the output file, so that bad input writes nothing.
int run_command(const RunOptions& options, int& argc, char**& argv);

}  // namespace gs
