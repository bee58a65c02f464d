"""Peaks from a GPU spec file (the TOML that `gemmsweep fit` writes and worker/model/gpus/ ships;
docs/model.md, "GPU spec files"), for the roofline instead of the built-in table."""

import math

from .errors import AnalysisError
from .peaks import DevicePeak

DTYPES = ("fp16", "bf16", "tf32", "fp32", "fp64", "fp8")


def _positive(path, key, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            math.isfinite(value) and value > 0):
        raise AnalysisError(f"{path}: {key}: {value!r} is not allowed (allowed: a finite "
                            f"number > 0)")
    return float(value)


def read_gpu_spec(path):
    try:
        import tomllib  # Python 3.11+, Debian 12's python3
    except ImportError:
        raise AnalysisError(f"--gpu-spec {path}: reading TOML needs Python 3.11 or later "
                            f"(tomllib)") from None
    try:
        with open(path, "rb") as f:
            spec = tomllib.load(f)
    except OSError as error:
        raise AnalysisError(f"--gpu-spec {path}: cannot open: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise AnalysisError(f"{path}: not TOML: {error}") from None
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        raise AnalysisError(f"{path}: name: missing or not a string (a GPU spec file names its "
                            f"GPU)")
    peaks = spec.get("peak_tflops")
    if not isinstance(peaks, dict) or "fp16" not in peaks:
        raise AnalysisError(f"{path}: peak_tflops: missing, or without fp16 (docs/model.md, "
                            f"\"GPU spec files\")")
    tflops = {d: _positive(path, f"peak_tflops.{d}", peaks[d]) for d in DTYPES if d in peaks}
    if "tf32" not in tflops and "fp32" in tflops:
        tflops["tf32"] = tflops["fp32"]  # the model's fallback: tf32 runs as fp32
    bandwidth = _positive(path, "bandwidth_tbs", spec.get("bandwidth_tbs"))
    return DevicePeak(name, tflops, bandwidth)
