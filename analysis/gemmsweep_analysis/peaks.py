"""Datasheet peaks of the GPUs the roofline knows (DESIGN.md section 1), matched by name.

Dense tensor-core TFLOP/s per dtype and HBM bandwidth in TB/s. fp16 / bf16 are the figures the
design names; fp32 / tf32 / fp8 / fp64 are the vendors' datasheet numbers for the same parts so that
a cpu-style fp32 sweep on a GPU is not judged against the fp16 ceiling. MI250X is one GCD.
"""

import math
from dataclasses import dataclass

from .errors import AnalysisError


@dataclass(frozen=True)
class DevicePeak:
    name: str
    tflops: dict  # dtype -> dense TFLOP/s
    bandwidth_tbs: float


# Longest names first so that "H100" never shadows a longer match; matched case-insensitively.
KNOWN_DEVICES = (
    DevicePeak("MI250X", {"fp16": 191.5, "bf16": 191.5, "fp32": 47.9, "fp64": 47.9}, 1.6),
    DevicePeak("V100", {"fp16": 125.0, "fp32": 15.7, "fp64": 7.8}, 0.9),
    DevicePeak("A100", {"fp16": 312.0, "bf16": 312.0, "tf32": 156.0, "fp32": 19.5,
                        "fp64": 19.5}, 2.0),
    DevicePeak("H100", {"fp16": 989.0, "bf16": 989.0, "tf32": 494.0, "fp32": 67.0,
                        "fp8": 1979.0, "fp64": 67.0}, 3.35),
    DevicePeak("H200", {"fp16": 989.0, "bf16": 989.0, "tf32": 494.0, "fp32": 67.0,
                        "fp8": 1979.0, "fp64": 67.0}, 4.8),
)

# Bytes per element (inputs, output): fp8 products are written in bf16 (jobs/dtype.cpp).
DTYPE_BYTES = {
    "fp16": (2, 2), "bf16": (2, 2), "fp32": (4, 4), "tf32": (4, 4), "fp8": (1, 2), "fp64": (8, 8),
}


def find_device(device):
    name = str(device).upper()
    for peak in KNOWN_DEVICES:
        if peak.name in name:
            return peak
    return None


def roof_of(device, dtype, peak_tflops=None, bandwidth_tbs=None, spec=None):
    """(peak TFLOP/s, TB/s) for a device and dtype; user values override the table, and a GPU
    spec file's peaks (gpu_spec.read_gpu_spec) replace it for every device."""
    for option, value in (("--peak-tflops", peak_tflops), ("--bandwidth-tbs", bandwidth_tbs)):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise AnalysisError(f"roofline: {option} {value:g} is not allowed (allowed: a finite "
                                f"number > 0)")
    known = spec if spec is not None else find_device(device)
    peak = peak_tflops if peak_tflops is not None else (
        known.tflops.get(dtype) if known else None)
    bandwidth = bandwidth_tbs if bandwidth_tbs is not None else (
        known.bandwidth_tbs if known else None)
    if peak is None or bandwidth is None:
        names = ", ".join(p.name for p in KNOWN_DEVICES)
        if known is None:
            why = f"device '{device}' is not in the peak table (known: {names})"
        else:
            why = f"no {dtype} peak for {known.name} (known dtypes: {', '.join(known.tflops)})"
        missing = " and ".join(o for o, v in (("--peak-tflops", peak), ("--bandwidth-tbs",
                                                                         bandwidth)) if v is None)
        raise AnalysisError(f"roofline: {why}; pass {missing}")
    return float(peak), float(bandwidth)


def element_bytes(dtype):
    if dtype not in DTYPE_BYTES:
        raise AnalysisError(f"roofline: dtype '{dtype}' has no known element size "
                            f"(known: {', '.join(DTYPE_BYTES)})")
    return DTYPE_BYTES[dtype]
