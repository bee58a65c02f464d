#!/usr/bin/env bash
# Dispatch rate, side by side on the same ranks: gemmsweep's scheduler handing out 100,000
# zero-cost tasks (model backend, no --simulate, results written to HDF5 as they arrive) vs
# mpi4py.futures' MPIPoolExecutor mapping a no-op over 100,000 items.
#
#   benchmarks/orchestrator/dispatch_rate.sh GEMMSWEEP [RANKS] [REPEATS]
#
# gemmsweep's rate is its own final progress line (tasks settled / time from the first hand-out
# to the last result stored), which excludes MPI start-up as the Python script's timer does.
set -euo pipefail
gemmsweep=${1:?usage: dispatch_rate.sh GEMMSWEEP [RANKS] [REPEATS]}
ranks=${2:-4}
repeats=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
mpiexec=(mpiexec -n "$ranks" --oversubscribe --bind-to none)
[[ $(id -u) -eq 0 ]] && mpiexec+=(--allow-run-as-root)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for i in $(seq "$repeats"); do
  start=$(date +%s.%N)
  "${mpiexec[@]}" "$gemmsweep" run "$here/dispatch_100k.toml" -o "$tmp/d$i.h5" --backend model \
    --order grid 2> "$tmp/err$i"
  end=$(date +%s.%N)
  rate=$(grep -o '[0-9.e+]* tasks/s' "$tmp/err$i" | tail -1)
  wall=$(awk "BEGIN { print $end - $start }")
  printf 'gemmsweep: 100000 tasks on %d ranks, %s (wall with MPI start-up: %.2f s)\n' \
    "$ranks" "$rate" "$wall"
done
for chunk in 1 64; do
  for i in $(seq "$repeats"); do
    "${mpiexec[@]}" /usr/bin/python3 -m mpi4py.futures "$here/mpi4py_noop_farm.py" 100000 "$chunk"
  done
done
