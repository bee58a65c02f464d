"""Reads a gemmsweep results file (docs/results-format.md) into pandas.

    from gemmsweep_analysis.load import load, attributes, devices, provenance
    frame = load("OUT.h5")           # one row per (point, op), strings as str
    attributes("OUT.h5")["backend"]  # root attributes, strings as str, numbers as int/float
    devices("OUT.h5")                # /devices as a DataFrame
    provenance("OUT.h5")             # list of dicts: create / resume / merge history

Strings are stored as fixed-length, NUL-padded ASCII (fast to write, a plain numpy 'S' column for
h5py); they are decoded here so that ``frame.op == "attention_score"`` works. A file whose writer
was killed still carries HDF5's "open for write" flag until gemmsweep (report, --resume, recover)
clears it; open_file() then falls back to a SWMR read, which HDF5 allows on such a file, so loading
a crashed or still-running file works too.

Files of format_version 2 read the same: their float telemetry stored as 0.0 (not read) becomes
NaN, as format 3 stores it, and their missing stop_reason column is filled from converged and the
sampler's note in message.
"""

import json
import os
import stat

import h5py
import numpy as np
import pandas as pd

__all__ = ["open_file", "load", "attributes", "devices", "provenance", "decode_text",
           "TELEMETRY_COLUMNS"]

# Float columns a backend may not read (NaN then; 0.0 in format_version 2).
TELEMETRY_COLUMNS = ("sm_clock_before_mhz", "sm_clock_after_mhz", "temperature_before_c",
                     "temperature_after_c", "power_before_w", "power_after_w")
STOP_REASONS = ("max_seconds_per_point", "max_samples")


# HDF5's message when a writer left its "open for write" flag set (killed, or still writing).
_OPEN_FOR_WRITE = "already open for write"


def open_file(path):
    """h5py.File for reading; SWMR read when the file is being written or its writer died.

    The SWMR fallback is tried only for a file that HDF5 says is open for write: on a damaged
    file (cut short, bad checksums) a SWMR open retries its metadata reads for minutes. Whatever
    h5py raises on a damaged file comes out as OSError, with one line naming the file."""
    if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
        # A FIFO or device would block the first read until someone writes to it.
        raise OSError(f"{path}: is not a regular file (a FIFO, socket or device)")
    try:
        return h5py.File(path, "r")
    except OSError as first:
        if _OPEN_FOR_WRITE not in str(first):
            raise
        try:
            return h5py.File(path, "r", swmr=True)
        except (OSError, RuntimeError, ValueError):
            raise first from None
    except (RuntimeError, ValueError) as error:  # e.g. "Can't decode file superblock prefix"
        raise OSError(f"{path}: cannot open as HDF5: {error}") from None


def decode_text(value):
    """bytes / numpy.bytes_ -> str (NUL padding removed); anything else unchanged."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).rstrip(b"\0").decode("utf-8", errors="replace")
    return value


def _decode_column(column):
    if column.dtype.kind == "S":
        # numpy drops the NUL padding of 'S' items; decode the whole column at once.
        return np.char.decode(column, "utf-8", "replace").astype(object)
    if column.dtype.kind == "O":
        return np.array([decode_text(v) for v in column], dtype=object)
    return column


def frame_from_dataset(dataset):
    """A compound dataset as a DataFrame, one column per field, strings decoded."""
    array = dataset[()]
    if array.dtype.names is None:
        raise ValueError(f"{dataset.name} is not a compound dataset")
    return pd.DataFrame({name: _decode_column(array[name]) for name in array.dtype.names})


def load(path):
    """Every written row of /results as a DataFrame (columns named as the C++ ResultRow fields).

    A row with an empty status was never written (a write failed after the dataset grew); it is
    dropped, as every C++ reader drops it, and frame.attrs["unwritten_rows"] says how many."""
    with open_file(path) as f:
        if "results" not in f:
            raise KeyError(f"{path}: no /results dataset (not a gemmsweep results file)")
        frame = frame_from_dataset(f["results"])
        version = int(f.attrs.get("format_version", 0))
    if version < 3:
        frame = _upgrade(frame)
    unwritten = 0
    if "status" in frame.columns:
        written = frame["status"] != ""
        unwritten = int((~written).sum())
        if unwritten:
            frame = frame[written].reset_index(drop=True)
    frame.attrs["unwritten_rows"] = unwritten
    return frame


def _implied_stop_reason(row):
    if row.get("status") not in ("ok", "calib"):
        return ""
    if row.get("converged"):
        return "converged"
    message = str(row.get("message", ""))
    for reason in STOP_REASONS:
        if f"not converged: {reason} reached" in message:
            return reason
    return ""


def _upgrade(frame):
    """A frame of a format_version 2 (or older) file, as format 3 would hold it."""
    for column in TELEMETRY_COLUMNS:
        if column in frame.columns:
            values = frame[column].astype(float)
            frame[column] = values.where(values != 0.0, np.nan)
    if "stop_reason" not in frame.columns and len(frame.columns):
        frame["stop_reason"] = [_implied_stop_reason(row) for row in frame.to_dict("records")] \
            if len(frame) else pd.Series(dtype=object)
    return frame


def _plain(value):
    value = decode_text(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    return value


def attributes(path):
    """Root attributes as a dict of str / int / float (complete is 0 or 1)."""
    with open_file(path) as f:
        return {key: _plain(value) for key, value in f.attrs.items()}


def devices(path):
    """/devices as a DataFrame (empty when the file has none)."""
    with open_file(path) as f:
        if "devices" not in f:
            return pd.DataFrame()
        return frame_from_dataset(f["devices"])


def provenance(path):
    """The file's history: one dict per create, resume and merge (with each merged input's)."""
    with open_file(path) as f:
        if "provenance" not in f:
            return []
        return [json.loads(decode_text(entry)) for entry in f["provenance"][()] if len(entry)]
