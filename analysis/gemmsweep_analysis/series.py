"""Turns result rows into panels of series: the exact data a chart hands to matplotlib.

A panel is one op; a series is one line of it (one power-of-two class of h/a, or one value of the
column the user groups by). Columns that also vary within the panel but are neither on the x axis
nor the grouping (several sequence lengths, dtypes, devices in one file) split series further, so
that a line never zig-zags between unrelated shapes. Repeated measurements of the same shape (a
merged file, several GPUs) collapse to their median, and the series records how many there were.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import AnalysisError
from .labels import axis_name, device_name, op_title, value_label

POW2_CAP = 64
GROUP_POW2 = "pow2"

# Columns that may split a model-op panel into further series, and those for raw gemm / bmm.
MODEL_SPLIT_COLUMNS = ("dtype", "device", "heads", "seq_length", "microbatch", "tensor_parallel",
                       "vocab_size")
RAW_SPLIT_COLUMNS = ("dtype", "device", "batch", "m", "n", "k")
RAW_OPS = ("gemm", "bmm")
COMM_OPS = ("all_reduce", "all_gather", "reduce_scatter", "broadcast", "all_to_all")
COMM_SPLIT_COLUMNS = ("dtype", "device", "group_size")
# Short names for the bandwidth columns (--y busbw).
Y_ALIASES = {"busbw": "busbw_gbs", "algbw": "algbw_gbs"}


@dataclass
class Series:
    label: str
    x: np.ndarray
    y: np.ndarray
    group: object = None  # value of the grouping column (pow2 class, heads, ...): picks the colour
    counts: np.ndarray = None  # rows behind each point (more than 1: median of repeats)
    variant: int = 0  # which combination of the split columns: picks the line style
    # Per point: some row behind it did not meet the stopping rule (converged false); drawn hollow.
    unconverged: np.ndarray = None


@dataclass
class Panel:
    op: str
    title: str
    xlabel: str
    ylabel: str
    x_column: str
    y_column: str
    group_by: str
    series: list = field(default_factory=list)
    reference: list = field(default_factory=list)  # overlaid readings (Series), drawn dashed
    hlines: list = field(default_factory=list)  # (y, label)
    roofs: list = field(default_factory=list)  # (label, x, y) roofline curves
    style: str = "line"  # line | points
    xscale: str = "linear"
    yscale: str = "linear"
    note: str = ""  # small text under the title: peaks used, geomean, ...


def pow2_class(values, cap=POW2_CAP):
    """Largest power of two dividing each value, capped (the paper's Fig. 7 split); 0 stays 0."""
    v = np.asarray(values, dtype=np.int64)
    lowest_bit = v & -v
    return np.where(v > 0, np.minimum(lowest_bit, cap), 0)


def group_values(frame, group_by):
    if group_by == GROUP_POW2:
        return pow2_class(frame["head_dim"].to_numpy())
    return frame[group_by].to_numpy()


def check_column(frame, column, option, path=""):
    if column == GROUP_POW2 and option == "--group-by":
        return
    if column not in frame.columns:
        where = f"{path}: " if path else ""
        allowed = ", ".join(c for c in frame.columns if c not in ("message",))
        raise AnalysisError(f"{where}{option} '{column}' is not a column of /results "
                            f"(columns: {allowed})")


def check_numeric(frame, column, option, path="", hint=""):
    """An axis needs numbers: a text column (op, host, status) has no position on it."""
    if not pd.api.types.is_numeric_dtype(frame[column]):
        where = f"{path}: " if path else ""
        numeric = ", ".join(c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                            and not str(c).startswith("_"))
        raise AnalysisError(f"{where}{option} '{column}' is not numeric{hint} (numeric columns: "
                            f"{numeric})")


def default_x(rows, requested):
    """hidden_size unless the rows are raw GEMMs (no model dimensions), then m."""
    if requested:
        return requested
    if "message_bytes" in rows.columns and rows["op"].isin(COMM_OPS).all():
        return "message_bytes"
    if (rows["hidden_size"] == 0).all():
        return "m"
    return "hidden_size"


def split_columns(rows, x_column, group_by):
    raw = rows["op"].isin(RAW_OPS).all()
    comm = rows["op"].isin(COMM_OPS).all()
    candidates = COMM_SPLIT_COLUMNS if comm else RAW_SPLIT_COLUMNS if raw else MODEL_SPLIT_COLUMNS
    return [c for c in candidates
            if c in rows.columns and c not in (x_column, group_by) and rows[c].nunique() > 1]


def panel_title(rows, op):
    parts = [op_title(op)]
    if op not in RAW_OPS and rows["heads"].nunique() == 1 and rows["heads"].iloc[0] > 0:
        parts[0] += f", a={int(rows['heads'].iloc[0])}"
    context = []
    if rows["device"].nunique() == 1 and rows["device"].iloc[0]:
        context.append(device_name(rows["device"].iloc[0]))
    if rows["dtype"].nunique() == 1:
        context.append(str(rows["dtype"].iloc[0]))
    return parts[0] + (" \u2014 " + ", ".join(context) if context else "")


def _sort_key(value):
    try:
        return (0, float(value), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(value))


def build_series(rows, x_column, y_column, group_by):
    """Series of one panel's rows: one per (group value, split values), x ascending."""
    rows = rows.assign(_group=group_values(rows, group_by),
                       _unconverged=~rows["converged"].astype(bool) if "converged" in rows.columns
                       else False)
    splits = split_columns(rows, x_column, group_by)
    keys = ["_group"] + splits
    variants = {}
    if splits:
        combos = rows[splits].drop_duplicates().itertuples(index=False, name=None)
        variants = {c: i for i, c in enumerate(sorted(combos, key=lambda c: [_sort_key(v)
                                                                          for v in c]))}
    out = []
    for key, part in rows.groupby(keys if splits else "_group", sort=False):
        key = key if isinstance(key, tuple) else (key,)
        by_x = part.groupby(x_column)[y_column].agg(["median", "size"]).sort_index()
        unconverged = part.groupby(x_column)["_unconverged"].any().reindex(by_x.index)
        label = ", ".join([value_label(group_by, key[0])] +
                          [value_label(c, v) for c, v in zip(splits, key[1:])])
        out.append(Series(label=label, x=by_x.index.to_numpy(dtype=float),
                          y=by_x["median"].to_numpy(dtype=float), group=key[0],
                          counts=by_x["size"].to_numpy(), variant=variants.get(key[1:], 0),
                          unconverged=unconverged.to_numpy(dtype=bool)))
    out.sort(key=lambda s: (_sort_key(s.group), s.variant))
    return out


def converged_only(rows, path=""):
    """The rows that met the stopping rule (all rows of a file without a converged column)."""
    if "converged" not in rows.columns:
        return rows
    kept = rows[rows["converged"].astype(bool)]
    if not len(kept):
        where = f"{path}: " if path else ""
        raise AnalysisError(f"{where}--converged-only: none of the {len(rows)} measured row(s) "
                            f"converged (see gemmsweep report for their stop_reason)")
    return kept


def build_panels(rows, ops, x=None, y="tflops", group_by=GROUP_POW2, path=""):
    """One panel per op from ok rows. x None: hidden_size (m for raw GEMMs, message_bytes on a
    log axis for collectives)."""
    y = Y_ALIASES.get(y, y)
    check_column(rows, group_by, "--group-by", path)
    check_column(rows, y, "--y", path)
    check_numeric(rows, y, "--y", path)
    if x:
        check_column(rows, x, "--x", path)
        check_numeric(rows, x, "--x", path, hint="; use it with --group-by instead")
    panels = []
    for op in ops:
        op_rows = rows[rows["op"] == op]
        x_column = default_x(op_rows, x)
        if (op_rows[x_column] == 0).all():
            raise AnalysisError(f"{path + ': ' if path else ''}--x '{x_column}' is 0 in every "
                                f"'{op}' row; choose another column (e.g. m, n, k, batch)")
        panels.append(Panel(op=op, title=panel_title(op_rows, op), xlabel=axis_name(x_column),
                            ylabel=axis_name(y), x_column=x_column, y_column=y,
                            group_by=group_by,
                            series=build_series(op_rows, x_column, y, group_by),
                            xscale="log" if x_column == "message_bytes" else "linear"))
    return panels
