#!/usr/bin/env python3
"""Prints gemmsweep's and torch.bmm's timings of the same shapes side by side.

usage: python3 scripts/compare_gpu_check.py BENCH.csv TORCH.csv
BENCH.csv comes from gemmsweep-gpu-bench, TORCH.csv from scripts/torch_bmm_bench.py. Columns:
gemmsweep's median and min TFLOP/s (L2 flushed before every sample), torch's min and median
(cookbook style, warm L2), and min/min and median/median ratios. Standard library only.
"""
import csv
import statistics
import sys


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def ratio(a, b):
    return a / b if a and b else None


def fmt(value, spec):
    return format(value, spec) if value is not None else "-"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], newline="") as f:
        bench = list(csv.DictReader(f))
    with open(argv[2], newline="") as f:
        torch_rows = {row["task_id"]: row for row in csv.DictReader(f)}
    header = ("head_dim", "hidden", "dtype", "status", "gs_med", "gs_min", "torch_min",
              "torch_med", "min/min", "med/med", "launches")
    print("{:>8} {:>7} {:>5} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8} {:>8} {:>8}".format(*header))
    min_ratios, median_ratios = [], []
    for row in bench:
        t = torch_rows.get(row["task_id"], {})
        gs_med, gs_min = number(row["tflops"]), number(row["tflops_at_min"])
        th_min, th_med = number(t.get("torch_tflops")), number(t.get("torch_tflops_median"))
        r_min, r_med = ratio(gs_min, th_min), ratio(gs_med, th_med)
        if r_min:
            min_ratios.append(r_min)
        if r_med:
            median_ratios.append(r_med)
        print("{:>8} {:>7} {:>5} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8} {:>8} {:>8}".format(
            row["head_dim"], row["hidden_size"], row["dtype"], row["status"],
            fmt(gs_med, ".1f"), fmt(gs_min, ".1f"), fmt(th_min, ".1f"), fmt(th_med, ".1f"),
            fmt(r_min, ".3f"), fmt(r_med, ".3f"), row["launches_per_sample"]))
    if min_ratios:
        print("gemmsweep/torch TFLOP/s over {} shapes: min/min median ratio {:.3f} (range {:.3f} "
              "to {:.3f}); med/med median ratio {:.3f}".format(
                  len(min_ratios), statistics.median(min_ratios), min(min_ratios),
                  max(min_ratios), statistics.median(median_ratios) if median_ratios else 0))
    failed = [row for row in bench if row["status"] == "failed"]
    for row in failed:
        print("FAILED task {} (head_dim {}): {}".format(row["task_id"], row["head_dim"],
                                                        row["message"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
