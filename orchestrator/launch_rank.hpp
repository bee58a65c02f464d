#pragma once

namespace gs {

// Whether this process is the first of its launch, read from the launcher's environment
// (mpirun, PMI, PMIx, srun) before or after MPI runs: only the first prints a usage error, and
// only the first ranks and writes advice after an advise sweep. True when started alone.
bool first_launched_process();

}  // namespace gs
