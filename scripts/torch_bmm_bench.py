#!/usr/bin/env python3
"""Times the shapes of a gemmsweep-gpu-bench CSV with torch.bmm, as the paper's code does.

EleutherAI cookbook style (benchmarks/sizing): A[batch, m, n] @ B[batch, n, k] with torch.bmm on
torch.randn inputs, 50 warm-up calls, then 200 calls each timed with its own CUDA event pair; the
minimum is the headline (the median is printed too). No L2 flush, as in the cookbook. So that the
seed chart's slow shapes (~1 TFLOP a call) fit the check's time limit, a shape whose calls would
take longer than about 0.3 s of warm-up or 1 s of timed calls gets fewer of each (at least 3 and
20), estimated from its first call.

usage: python3 scripts/torch_bmm_bench.py BENCH.csv > TORCH.csv
Rows whose status is not "ok" or whose dtype torch.bmm cannot run (fp8) are written with empty
times. Needs PyTorch with CUDA; runs under the GPU machine's python3.
"""
import csv
import sys

WARMUP = 50
TIMED = 200
WARMUP_BUDGET_S = 0.3
TIMED_BUDGET_S = 1.0


def torch_dtype(torch, name):
    return {
        "fp16": torch.float16,
        "bf16": torch.bfloat16,
        "fp32": torch.float32,
        "tf32": torch.float32,
    }.get(name)


def set_fp32_matmul(torch, tf32):
    """fp32 products in tf32 or in full fp32, through the setting current for this torch, and
    which one was used. torch 2.9 deprecated allow_tf32 for fp32_precision ("tf32" / "ieee");
    before it, set_float32_matmul_precision ("high" / "highest", since 1.12) is what allow_tf32
    maps to. allow_tf32 is never set: on a recent torch it warns and may stop working."""
    matmul = torch.backends.cuda.matmul
    if hasattr(matmul, "fp32_precision"):
        matmul.fp32_precision = "tf32" if tf32 else "ieee"
        return "torch.backends.cuda.matmul.fp32_precision"
    torch.set_float32_matmul_precision("high" if tf32 else "highest")
    return "torch.set_float32_matmul_precision"


def time_bmm(torch, batch, m, n, k, dtype, tf32):
    set_fp32_matmul(torch, tf32)
    a = torch.randn(batch, m, n, device="cuda", dtype=dtype)
    b = torch.randn(batch, n, k, device="cuda", dtype=dtype)
    first_start = torch.cuda.Event(enable_timing=True)
    first_stop = torch.cuda.Event(enable_timing=True)
    first_start.record()
    torch.bmm(a, b)
    first_stop.record()
    torch.cuda.synchronize()
    per_call = max(first_start.elapsed_time(first_stop) * 1e-3, 1e-7)
    warmup = max(3, min(WARMUP, int(WARMUP_BUDGET_S / per_call)))
    timed = max(20, min(TIMED, int(TIMED_BUDGET_S / per_call)))
    for _ in range(warmup - 1):
        torch.bmm(a, b)
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(timed)]
    stops = [torch.cuda.Event(enable_timing=True) for _ in range(timed)]
    for start, stop in zip(starts, stops):
        start.record()
        torch.bmm(a, b)
        stop.record()
    torch.cuda.synchronize()
    times = sorted(start.elapsed_time(stop) * 1e-3 for start, stop in zip(starts, stops))
    del a, b
    return times[0], times[len(times) // 2]


def loaded_cublas():
    """The cuBLAS libraries this process has mapped (Linux), to compare with gemmsweep's."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "libcublas" in line}
    except OSError:
        return []
    return sorted(paths)


def cublas_version(path, loader=None):
    """"12.9.1" for the libcublas.so at `path` (cublasGetProperty), "unknown" when it cannot
    say: the cuBLAS that torch.bmm calls, to compare with the one gemmsweep links."""
    import ctypes  # noqa: PLC0415 (only where a version is asked for)

    try:
        library = (loader or ctypes.CDLL)(path)
        parts = []
        for prop in (0, 1, 2):  # libraryPropertyType: MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL
            value = ctypes.c_int(0)
            if library.cublasGetProperty(prop, ctypes.byref(value)) != 0:
                return "unknown"
            parts.append(str(value.value))
        return ".".join(parts)
    except (OSError, AttributeError):
        return "unknown"


def describe_versions(torch, libraries, version_of=cublas_version):
    """The header lines: torch, its CUDA, the fp32 precision API, each cuBLAS it mapped."""
    lines = ["# torch {} (CUDA {}) on {}, fp32 matmul precision set with {}".format(
        torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0),
        "torch.backends.cuda.matmul.fp32_precision"
        if hasattr(torch.backends.cuda.matmul, "fp32_precision")
        else "torch.set_float32_matmul_precision")]
    for lib in libraries:
        name = lib.rsplit("/", 1)[-1]
        version = version_of(lib) if name.startswith("libcublas.") else "(cuBLASLt)"
        lines.append("# torch loaded {} cuBLAS {}".format(lib, version))
    if not libraries:
        lines.append("# torch loaded no libcublas this process could see")
    return "".join(line + "\n" for line in lines)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        import torch  # noqa: PLC0415 (imported here so that the usage text needs no torch)
    except ImportError:
        sys.stderr.write("torch_bmm_bench: PyTorch is not installed for this python3\n")
        return 3

    if not torch.cuda.is_available():
        sys.stderr.write("torch_bmm_bench: torch sees no CUDA device\n")
        return 3
    # One product first, so that torch has loaded the cuBLAS it uses.
    torch.bmm(torch.ones(1, 8, 8, device="cuda"), torch.ones(1, 8, 8, device="cuda"))
    torch.cuda.synchronize()
    sys.stderr.write(describe_versions(torch, loaded_cublas()))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["task_id", "torch_time_min_s", "torch_time_median_s", "torch_tflops",
                  "torch_tflops_median"])
    with open(argv[1], newline="") as f:
        for row in csv.DictReader(f):
            dtype = torch_dtype(torch, row["dtype"])
            if row["status"] != "ok" or dtype is None:
                out.writerow([row["task_id"], "", "", "", ""])
                continue
            batch, m, n, k = (int(row[key]) for key in ("batch", "m", "n", "k"))
            flops = 2.0 * batch * m * n * k
            t_min, t_median = time_bmm(torch, batch, m, n, k, dtype, row["dtype"] == "tf32")
            out.writerow([row["task_id"], "{:.9g}".format(t_min), "{:.9g}".format(t_median),
                          "{:.4f}".format(flops / t_min / 1e12),
                          "{:.4f}".format(flops / t_median / 1e12)])
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
