"""Charts of a collective sweep: a file that `gemmsweep run --backend cpu` writes under mpiexec
with 2 ranks (MPI collectives), drawn as bus bandwidth against message size.

GEMMSWEEP_BINARY and GEMMSWEEP_MPIEXEC come from the environment (set by ctest).
"""

import contextlib
import io
import os
import subprocess

import numpy as np

from common import FixtureCase
from gemmsweep_analysis import cli
from gemmsweep_analysis.errors import AnalysisError
from gemmsweep_analysis.results import open_results, select_ops
from gemmsweep_analysis.series import build_panels

JOB = """\
name = "analysis-comm"
ops = ["all_reduce", "all_gather"]
dtype = ["fp32", "bf16"]

[comm]
bytes = { start = 1024, stop = 262144, factor = 4 }
group_size = 2

[timing]
warmup = 1
min_samples = 3
max_samples = 5
max_seconds_per_point = 0.5
"""


class CommFileTest(FixtureCase):
    def setUp(self):
        super().setUp()
        binary = os.environ.get("GEMMSWEEP_BINARY", "")
        mpiexec = os.environ.get("GEMMSWEEP_MPIEXEC", "mpiexec")
        self.assertTrue(os.path.isfile(binary), f"GEMMSWEEP_BINARY={binary!r} is not a file")
        job = self.path("comm.toml")
        with open(job, "w") as f:
            f.write(JOB)
        self.h5 = self.path("comm.h5")
        done = subprocess.run([mpiexec, "-n", "2", "--oversubscribe", "--allow-run-as-root",
                               binary, "run", job, "-o", self.h5, "--backend", "cpu"],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

    def test_busbw_against_message_size_on_a_log_axis(self):
        results = open_results(self.h5)
        rows, ops = select_ops(results, [])
        self.assertEqual(ops, ["all_reduce", "all_gather"])
        panels = build_panels(rows, ops, y="busbw")
        for panel in panels:
            self.assertEqual(panel.x_column, "message_bytes")
            self.assertEqual(panel.y_column, "busbw_gbs")
            self.assertEqual(panel.xscale, "log")
            self.assertEqual(len(panel.series), 2)  # one line per dtype
            op_rows = rows[rows.op == panel.op]
            points = sorted((x, y) for s in panel.series for x, y in zip(s.x, s.y))
            np.testing.assert_allclose(points,
                                       sorted(zip(op_rows.message_bytes, op_rows.busbw_gbs)))
        # busbw = algbw * nccl-tests' factor: 2(n-1)/n = 1 for all_reduce on 2 ranks, 1/2 for
        # all_gather.
        for op, factor in (("all_reduce", 1.0), ("all_gather", 0.5)):
            op_rows = rows[rows.op == op]
            np.testing.assert_allclose(op_rows.busbw_gbs, op_rows.algbw_gbs * factor)
            np.testing.assert_allclose(op_rows.algbw_gbs,
                                       op_rows.message_bytes / op_rows.time_s / 1e9)

    def test_plot_command_draws_bandwidth(self):
        out = self.path("bw.png")
        with contextlib.redirect_stdout(io.StringIO()):
            self.assertEqual(cli.main(["plot", self.h5, "-o", out, "--y", "busbw"]), 0)
        self.assert_png(out)

    def test_unknown_y_column_is_one_clear_error(self):
        results = open_results(self.h5)
        rows, ops = select_ops(results, [])
        with self.assertRaisesRegex(AnalysisError, "--y 'bogus' is not a column of /results"):
            build_panels(rows, ops, y="bogus")
