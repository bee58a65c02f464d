"""Shared helpers of the analysis tests: temporary fixture files and image checks."""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import make_fixture  # noqa: E402

ANALYSIS_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "analysis"))
if ANALYSIS_DIR not in sys.path:
    sys.path.insert(0, ANALYSIS_DIR)

A100 = "NVIDIA A100-SXM4-80GB"
FIG7A_CSV = os.path.join(ANALYSIS_DIR, "reference", "fig7a_attention_score_a32_a100.csv")


def run_cli(*args):
    """The real command (python3 -m gemmsweep_analysis) in a separate process."""
    env = dict(os.environ, PYTHONPATH=ANALYSIS_DIR, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "gemmsweep_analysis", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def run_in_process(args):
    """(status, stderr) of the command line run here: an uncaught exception fails the test."""
    from gemmsweep_analysis import cli
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            status = cli.main(args)
        except SystemExit as exit_:  # argparse's usage errors
            status = exit_.code
    return status, err.getvalue()


class RefusalAssertions:
    """assert_refused for a unittest.TestCase that runs the command line on bad input."""

    def assert_refused(self, args, *fragments, separate_process=False):
        """Status 2 and one line naming the fragments; separate_process runs the real command
        (python3 -m gemmsweep_analysis) to see that no traceback reaches the user."""
        if separate_process:
            done = run_cli(*args)
            status, stderr = done.returncode, done.stderr
        else:
            status, stderr = run_in_process(list(args))
        self.assertEqual(status, 2, stderr)
        lines = stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, stderr)
        self.assertNotIn("Traceback", stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
        return lines[0]


class FixtureCase(unittest.TestCase):
    """A temporary folder holding a.h5 (cuda, A100) and b.h5 (model:A100, 1.25x faster)."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = self._tmp.name
        self.file_a = self.path("a.h5")
        self.file_b = self.path("b.h5")
        self.rows_a = make_fixture.write_standard(self.file_a, device=A100, backend="cuda")
        self.rows_b = make_fixture.write_standard(self.file_b, device="model:A100",
                                                  backend="model", scale=1.25, kind="vlen")

    def tearDown(self):
        plt.close("all")
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def ok_rows(self, rows, op=None):
        return [r for r in rows if r["status"] == "ok" and (op is None or r["op"] == op)]

    def assert_png(self, path, min_width=400, min_height=300):
        self.assertTrue(os.path.isfile(path), path)
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            self.assertEqual(image.format, "PNG")
            width, height = image.size
        self.assertGreaterEqual(width, min_width)
        self.assertGreaterEqual(height, min_height)
        self.assertLess(width * height, 40_000_000)

    def assert_svg(self, path):
        self.assertTrue(os.path.isfile(path), path)
        root = ElementTree.parse(path).getroot()
        self.assertTrue(root.tag.endswith("svg"), root.tag)
        self.assertGreater(os.path.getsize(path), 5000)

    def assert_line_data(self, line, xs, ys):
        data = line.get_xydata()
        np.testing.assert_allclose(data[:, 0], xs)
        np.testing.assert_allclose(data[:, 1], ys)
