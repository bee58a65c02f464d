#include "orchestrator/cli.hpp"
#include "orchestrator/signal_guard.hpp"

// Sanitizer builds (the asan preset): Open MPI, hwloc and PMIx keep allocations until exit by
// design, in components they dlclose() at MPI_Finalize, so LeakSanitizer reports them with
// unusable stacks on every run and no suppression can name them. Address and undefined-behaviour
// checks stay on; the orchestrator's own logic runs leak-checked in test_orchestrator, which does
// not start MPI. Ignored by builds without sanitizers.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

namespace {

// The executable's .preinit_array runs after the dynamic loader has mapped and relocated the
// libraries (about 2 ms) and before any of their constructors: cuBLASLt's alone take some 50 ms
// of a sweep's start, and a SIGTERM (scancel, a time limit) in them would kill the process with
// the default action. glibc passes argc, argv and envp.
void catch_signals_before_the_libraries_start(int argc, char** argv, char**) {
  gs::SignalGuard::install_at_process_start(argc, argv);
}

[[gnu::section(".preinit_array"),
  gnu::used]] void (*const kPreinit)(int, char**,
                                     char**) = catch_signals_before_the_libraries_start;

}  // namespace

int main(int argc, char** argv) { return gs::gemmsweep_main(argc, argv); }
