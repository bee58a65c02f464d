"""Published readings to overlay on a chart (analysis/reference/*.csv).

Format: '#' comment lines, then a header with at least hidden_size and tflops, and optionally
pow2_class (the h/a class each reading belongs to, which picks its colour).
"""

import os

import numpy as np
import pandas as pd

from .errors import AnalysisError
from .labels import printable
from .series import Series

REFERENCE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             "reference")
FIG7A = os.path.join(REFERENCE_DIR, "fig7a_attention_score_a32_a100.csv")


def read_reference(path):
    if not os.path.exists(path):
        raise AnalysisError(f"{path}: no such file (--reference)")
    try:
        table = pd.read_csv(path, comment="#", dtype=str)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise AnalysisError(f"{path}: not a reference CSV: {str(error).splitlines()[0]}") from None
    missing = [c for c in ("hidden_size", "tflops") if c not in table.columns]
    if missing:
        raise AnalysisError(f"{path}: reference CSV lacks column {', '.join(missing)} "
                            f"(needs hidden_size, tflops and optionally pow2_class)")
    for column, allowed, good in (
            ("hidden_size", "finite numbers > 0", lambda v: np.isfinite(v) & (v > 0)),
            ("tflops", "finite numbers > 0", lambda v: np.isfinite(v) & (v > 0)),
            ("pow2_class", "whole numbers >= 0",
             lambda v: np.isfinite(v) & (v >= 0) & (v == np.floor(v)))):
        if column not in table.columns:
            continue
        values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
        bad = ~good(values)
        if bad.any():
            row = int(np.argmax(bad))
            raise AnalysisError(f"{path}:{_data_lines(path)[row]}: {column} "
                                f"'{printable(table[column].iloc[row], 40)}' is not allowed "
                                f"(allowed: {allowed})")
        table[column] = values
    return table


def _data_lines(path):
    """Line numbers of the data rows (after the header; '#' and blank lines are not rows)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        numbers = [i for i, line in enumerate(f, start=1)
                   if line.strip() and not line.lstrip().startswith("#")]
    return numbers[1:]


def reference_series(table, source_label):
    """One dashed series per pow2 class (or a single one when the CSV has no classes)."""
    if "pow2_class" not in table.columns:
        t = table.sort_values("hidden_size")
        return [Series(label=source_label, x=t["hidden_size"].to_numpy(dtype=float),
                       y=t["tflops"].to_numpy(dtype=float), group=None)]
    out = []
    for cls, part in table.groupby("pow2_class", sort=True):
        part = part.sort_values("hidden_size")
        out.append(Series(label=f"{source_label}, h/a divisible by {int(cls)}",
                          x=part["hidden_size"].to_numpy(dtype=float),
                          y=part["tflops"].to_numpy(dtype=float), group=int(cls)))
    return out


def source_label(path):
    """'paper (read by eye)' for the shipped Fig. 7a CSV, else the file's base name."""
    name = os.path.basename(path)
    if name.startswith("fig7a"):
        return "paper Fig. 7a (read by eye)"
    return os.path.splitext(name)[0]


def agreement(panel):
    """Each reading against the panel's line of the same group, interpolated at its hidden size.

    Returns a DataFrame (group, hidden_size, reading, value, ratio = value / reading); readings
    outside the x range of their line, or with no line of their group, are left out.
    """
    lines = {s.group: s for s in panel.series}
    out = []
    for ref in panel.reference:
        line = lines.get(ref.group) if ref.group is not None else (
            panel.series[0] if len(panel.series) == 1 else None)
        if line is None or len(line.x) == 0:
            continue
        for x, y in zip(ref.x, ref.y):
            if line.x[0] <= x <= line.x[-1]:
                value = float(np.interp(x, line.x, line.y))
                out.append((ref.group, x, y, value, value / y))
    return pd.DataFrame(out, columns=["group", "hidden_size", "reading", "value", "ratio"])


def agreement_lines(table, label):
    if table.empty:
        return [f"{label}: no reading falls on a drawn line"]
    geomean = float(np.exp(np.log(table["ratio"]).mean()))
    close = int((abs(table["value"] - table["reading"]) <= 10.0).sum())
    worst = table.loc[(table["value"] - table["reading"]).abs().idxmax()]
    where = "the line" if pd.isna(worst["group"]) else f"h/a divisible by {worst['group']:g}"
    return [f"{label}: {len(table)} readings on drawn lines, geomean chart/reading "
            f"{geomean:.3g}, {close} within +-10 TFLOP/s",
            f"  farthest: {where} at h={worst['hidden_size']:g}: "
            f"{worst['value']:.4g} vs reading {worst['reading']:.4g}"]
