"""Writes small results files in the layout of docs/results-format.md for the analysis tests.

Until the C++ writer runs here these stand in for its output: the same /results and /devices
compound columns, root attributes, and either fixed-length (the C++ writer) or variable-length
strings, so that the loader's decoding is exercised both ways.

    /usr/bin/python3 tests/analysis/make_fixture.py OUT.h5 [--device NAME] [--scale X]
"""

import argparse
import math

import h5py
import numpy as np

RESULT_FIELDS = [
    ("task_id", "u8"), ("point_id", "u8"), ("op", "S"), ("dtype", "S"), ("hidden_size", "i8"),
    ("heads", "i8"), ("head_dim", "i8"), ("microbatch", "i8"), ("seq_length", "i8"),
    ("tensor_parallel", "i8"), ("vocab_size", "i8"), ("batch", "i8"), ("m", "i8"), ("n", "i8"),
    ("k", "i8"), ("flops", "f8"), ("samples", "i4"), ("time_s", "f8"), ("time_min_s", "f8"),
    ("time_mean_s", "f8"), ("time_std_s", "f8"), ("rel_ci", "f8"), ("tflops", "f8"),
    ("converged", "u1"), ("launches_per_sample", "i4"), ("status", "S"), ("message", "S"),
    ("rank", "i4"), ("attempt", "i4"), ("host", "S"), ("device", "S"), ("compute_dtype", "S"),
    ("algo", "S"), ("sm_clock_before_mhz", "f8"), ("sm_clock_after_mhz", "f8"),
    ("temperature_before_c", "f8"), ("temperature_after_c", "f8"), ("power_before_w", "f8"),
    ("power_after_w", "f8"), ("throttle_reasons", "u8"), ("started_unix", "f8"),
]
DEVICE_FIELDS = [
    ("backend", "S"), ("name", "S"), ("uuid", "S"), ("host", "S"), ("rank", "i4"),
    ("compute_capability", "S"), ("sm_count", "i4"), ("memory_bytes", "u8"),
    ("sm_clock_max_mhz", "f8"), ("mem_clock_max_mhz", "f8"), ("driver_version", "S"),
    ("runtime_version", "S"), ("blas_version", "S"), ("threads", "i4"),
]

HEAD_DIMS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128)
DTYPE_SIZE = {"fp16": 2, "bf16": 2, "fp32": 4}


def pow2(d):
    return min(d & -d, 64)


def fake_tflops(op, d, scale, intensity):
    """Deterministic, shape-dependent throughput under an A100-like roof (312 TFLOP/s, 2 TB/s):
    more powers of two in h/a are faster."""
    base = 180.0 if op == "attention_score" else 150.0
    shaped = base * (1 - math.exp(-d / 48)) * (0.4 + 0.6 * math.log2(pow2(d)) / 6)
    return scale * min(shaped, 0.9 * min(312.0, 2.0 * intensity))


def _string_dtype(kind, values):
    if kind == "vlen":
        return h5py.string_dtype("utf-8")
    return f"S{max(1, max(len(v.encode()) for v in values))}"


def _compound(fields, rows, kind):
    dtype = []
    for name, code in fields:
        dtype.append((name, _string_dtype(kind, [r[name] for r in rows]) if code == "S" else code))
    array = np.zeros(len(rows), dtype=dtype)
    for i, row in enumerate(rows):
        for name, code in fields:
            value = row[name]
            array[i][name] = value.encode() if code == "S" and kind != "vlen" else value
    return array


def attention_rows(device, scale=1.0, tilt=0.0, dtype="fp16", heads=32, seq_length=2048,
                   microbatch=1, ops=("attention_score", "attention_over_value"),
                   head_dims=HEAD_DIMS):
    rows = []
    for point_id, d in enumerate(head_dims):
        for op_index, op in enumerate(ops):
            batch, s = microbatch * heads, seq_length
            m, n, k = (s, d, s) if op == "attention_score" else (s, s, d)
            flops = 2.0 * batch * m * n * k
            size = DTYPE_SIZE[dtype]
            moved = batch * (m * n + n * k) * size + batch * m * k * size
            speedup = 1 + tilt * math.log2(pow2(d)) / 6
            tflops = fake_tflops(op, d, scale * speedup, flops / moved)
            t = flops / (tflops * 1e12)
            rows.append(dict(
                task_id=point_id * 16 + op_index, point_id=point_id, op=op, dtype=dtype,
                hidden_size=heads * d, heads=heads, head_dim=d, microbatch=microbatch,
                seq_length=s, tensor_parallel=1, vocab_size=0, batch=batch, m=m, n=n, k=k,
                flops=flops, samples=10, time_s=t, time_min_s=t * 0.98, time_mean_s=t * 1.01,
                time_std_s=t * 0.01, rel_ci=0.01, tflops=tflops, converged=1,
                launches_per_sample=1, status="ok", message="", rank=0, attempt=0,
                host="node01", device=device, compute_dtype="fp32", algo="default",
                sm_clock_before_mhz=1410.0, sm_clock_after_mhz=1410.0,
                temperature_before_c=40.0, temperature_after_c=45.0, power_before_w=90.0,
                power_after_w=300.0, throttle_reasons=0, started_unix=1.7e9 + point_id))
    return rows


def unmeasured_row(template, status, message, task_id):
    row = dict(template)
    row.update(status=status, message=message, task_id=task_id, samples=0, time_s=0.0,
               tflops=0.0, converged=0)
    return row


def device_row(name, backend):
    return dict(backend=backend, name=name, uuid="GPU-fixture", host="node01", rank=0,
                compute_capability="8.0", sm_count=108, memory_bytes=80 * 2**30,
                sm_clock_max_mhz=1410.0, mem_clock_max_mhz=1593.0, driver_version="550.0",
                runtime_version="12.4", blas_version="12.4.5", threads=0)


def write_results(path, rows, device="NVIDIA A100-SXM4-80GB", backend="cuda", kind="fixed",
                  attributes=None):
    attrs = dict(format_version=1, gemmsweep_version="0.1.0", spec="name = \"fixture\"\n",
                 spec_hash="0123abcd", backend=backend, created_utc="2026-11-28T12:00:00Z",
                 command_line="gemmsweep run fixture.toml -o fixture.h5", job_name="fixture")
    attrs.update(attributes or {})
    with h5py.File(path, "w") as f:
        f.create_dataset("results", data=_compound(RESULT_FIELDS, rows, kind),
                         maxshape=(None,), chunks=True)
        f.create_dataset("devices", data=_compound(DEVICE_FIELDS, [device_row(device, backend)],
                                                   kind), maxshape=(None,), chunks=True)
        for key, value in attrs.items():
            f.attrs[key] = value


def write_standard(path, device="NVIDIA A100-SXM4-80GB", backend="cuda", scale=1.0,
                   kind="fixed", dtype="fp16", tilt=0.0):
    """Two attention ops over HEAD_DIMS, plus one skipped and one failed row that charts omit."""
    rows = attention_rows(device, scale=scale, dtype=dtype, tilt=tilt)
    rows.append(unmeasured_row(rows[0], "skipped", "does not fit", 1000))
    rows.append(unmeasured_row(rows[1], "failed", "CUDA error", 1001))
    write_results(path, rows, device=device, backend=backend, kind=kind)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--device", default="NVIDIA A100-SXM4-80GB")
    parser.add_argument("--backend", default="cuda")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--tilt", type=float, default=0.0,
                        help="extra speed-up growing with the h/a class (0: uniform --scale)")
    parser.add_argument("--strings", choices=("fixed", "vlen"), default="fixed")
    args = parser.parse_args()
    write_standard(args.output, args.device, args.backend, args.scale, args.strings,
                   tilt=args.tilt)


if __name__ == "__main__":
    main()
