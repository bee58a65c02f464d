"""Convergence on the charts (hollow markers, --converged-only) and files of format_version 2."""

import contextlib
import io
import math
import os
import tempfile
import unittest

import matplotlib.pyplot as plt
import numpy as np

import make_fixture
from common import A100, RefusalAssertions
from gemmsweep_analysis import cli
from gemmsweep_analysis.load import load
from gemmsweep_analysis.render import UNCONVERGED_LABEL, render
from gemmsweep_analysis.results import open_results, select_ops
from gemmsweep_analysis.series import build_panels

V2_FILE = os.path.join(os.path.dirname(__file__), "..", "io", "data", "format_v2.h5")
UNCONVERGED_DIMS = (3, 64)  # h/a of the rows the stopping rule cut


def write_with_unconverged(path):
    rows = make_fixture.attention_rows(A100, ops=("attention_score",))
    for row in rows:
        if row["head_dim"] in UNCONVERGED_DIMS:
            row.update(converged=0, rel_ci=0.157)
    make_fixture.write_results(path, rows)
    return rows


class ChartConvergenceTest(unittest.TestCase, RefusalAssertions):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.file = os.path.join(self._tmp.name, "u.h5")
        self.rows = write_with_unconverged(self.file)

    def tearDown(self):
        self._tmp.cleanup()

    def panels(self):
        results = open_results(self.file)
        rows, ops = select_ops(results, [])
        return build_panels(rows, ops)

    def test_series_flag_the_points_of_unconverged_rows(self):
        flagged = []
        for s in self.panels()[0].series:
            flagged += [int(x) // 32 for x, u in zip(s.x, s.unconverged) if u]
        self.assertEqual(sorted(flagged), list(UNCONVERGED_DIMS))

    def test_unconverged_points_are_drawn_hollow_with_one_legend_entry(self):
        panel = self.panels()[0]
        fig = render([[panel]], os.path.join(self._tmp.name, "u.png"))
        try:
            ax = fig.axes[0]
            hollow = [line for line in ax.lines if line.get_markerfacecolor() == "white"
                      and len(line.get_xdata())]
            xs = sorted(int(x) // 32 for line in hollow for x in line.get_xdata())
            self.assertEqual(xs, list(UNCONVERGED_DIMS))
            labels = ax.get_legend_handles_labels()[1]
            self.assertEqual(labels.count(UNCONVERGED_LABEL), 1)
        finally:
            plt.close(fig)

    def test_converged_only_leaves_them_out(self):
        def points(*extra):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = cli.main(["plot", self.file, "-o",
                                   os.path.join(self._tmp.name, "c.png"), *extra])
            self.assertEqual(status, 0)
            return int(out.getvalue().split(" series, ")[1].split(" points")[0])

        self.assertEqual(points() - points("--converged-only"), len(UNCONVERGED_DIMS))

    def test_converged_only_with_nothing_converged_is_one_line(self):
        rows = make_fixture.attention_rows(A100, ops=("attention_score",))
        for row in rows:
            row.update(converged=0)
        make_fixture.write_results(self.file, rows)
        self.assert_refused(["plot", self.file, "-o", os.path.join(self._tmp.name, "n.png"),
                             "--converged-only"], "--converged-only", "none of the")


class FormatVersion2Test(unittest.TestCase):
    """tests/io/data/format_v2.h5 was written by gemmsweep at format_version 2."""

    def test_loads_with_nan_telemetry_and_a_stop_reason(self):
        frame = load(V2_FILE)
        self.assertEqual(len(frame), 10)
        self.assertTrue(frame.power_after_w.isna().all())  # stored as 0.0: not read
        self.assertTrue(frame.sm_clock_before_mhz.isna().all())
        ok = frame[frame.status == "ok"]
        self.assertEqual(len(ok), 5)
        self.assertEqual(set(ok.stop_reason), {"max_samples"})
        self.assertEqual(set(frame[frame.status == "skipped"].stop_reason), {""})
        self.assertTrue((ok.time_s > 0).all())

    def test_charts_draw_it_hollow(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = cli.main(["plot", V2_FILE, "-o", os.path.join(tmp, "v2.png")])
            self.assertEqual(status, 0)
            self.assertIn("5 points", out.getvalue())


if __name__ == "__main__":
    unittest.main()
