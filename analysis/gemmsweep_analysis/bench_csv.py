"""Reads the CSV that gemmsweep-gpu-bench prints (scripts/gpu-check.sh's bench.csv) as Results.

The GPU machine that the checks run on has no HDF5 library for gemmsweep, so its measurements come
back as this CSV; reading it here lets the same charts (plot, roofline, compare) show them beside
a results file. Only rows the bench measured are in it; status, time and TFLOP/s mean what they
mean in /results.

Every value the charts use is checked here, against what the bench can write, so that a damaged or
hand-edited file is refused with its line and column instead of being drawn wrong (a truncated
hidden size, an op no chart knows) or failing deep inside pandas or matplotlib.
"""

import csv
import io
import math
import os
import re

import pandas as pd

from .errors import AnalysisError
from .labels import OP_TITLES, printable
from .peaks import DTYPE_BYTES

# Columns the bench writes that the charts need (the newer ones derive the rest of /results).
BENCH_COLUMNS = (
    "task_id", "op", "dtype", "heads", "head_dim", "hidden_size", "batch", "m", "n", "k",
    "status", "samples", "time_s", "time_min_s", "tflops", "microbatch", "seq_length",
    "tensor_parallel", "flops", "device",
)
INTEGER_COLUMNS = ("task_id", "heads", "head_dim", "hidden_size", "batch", "m", "n", "k",
                   "samples", "microbatch", "seq_length", "tensor_parallel")
FLOAT_COLUMNS = ("time_s", "time_min_s", "tflops", "flops")
# The values gs::to_string writes (jobs/op.cpp, jobs/dtype.cpp, TaskStatus); the charts know them.
CHOICES = {"op": tuple(OP_TITLES), "dtype": tuple(DTYPE_BYTES),
           "status": ("ok", "skipped", "failed")}
INT64_MAX = 2**63 - 1
# Plain decimal numbers only: float() would also take 'inf', 'nan' and '1_000'.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGERS_ALLOWED = f"whole numbers from 0 to {INT64_MAX}"
_FLOATS_ALLOWED = "finite numbers >= 0"


def is_bench_csv(path):
    return str(path).lower().endswith(".csv")


def _integer(text):
    """(value, None) or (None, why not) for an integer column's text."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None, "is not a whole number"
    if re.fullmatch(r"[+-]?[0-9]+", text):
        value = int(text)  # exact, even past what a double holds
    else:
        number = float(text)
        if not math.isfinite(number):
            return None, "is out of range"
        if not number.is_integer():
            return None, "is not a whole number"
        value = int(number)
    if value < 0:
        return None, "is negative"
    if value > INT64_MAX:
        return None, "is out of range"
    return value, None


def _float(text):
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None, "is not a number"
    value = float(text)
    if not math.isfinite(value):
        return None, "is out of range"
    if value < 0:
        return None, "is negative"
    return value, None


def _read_text(path):
    if not os.path.exists(path):
        raise AnalysisError(f"{path}: no such file")
    if os.path.isdir(path):
        raise AnalysisError(f"{path}: is a directory, expected a gemmsweep-gpu-bench CSV")
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except UnicodeDecodeError:
        raise AnalysisError(f"{path}: not a text file (not UTF-8), expected a "
                            f"gemmsweep-gpu-bench CSV") from None
    except OSError as error:
        raise AnalysisError(f"{path}: cannot read: {error.strerror or error}") from None


def _records(path, text):
    """(line number, fields) of each non-empty record; leading '#' lines (the bench's stderr,
    when it was captured too) are skipped."""
    reader = csv.reader(io.StringIO(text))
    out = []
    start = 1  # a quoted field may span lines: a record is named by its first
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not fields or fields == [""]:
                continue
            if not out and fields[0].lstrip().startswith("#"):
                continue
            out.append((line, fields))
    except csv.Error as error:
        raise AnalysisError(f"{path}:{reader.line_num}: cannot read as CSV: {error}") from None
    return out


def _check_header(path, header):
    if "hidden_size" in header and "tflops" in header and "task_id" not in header:
        raise AnalysisError(f"{path}: a reference table (readings against hidden_size), not "
                            f"results; overlay it on a results file with --reference {path}")
    missing = [c for c in BENCH_COLUMNS if c not in header]
    if len(missing) == len(BENCH_COLUMNS):
        raise AnalysisError(f"{path}: not a gemmsweep-gpu-bench CSV (none of the columns the "
                            f"bench writes: {', '.join(BENCH_COLUMNS)})")
    if missing:
        raise AnalysisError(f"{path}: not a gemmsweep-gpu-bench CSV (no column "
                            f"{', '.join(missing)})")
    twice = sorted({c for c in BENCH_COLUMNS if header.count(c) > 1})
    if twice:
        raise AnalysisError(f"{path}: not a gemmsweep-gpu-bench CSV (column "
                            f"{', '.join(twice)} appears twice in the header)")


def _checked(path, line, column, text):
    """The value of one field, converted; AnalysisError when the bench cannot have written it."""
    if column in CHOICES:
        value, why, allowed = text, None, ", ".join(CHOICES[column])
        if text not in CHOICES[column]:
            why = f"is not a known {column}"
    elif column in INTEGER_COLUMNS:
        (value, why), allowed = _integer(text), _INTEGERS_ALLOWED
    else:
        (value, why), allowed = _float(text), _FLOATS_ALLOWED
    if why:
        raise AnalysisError(f"{path}:{line}: {column} '{printable(text, 40)}' {why} "
                            f"(allowed: {allowed})")
    return value


def read_bench_csv(path):
    """(frame, attributes, devices) of a gemmsweep-gpu-bench CSV; AnalysisError naming the file,
    line, column and value that is wrong, and what is allowed."""
    records = _records(path, _read_text(path))
    if not records:
        raise AnalysisError(f"{path}: empty, expected a gemmsweep-gpu-bench CSV (header "
                            f"{','.join(BENCH_COLUMNS[:3])},...)")
    header = [name.strip() for name in records[0][1]]
    _check_header(path, header)
    rows = records[1:]
    for line, fields in rows:
        if len(fields) != len(header):
            raise AnalysisError(f"{path}:{line}: {len(fields)} fields, but the header has "
                                f"{len(header)} (allowed: one value per column)")
    frame = pd.DataFrame([fields for _, fields in rows], columns=header, dtype=str)
    checked = [(column, header.index(column)) for column in BENCH_COLUMNS
               if column in INTEGER_COLUMNS + FLOAT_COLUMNS or column in CHOICES]
    # Row by row, so that the error names the first bad line of the file.
    values = {column: [] for column, _ in checked}
    for line, fields in rows:
        for column, index in checked:
            values[column].append(_checked(path, line, column, fields[index]))
    for column, _ in checked:
        frame[column] = pd.Series(values[column], dtype="int64" if column in INTEGER_COLUMNS
                                  else float if column in FLOAT_COLUMNS else object)
    # A measured row has a time: an ok row without one would divide by zero in compare.
    for (line, _), status, time_s, tflops in zip(rows, frame["status"], frame["time_s"],
                                                 frame["tflops"]):
        if status == "ok" and not (time_s > 0 and tflops > 0):
            raise AnalysisError(f"{path}:{line}: status ok with time_s {time_s:g} and tflops "
                                f"{tflops:g} (allowed: an ok row has both > 0)")
    # The bench's other numbers (clocks, power, tflops_at_min) may be drawn with --y; whatever
    # is not all numbers (algo, message, throttle_after in hex) stays text.
    for column in frame.columns:
        if column not in values and (frame[column] != "").all():
            try:
                frame[column] = pd.to_numeric(frame[column])
            except (ValueError, TypeError):
                pass
    devices = sorted({d for d in frame["device"] if d})
    attributes = {"backend": "cuda", "job_name": os.path.splitext(os.path.basename(path))[0],
                  "source": "gemmsweep-gpu-bench"}
    return frame, attributes, pd.DataFrame({"name": devices})
