#pragma once

namespace gs {

// The `gemmsweep` command line (DESIGN.md section 3): plan, run, report, merge, --version.
// Returns the process exit status.
int gemmsweep_main(int argc, char** argv);

}  // namespace gs
