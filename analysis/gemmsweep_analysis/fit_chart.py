"""Measured against fitted: the table `gemmsweep fit --table ROWS.csv` writes, drawn as the seed
chart (TFLOP/s against hidden size, one colour per power-of-two class of h/a) with the fitted
model as lines and the measurements (or readings) as dashed crosses.
"""

import os

import numpy as np
import pandas as pd

from .errors import AnalysisError
from .labels import op_title
from .series import POW2_CAP, Panel, Series

COLUMNS = ("op", "dtype", "hidden_size", "chart_class", "n", "measured_tflops", "fitted_tflops",
           "kfold_tflops", "base_tflops")


def read_fit_table(path):
    if not os.path.exists(path):
        raise AnalysisError(f"{path}: no such file (a table of gemmsweep fit --table)")
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise AnalysisError(f"{path}: not a fit table: {str(error).splitlines()[0]}") from None
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise AnalysisError(f"{path}: not a table of gemmsweep fit --table: no column "
                            f"{', '.join(missing)}")
    for column in COLUMNS[2:]:
        values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
        rate = column.endswith("_tflops")  # divided by: above 0
        bad = ~np.isfinite(values) | ((values <= 0) if rate else (values < 0))
        if bad.any():
            row = int(np.argmax(bad))
            raise AnalysisError(f"{path}: row {row + 1}: {column} '{table[column].iloc[row]}' "
                                f"is not allowed (allowed: a finite number "
                                f"{'> 0' if rate else '>= 0'})")
        table[column] = values
    if table.empty:
        raise AnalysisError(f"{path}: the fit table has no rows")
    return table


def pow2_class(head_dim):
    c = 1
    while c < POW2_CAP and head_dim % (2 * c) == 0:
        c *= 2
    return c


def _median_error(part, column):
    return float(np.median(np.abs(part[column] / part["measured_tflops"] - 1)))


def build_fit_panels(table):
    """One panel per op and dtype: fitted lines and measured crosses per class of h/a."""
    classes = [int(c) if c > 0 else pow2_class(int(n))
               for c, n in zip(table["chart_class"], table["n"])]
    table = table.assign(pow2=classes)
    panels = []
    for (op, dtype), part in table.groupby(["op", "dtype"], sort=True):
        panel = Panel(op=op, title=f"{op_title(op)} ({dtype}): measured and fitted",
                      xlabel="hidden size h", ylabel="TFLOP/s", x_column="hidden_size",
                      y_column="tflops", group_by="pow2")
        for cls, rows in part.groupby("pow2", sort=True):
            rows = rows.groupby("hidden_size", as_index=False).median(numeric_only=True)
            x = rows["hidden_size"].to_numpy(dtype=float)
            panel.series.append(Series(label=f"fitted, h/a divisible by {cls}", x=x,
                                       y=rows["fitted_tflops"].to_numpy(dtype=float),
                                       group=int(cls)))
            panel.reference.append(Series(label=f"measured, h/a divisible by {cls}", x=x,
                                          y=rows["measured_tflops"].to_numpy(dtype=float),
                                          group=int(cls)))
        panel.note = (f"median |fitted/measured - 1| {100 * _median_error(part, 'fitted_tflops'):.1f}%"
                      f", held out (K-fold) {100 * _median_error(part, 'kfold_tflops'):.1f}%, "
                      f"unfitted --base {100 * _median_error(part, 'base_tflops'):.1f}%")
        panels.append(panel)
    return panels
