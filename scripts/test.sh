#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs every test through ctest:
# the release build (unit, MPI, end-to-end, Slurm, Python, install), the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer, and a bounded libFuzzer run of the job parser.
# GPU tests are built but registered only on a machine with a GPU (see docs/gpu-check.md).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash scripts/setup.sh --no-build

echo "== release build"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

echo "== release tests"
ctest --preset release -j "$jobs" --timeout 900

# The .deb is made from a tree without CUDA (no Debian package holds the CUDA toolkit); where
# the release tree has CUDA, its install test checked the tarball, and this one checks the .deb.
if grep -q '#define GEMMSWEEP_HAVE_CUDA 1' build/release/generated/gemmsweep/config.hpp; then
  echo "== install test of the tree without CUDA (tarball and .deb)"
  cmake --preset nocuda >/dev/null
  cmake --build --preset nocuda -j "$jobs" --target gemmsweep gemmsweep_man
  ctest --test-dir build/nocuda -L '^install$' --output-on-failure
fi

echo "== unit, io and orchestrator tests under ASan + UBSan"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs" --target jobs_tests test_worker_stats test_worker_cpu \
  test_worker_model test_worker_backend test_io test_orchestrator test_orchestrator_coordinator
# LeakSanitizer is on by default; the two binaries that start Open MPI turn it off for
# themselves (__asan_default_options), since MPI's own allocations outlive MPI_Finalize.
UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan -L '^(unit|io|orchestrator)$' -LE python -j "$jobs" --output-on-failure

echo "== job parser fuzzing (bounded)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target job_parser_fuzzer
ctest --test-dir build/fuzz -R job_parser_fuzz --output-on-failure
