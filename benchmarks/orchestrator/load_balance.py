"""Load balance of gemmsweep's dynamic dispatch on the seed grid (jobs/attention_score_a32.toml).

The model backend with --simulate sleeps each task's predicted time x FACTOR, so that the sweep has
the seed grid's real, skewed cost profile (h/a = 1..1024: the largest task costs ~1000x the
smallest) without a GPU. FACTOR is chosen so that the total work is about TOTAL seconds.

    /usr/bin/python3 load_balance.py GEMMSWEEP [RANKS] [TOTAL_SECONDS]

Prints, for each --order, makespan / (total work / RANKS) measured from the rows' start times,
beside the same ratio for the grid split into RANKS static contiguous blocks (computed from the
same per-task costs: what "partition the grid" does naively).
"""
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
JOB = os.path.join(HERE, "..", "..", "jobs", "attention_score_a32.toml")
MPIEXEC = ["mpiexec", "--oversubscribe", "--bind-to", "none"]
if os.geteuid() == 0:
    MPIEXEC.append("--allow-run-as-root")


def run(gemmsweep, ranks, out, *extra):
    cmd = MPIEXEC + ["-n", str(ranks), gemmsweep, "run", JOB, "-o", out, "--backend", "model"]
    cmd += list(extra)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def rows(path):
    with h5py.File(path, "r") as f:
        r = f["results"][:]
    return r[r["status"] == b"ok"]


def main():
    gemmsweep = sys.argv[1]
    ranks = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    total_target = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.h5")
        run(gemmsweep, 1, probe)
        predicted = rows(probe)
        factor = total_target / predicted["time_s"].sum()
        # Static contiguous blocks over the grid order (point id), from the same costs.
        cost = np.sort(predicted, order="point_id")["time_s"] * factor
        blocks = np.array_split(cost, ranks)
        ideal = cost.sum() / ranks
        static = max(b.sum() for b in blocks) / ideal
        print(f"seed grid: {len(cost)} tasks, simulate factor {factor:.4g}, total work "
              f"{cost.sum():.2f} s, ideal makespan on {ranks} ranks {ideal:.2f} s")
        print(f"static contiguous blocks: makespan / ideal = {static:.3f} "
              f"(block work {', '.join(f'{b.sum():.2f}' for b in blocks)} s)")
        for order in ("cost", "shuffle", "grid"):
            out = os.path.join(tmp, f"{order}.h5")
            wall = run(gemmsweep, ranks, out, "--simulate", f"{factor:.6g}", "--order", order)
            r = rows(out)
            work = r["time_s"] * factor
            start = r["started_unix"].min()
            makespan = (r["started_unix"] + work).max() - start
            busy = [work[r["rank"] == k].sum() for k in range(ranks)]
            print(f"dynamic --order {order:7s}: makespan / ideal = {makespan / ideal:.3f} "
                  f"(makespan {makespan:.2f} s, wall with MPI start-up {wall:.2f} s; "
                  f"work per rank {', '.join(f'{b:.2f}' for b in busy)} s)")


if __name__ == "__main__":
    main()
