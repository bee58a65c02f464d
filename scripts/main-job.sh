#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs and builds, then runs the seed sweep
# (Fig. 7a of arXiv:2401.14489) on every GPU of this machine with one MPI rank per GPU, or, on a
# machine without a GPU, the small demo job on the cpu backend with several ranks; ends with a
# results file, a report and a chart under out/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bin=build/release/orchestrator/gemmsweep
mkdir -p out

gpus=0
if command -v nvidia-smi >/dev/null 2>&1; then
  gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
fi
if ((gpus > 0)) && grep -q '#define GEMMSWEEP_HAVE_CUDA 1' build/release/generated/gemmsweep/config.hpp; then
  job=jobs/attention_score_a32.toml backend=cuda ranks=$gpus name=attention_score_a32
  echo "main job: the seed sweep ($job) on $gpus GPU(s), cuda backend, $ranks MPI ranks"
else
  cores=$(nproc)
  job=jobs/demo.toml backend=cpu ranks=$((cores < 2 ? 2 : cores)) name=demo
  echo "main job: no GPU here, so the demo ($job) on the cpu backend with $ranks MPI ranks."
  echo "          On a GPU machine this command runs the seed sweep jobs/attention_score_a32.toml;"
  echo "          by hand: mpiexec -n <GPUs> $bin run jobs/attention_score_a32.toml -o seed.h5 --backend cuda"
fi

out=out/$name.h5
mpi_flags=(--oversubscribe --bind-to none)
[[ $(id -u) -eq 0 ]] && mpi_flags+=(--allow-run-as-root)
resume=()
[[ -e $out ]] && resume=(--resume) && echo "main job: $out exists, resuming it (finished points are kept)"

status=0
mpiexec -n "$ranks" "${mpi_flags[@]}" "$bin" run "$job" -o "$out" --backend "$backend" "${resume[@]}" || status=$?
# 3: interrupted, or some tasks failed; the file holds what was measured, so show it anyway.
if ((status != 0 && status != 3)); then
  echo "main job: gemmsweep run exited with status $status" >&2
  exit "$status"
fi

"$bin" report "$out"
PYTHONPATH=analysis /usr/bin/python3 -m gemmsweep_analysis plot "$out" -o "out/$name.png"
echo "main job: results in $out, chart in out/$name.png"
if ((status == 3)); then
  echo "main job: the sweep is incomplete (exit 3): run the same command again to resume it" >&2
  exit 3
fi
