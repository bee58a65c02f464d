"""Opens a results file for the charts: checks that it is one, then reads rows, attributes, devices.

The reading itself is the io loader's (gemmsweep_analysis.load, which also opens a file whose writer
died); this module adds the checks that turn a missing or foreign file into one clear AnalysisError
instead of an h5py traceback.
"""

import os
from dataclasses import dataclass, field

import h5py
import pandas as pd

from . import bench_csv
from . import load as loader
from .errors import AnalysisError

# Columns the charts read; a file without them was not written by gemmsweep (or is too old).
REQUIRED_COLUMNS = (
    "op", "dtype", "hidden_size", "heads", "head_dim", "microbatch", "seq_length",
    "tensor_parallel", "batch", "m", "n", "k", "flops", "time_s", "tflops", "status", "device",
)


@dataclass
class Results:
    path: str
    frame: pd.DataFrame  # every row of /results, strings decoded
    attributes: dict = field(default_factory=dict)  # root attributes
    devices: pd.DataFrame = field(default_factory=pd.DataFrame)  # /devices

    @property
    def ok(self):
        """Rows that were measured (status ok): the only ones the charts show."""
        return self.frame[self.frame["status"] == "ok"]

    @property
    def backend(self):
        return str(self.attributes.get("backend", ""))

    def label(self):
        """Short name of the run for legends: its device(s) and backend, else the file name."""
        names = sorted({d for d in self.ok["device"] if d}) if len(self.frame) else []
        device = names[0] if len(names) == 1 else (f"{len(names)} devices" if names else "")
        backend = self.backend
        if device and backend and not device.startswith(backend + ":"):
            return f"{device} ({backend})"
        return device or os.path.basename(self.path)


def check_results_file(path):
    """Raises AnalysisError unless path is an HDF5 file with a /results compound dataset."""
    if not os.path.exists(path):
        raise AnalysisError(f"{path}: no such file")
    if os.path.isdir(path):
        raise AnalysisError(f"{path}: is a directory, expected a gemmsweep results file (.h5)")
    if not os.path.isfile(path):
        raise AnalysisError(f"{path}: is not a regular file (a FIFO, socket or device); a "
                            "gemmsweep results file is a regular file")
    try:
        is_hdf5 = h5py.is_hdf5(path)
    except (OSError, RuntimeError, ValueError) as error:
        raise AnalysisError(f"{path}: cannot read: {error}") from None
    if not is_hdf5:
        raise AnalysisError(f"{path}: not an HDF5 file, expected a gemmsweep results file (.h5)")
    try:
        with loader.open_file(path) as f:
            results = f.get("results")
            if not isinstance(results, h5py.Dataset) or results.dtype.names is None:
                raise AnalysisError(
                    f"{path}: not a gemmsweep results file (no /results compound dataset)")
            missing = [c for c in REQUIRED_COLUMNS if c not in results.dtype.names]
            if missing:
                raise AnalysisError(
                    f"{path}: not a gemmsweep results file (/results lacks column "
                    f"{', '.join(missing)})")
    except OSError as error:
        # A writer killed mid-run leaves HDF5's open-for-writing mark, which the loader's SWMR
        # fallback opens; should that fail too, HDF5's hint (h5clear) is wrong on a live file.
        raise AnalysisError(f"{path}: cannot open as HDF5: {error} (a file whose writer was "
                            f"killed opens after `gemmsweep recover {path}`)") from None


def open_results(path):
    if bench_csv.is_bench_csv(path):
        frame, attributes, devices = bench_csv.read_bench_csv(path)
        return Results(path=path, frame=frame, attributes=attributes, devices=devices)
    check_results_file(path)
    try:
        frame = loader.load(path)
        attributes = loader.attributes(path)
        devices = loader.devices(path)
    except (OSError, KeyError, ValueError, RuntimeError) as error:
        raise AnalysisError(f"{path}: cannot read results: {error}") from None
    if devices is None:
        devices = pd.DataFrame()
    return Results(path=path, frame=frame, attributes=attributes, devices=devices)


def spec_ops(attributes):
    """The ops list of the job file stored in the root attribute spec ([] when unreadable)."""
    try:
        import tomllib
        ops = tomllib.loads(str(attributes.get("spec", ""))).get("ops", [])
    except (ImportError, ValueError):
        return []
    return [str(op) for op in ops] if isinstance(ops, list) else []


def select_ops(results, ops):
    """The ok rows of the requested ops (all ops with ok rows when ops is empty), in the order the
    user gave them, else the job file's order (rows are stored in completion order)."""
    ok = results.ok
    present = list(dict.fromkeys(ok["op"]))
    order = {op: i for i, op in enumerate(spec_ops(results.attributes))}
    present.sort(key=lambda op: order.get(op, len(order)))
    if not ops:
        if not present:
            statuses = dict(results.frame["status"].value_counts()) if len(results.frame) else {}
            detail = ", ".join(f"{n} {s}" for s, n in statuses.items()) or "no rows"
            raise AnalysisError(f"{results.path}: no measured (status ok) rows to plot ({detail})")
        return ok, present
    for op in ops:
        if op not in present:
            in_file = sorted(set(results.frame["op"]))
            if op in in_file:
                raise AnalysisError(
                    f"{results.path}: op '{op}' has no measured (status ok) rows")
            raise AnalysisError(
                f"{results.path}: op '{op}' is not in the file (ops in the file: "
                f"{', '.join(in_file) or 'none'})")
    return ok[ok["op"].isin(ops)], list(ops)
