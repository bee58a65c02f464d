#!/usr/bin/env bash
# The one command for a machine with a GPU (docs/gpu-check.md):
#   1. runs the cuda backend's GPU tests,
#   2. times every 9th point of jobs/attention_score_a32.toml with gemmsweep's cuda backend
#      (9 is odd, so the sample holds every power-of-two class of h/a, 1 to 64),
#   3. times the same shapes with torch.bmm (cookbook style),
#   4. prints both side by side with their ratio,
#   5. on a machine with 2 or more GPUs and an mpiexec, runs a small NCCL collective sweep
#      (jobs/comm_small.toml, one rank per GPU) with the gemmsweep binary, which only
#      `--prepare --with-gemmsweep` bundles (it needs MPI there); otherwise it says so and skips it.
# Each step has its own time limit (30 + 120 + 150 + 120 s at most): run it with timeout_s=480.
#
# The GPU machine has CUDA, PyTorch and CMake but no MPI, HDF5 or the other Debian libraries the
# build needs, so the binaries are built on the development machine and carried:
#   scripts/gpu-check.sh --prepare     # here: builds and bundles them into build/gpu-carry
#                                      # (a few MB: the device tool carries at most 64 MiB)
#   scripts/gpu-check.sh               # there, with build/gpu-carry carried along
#
# Options: --every N (default 9), --job FILE, --skip-tests, --skip-torch, --autotune,
#          --bundle DIR (default build/gpu-carry), --out DIR (default $OUT, else build/gpu-check),
#          --bench-seconds S (step 2's limit, default 150), --prepare [--with-gemmsweep]
# The whole seed chart (1024 points) for analysis/: --every 1 --skip-tests --skip-torch
# --bench-seconds 420, then `python3 -m gemmsweep_analysis plot bench.csv` where the file lands.
# Exit status: 0 all passed; 1 a test or a measured task failed; 2 bad usage or no binaries.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

bundle=build/gpu-carry
every=9
job=jobs/attention_score_a32.toml
run_tests=1
run_torch=1
autotune=()
prepare=0
with_gemmsweep=0
bench_seconds=150
out_dir=${OUT:-build/gpu-check}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --prepare) prepare=1 ;;
    --with-gemmsweep) with_gemmsweep=1 ;;
    --bundle) bundle=${2:?--bundle needs a directory}; shift ;;
    --every) every=${2:?--every needs a number}; shift ;;
    --bench-seconds) bench_seconds=${2:?--bench-seconds needs a number}; shift ;;
    --job) job=${2:?--job needs a file}; shift ;;
    --out) out_dir=${2:?--out needs a directory}; shift ;;
    --skip-tests) run_tests=0 ;;
    --skip-torch) run_torch=0 ;;
    --autotune) autotune=(--autotune) ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

binaries=(test_worker_cuda_gpu test_worker_cuda_host gemmsweep-gpu-bench)
# Only the collective check (step 5) needs it, on a machine with several GPUs and MPI; it drags
# in MPI, HDF5 and OpenBLAS, so it is bundled only on request.
optional_binaries=()
[[ $with_gemmsweep -eq 1 ]] && optional_binaries=(gemmsweep)

# --prepare: build the GPU binaries here and copy them with the shared libraries the GPU machine
# lacks (everything ldd resolves except glibc, libstdc++, libgcc, cuBLAS and NCCL, which are far
# too large to carry and come with the CUDA toolkit or PyTorch's nvidia-* wheels there).
if [[ $prepare -eq 1 ]]; then
  build_dir=${GEMMSWEEP_GPU_BUILD_DIR:-build/gpu}
  set -e
  if [[ ! -f $build_dir/CMakeCache.txt ]]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGEMMSWEEP_ENABLE_CUDA=ON \
      -DGEMMSWEEP_DEVICE_TESTS=ON -DGEMMSWEEP_BUILD_BENCHMARKS=OFF >/dev/null
  fi
  cmake --build "$build_dir" -j "$(nproc)" --target "${binaries[@]}" "${optional_binaries[@]}"
  rm -rf "$bundle"
  mkdir -p "$bundle/bin" "$bundle/lib"
  for name in "${binaries[@]}" "${optional_binaries[@]}"; do
    path=$(find "$build_dir" -type f -name "$name" -perm -u+x | head -n 1)
    [[ -n $path ]] || { echo "gpu-check: $name was not built" >&2; exit 1; }
    cp "$path" "$bundle/bin/"
    ldd "$path" | awk '/=> \//{print $3}' | while read -r lib; do
      case "$(basename "$lib")" in
        libc.so* | libm.so* | libdl.so* | librt.so* | libpthread.so* | ld-linux*) ;;
        libstdc++.so* | libgcc_s.so* | libcublas.so* | libcublasLt.so* | libnccl.so*) ;;
        *) cp -L "$lib" "$bundle/lib/" ;;
      esac
    done
  done
  du -sh "$bundle"
  # The device tool refuses a working tree over 64 MiB, the carried bundle included.
  size_mib=$(du -sm "$bundle" | cut -f1)
  if ((size_mib > 48)); then
    echo "gpu-check: the bundle is $size_mib MiB; the device tool carries at most 64 MiB with the" \
      "working tree: leave out --with-gemmsweep or a large library" >&2
    exit 1
  fi
  echo "bundle ready: carry '$bundle' and run scripts/gpu-check.sh on the GPU machine"
  exit 0
fi

mkdir -p "$out_dir"
log() { echo "== $*"; }

for name in "${binaries[@]}"; do
  if [[ ! -x $bundle/bin/$name ]]; then
    echo "gpu-check: $bundle/bin/$name is missing: run 'scripts/gpu-check.sh --prepare' on the" \
      "build machine and carry $bundle (docs/gpu-check.md)" >&2
    exit 2
  fi
done

# Shared libraries: the bundle's own, then cuBLAS and the runtime from the CUDA toolkit or the
# nvidia-* wheels that PyTorch brings.
lib_path=$PWD/$bundle/lib
for dir in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda/lib; do
  [[ -d $dir ]] && lib_path+=:$dir
done
if command -v python3 >/dev/null; then
  wheel_libs=$(python3 - <<'PY' 2>/dev/null
import glob, os, site
roots = site.getsitepackages() + [site.getusersitepackages()]
dirs = set()
for root in roots:
    for pattern in ("libcublas*.so*", "libnccl*.so*"):
        for lib in glob.glob(os.path.join(root, "nvidia", "**", pattern), recursive=True):
            dirs.add(os.path.dirname(lib))
print(":".join(sorted(dirs)))
PY
  )
  [[ -n $wheel_libs ]] && lib_path+=:$wheel_libs
fi
# Only our binaries get this path: torch must load the cuBLAS it was built with.
our_lib_path=$lib_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
ours() { LD_LIBRARY_PATH=$our_lib_path "$@"; }

status=0
log "device"
nvidia-smi --query-gpu=name,uuid,driver_version,memory.total,clocks.max.sm --format=csv 2>&1 |
  tee "$out_dir/device.txt"
# Which cuBLAS and runtime our binaries load (torch's are printed by torch_bmm_bench.py).
ours ldd "$bundle/bin/gemmsweep-gpu-bench" | grep -E "libcublas|libcudart" |
  tee -a "$out_dir/device.txt"
for name in "${binaries[@]}"; do
  if ours ldd "$bundle/bin/$name" | grep -q "not found"; then
    echo "gpu-check: $name has unresolved libraries:" >&2
    ours ldd "$bundle/bin/$name" | grep "not found" >&2
    status=1
  fi
done

if [[ $run_tests -eq 1 ]]; then
  log "cuda backend tests (host and GPU)"
  timeout 30 env LD_LIBRARY_PATH="$our_lib_path" "$bundle/bin/test_worker_cuda_host" \
    --gtest_brief=1 2>&1 | tee "$out_dir/tests_host.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  timeout 120 env LD_LIBRARY_PATH="$our_lib_path" "$bundle/bin/test_worker_cuda_gpu" \
    --gtest_brief=1 2>&1 | tee "$out_dir/tests_gpu.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
fi

log "gemmsweep cuda backend: every ${every}th task of $job"
timeout "$bench_seconds" env LD_LIBRARY_PATH="$our_lib_path" "$bundle/bin/gemmsweep-gpu-bench" "$job" \
  --every "$every" --max-seconds-per-point 1.0 "${autotune[@]}" >"$out_dir/bench.csv" 2>"$out_dir/bench.err"
bench_status=$?
cat "$out_dir/bench.err"
if [[ $bench_status -ne 0 ]]; then
  echo "gpu-check: gemmsweep-gpu-bench exited with status $bench_status" >&2
  status=1
fi

if [[ $run_torch -eq 1 && -s $out_dir/bench.csv ]]; then
  log "torch.bmm: the same shapes"
  # A time-out leaves the rows done so far; the comparison shows the others as "-".
  if ! timeout 120 python3 scripts/torch_bmm_bench.py "$out_dir/bench.csv" >"$out_dir/torch.csv"; then
    echo "gpu-check: torch_bmm_bench.py failed or ran out of time" >&2
    status=1
  fi
  if [[ -s $out_dir/torch.csv ]]; then
    log "side by side (TFLOP/s; gs = gemmsweep, L2 flushed; torch = torch.bmm, warm L2)"
    python3 scripts/compare_gpu_check.py "$out_dir/bench.csv" "$out_dir/torch.csv" |
      tee "$out_dir/compare.txt"
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  fi
else
  cat "$out_dir/bench.csv"
fi

log "collectives: NCCL on every GPU of this machine"
gpus=$(nvidia-smi --list-gpus 2>/dev/null | grep -c '^GPU')
if [[ $gpus -lt 2 ]]; then
  echo "gpu-check: collective check skipped: $gpus GPU(s) here, it needs 2 or more"
elif ! command -v mpiexec >/dev/null; then
  echo "gpu-check: collective check skipped: no mpiexec on this machine"
elif [[ ! -x $bundle/bin/gemmsweep ]]; then
  echo "gpu-check: collective check skipped: $bundle/bin/gemmsweep missing (--prepare --with-gemmsweep)"
else
  rm -f "$out_dir/comm.h5"
  timeout 180 env LD_LIBRARY_PATH="$our_lib_path" mpiexec -n "$gpus" --oversubscribe \
    --allow-run-as-root -x LD_LIBRARY_PATH "$bundle/bin/gemmsweep" run \
    jobs/comm_small.toml -o "$out_dir/comm.h5" --backend cuda 2>&1 | tee "$out_dir/comm.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  ours "$bundle/bin/gemmsweep" report "$out_dir/comm.h5" 2>&1 | tee "$out_dir/comm_report.txt"
  # A failed row is a collective whose result check failed.
  if grep -Eq "status:.* failed [1-9]" "$out_dir/comm_report.txt"; then status=1; fi
fi

log "done: status $status, files in $out_dir"
exit $status
