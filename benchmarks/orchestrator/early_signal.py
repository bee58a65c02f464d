#!/usr/bin/env python3
"""How soon after exec a SIGTERM drains a sweep instead of killing it (docs/running.md).

For each delay, starts `gemmsweep run JOB --backend model --simulate 0.3` TRIALS times, sends
SIGTERM that long after the exec returned (Popen returns once the child has exec'd), and counts
the outcomes: exit 3 (drained, the file resumable) or killed by the signal (-15).

Usage: early_signal.py GEMMSWEEP JOB [TRIALS]
"""
import collections
import signal
import subprocess
import sys
import tempfile
import time

DELAYS_MS = [0, 1, 2, 5, 10, 20, 50, 100]


def main() -> None:
    binary, job = sys.argv[1], sys.argv[2]
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    with tempfile.TemporaryDirectory() as scratch:
        print("| SIGTERM after exec | drained (exit 3) | killed |\n| ---: | ---: | ---: |")
        for delay in DELAYS_MS:
            outcomes = collections.Counter()
            for trial in range(trials):
                out = f"{scratch}/{delay}-{trial}.h5"
                sweep = subprocess.Popen(
                    [binary, "run", job, "-o", out, "--backend", "model", "--simulate", "0.3"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(delay / 1000)
                sweep.send_signal(signal.SIGTERM)
                outcomes[sweep.wait()] += 1
            print(f"| {delay} ms | {outcomes[3]} | {outcomes[-signal.SIGTERM]} |", flush=True)


if __name__ == "__main__":
    main()
