"""Reads the CSV that gemmsweep-gpu-bench prints (scripts/gpu-check.sh's bench.csv) as Results.

The GPU machine that the checks run on has no HDF5 library for gemmsweep, so its measurements come
back as this CSV; reading it here lets the same charts (plot, roofline, compare) show them beside
a results file. Only rows the bench measured are in it; status, time and TFLOP/s mean what they
mean in /results.
"""

import os

import pandas as pd

from .errors import AnalysisError

# Columns the bench writes that the charts need (the newer ones derive the rest of /results).
BENCH_COLUMNS = (
    "task_id", "op", "dtype", "heads", "head_dim", "hidden_size", "batch", "m", "n", "k",
    "status", "samples", "time_s", "time_min_s", "tflops", "microbatch", "seq_length",
    "tensor_parallel", "flops", "device",
)
INTEGER_COLUMNS = ("task_id", "heads", "head_dim", "hidden_size", "batch", "m", "n", "k",
                   "samples", "microbatch", "seq_length", "tensor_parallel")
FLOAT_COLUMNS = ("time_s", "time_min_s", "tflops", "flops")


def is_bench_csv(path):
    return str(path).lower().endswith(".csv")


def read_bench_csv(path):
    """(frame, attributes) of a gemmsweep-gpu-bench CSV; AnalysisError naming what is wrong."""
    if not os.path.exists(path):
        raise AnalysisError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise AnalysisError(f"{path}: cannot read as CSV: {error}") from None
    missing = [c for c in BENCH_COLUMNS if c not in frame.columns]
    if missing:
        raise AnalysisError(f"{path}: not a gemmsweep-gpu-bench CSV (no column "
                            f"{', '.join(missing)}; it needs {', '.join(BENCH_COLUMNS)})")
    for column in INTEGER_COLUMNS + FLOAT_COLUMNS:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() & (frame[column] != "")
        if bad.any():
            line = int(bad.idxmax()) + 2  # the header is line 1
            raise AnalysisError(f"{path}:{line}: {column} '{frame[column][bad.idxmax()]}' is "
                                f"not a number")
        frame[column] = values.fillna(0).astype("int64" if column in INTEGER_COLUMNS else float)
    devices = sorted({d for d in frame["device"] if d})
    attributes = {"backend": "cuda", "job_name": os.path.splitext(os.path.basename(path))[0],
                  "source": "gemmsweep-gpu-bench"}
    return frame, attributes, pd.DataFrame({"name": devices})
