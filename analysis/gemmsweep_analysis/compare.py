"""Two runs point by point: B / A throughput of each shape (two GPUs, libraries, cuda vs model).

Rows are joined on the shape (op, dtype and every dimension). Repeats of a shape within one file
collapse to their median first, so a merged multi-GPU file compares as one run.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AnalysisError
from .results import select_ops
from .series import GROUP_POW2, build_panels

JOIN_COLUMNS = ("op", "dtype", "hidden_size", "heads", "head_dim", "microbatch", "seq_length",
                "tensor_parallel", "batch", "m", "n", "k")


@dataclass
class Comparison:
    table: pd.DataFrame  # JOIN_COLUMNS + tflops_a, tflops_b, ratio (B / A)
    label_a: str
    label_b: str
    only_a: int  # shapes measured in A only
    only_b: int

    def geomean(self):
        return float(np.exp(np.log(self.table["ratio"]).mean()))

    def extreme(self, which):
        """The row with the lowest ('worst') or highest ('best') ratio."""
        index = self.table["ratio"].idxmin() if which == "worst" else self.table["ratio"].idxmax()
        return self.table.loc[index]

    def summary_lines(self):
        t = self.table
        lines = [f"compared {len(t)} shapes: B = {self.label_b} over A = {self.label_a}"
                 f" ({self.only_a} only in A, {self.only_b} only in B)",
                 f"geomean ratio B/A: {self.geomean():.4g}"]
        for which in ("worst", "best"):
            row = self.extreme(which)
            lines.append(f"{which}: {row['ratio']:.4g} at {shape_text(row)}"
                         f" ({row['tflops_a']:.4g} vs {row['tflops_b']:.4g} TFLOP/s)")
        return lines


def shape_text(row):
    if row["op"] in ("gemm", "bmm"):
        dims = f"batch={row['batch']} m={row['m']} n={row['n']} k={row['k']}"
    else:
        dims = (f"h={row['hidden_size']} a={row['heads']} s={row['seq_length']}"
                f" b={row['microbatch']} t={row['tensor_parallel']}")
    return f"{row['op']} {row['dtype']} {dims}"


def _medians(rows):
    return rows.groupby(list(JOIN_COLUMNS), sort=False)["tflops"].median()


def compare(results_a, results_b):
    a, b = results_a.ok, results_b.ok
    for results, rows in ((results_a, a), (results_b, b)):
        if rows.empty:
            raise AnalysisError(f"{results.path}: no measured (status ok) rows to compare")
    med_a, med_b = _medians(a), _medians(b)
    joined = pd.concat([med_a.rename("tflops_a"), med_b.rename("tflops_b")], axis=1,
                       join="inner").reset_index()
    if joined.empty:
        raise AnalysisError(f"{results_a.path} and {results_b.path} share no shape "
                            f"(joined on {', '.join(JOIN_COLUMNS)})")
    joined["ratio"] = joined["tflops_b"] / joined["tflops_a"]
    # Ops in A's job-file order, shapes ascending within each op.
    op_rank = {op: i for i, op in enumerate(select_ops(results_a, [])[1])}
    joined = (joined.assign(_op_rank=joined["op"].map(op_rank))
              .sort_values(["_op_rank"] + list(JOIN_COLUMNS[1:]))
              .drop(columns="_op_rank").reset_index(drop=True))
    return Comparison(table=joined, label_a=results_a.label(), label_b=results_b.label(),
                      only_a=len(med_a) - len(joined), only_b=len(med_b) - len(joined))


def build_compare_panels(comparison, x=None, group_by=GROUP_POW2):
    """Ratio B/A against x, one panel per op, lines by group, with 1.0 and the geomean marked."""
    table = comparison.table.assign(device="", tflops=comparison.table["ratio"])
    ops = list(dict.fromkeys(table["op"]))
    panels = build_panels(table, ops, x=x, y="ratio", group_by=group_by)
    for panel in panels:
        ratios = table.loc[table["op"] == panel.op, "ratio"]
        geomean = float(np.exp(np.log(ratios).mean()))
        panel.title = f"{panel.title}\nB = {comparison.label_b} / A = {comparison.label_a}"
        panel.ylabel = "Throughput ratio B / A"
        panel.hlines = [(1.0, "equal"), (geomean, f"geomean {geomean:.3g}")]
    return panels
