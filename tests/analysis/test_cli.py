"""The command line as a user runs it: charts written, tables printed, bad input in one line."""

import contextlib
import csv
import io
import os
import subprocess
import sys
import unittest

import h5py

from common import ANALYSIS_DIR, FIG7A_CSV, FixtureCase
from gemmsweep_analysis import cli


SCRIPT = os.path.join(ANALYSIS_DIR, "gemmsweep-plot")


def main(argv):
    """The command line in this process (fast); its stdout is kept out of the test log."""
    with contextlib.redirect_stdout(io.StringIO()):
        return cli.main(argv)


def run_cli(*args):
    env = dict(os.environ, PYTHONPATH=ANALYSIS_DIR, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "gemmsweep_analysis", *args], env=env,
                          capture_output=True, text=True, timeout=120)


class CommandTest(FixtureCase):
    def test_plot_png_and_svg(self):
        done = run_cli("plot", self.file_a, "-o", self.path("p.png"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("2 panel(s), 14 series, 28 points", done.stdout)
        self.assert_png(self.path("p.png"))
        self.assertEqual(main(["plot", self.file_a, "-o", self.path("p.svg"), "--op",
                               "attention_score", "--reference", FIG7A_CSV]), 0)
        self.assert_svg(self.path("p.svg"))

    def test_script_runs_roofline(self):
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run([sys.executable, SCRIPT, "roofline", self.file_a, "-o",
                               self.path("r.png")], env=env, capture_output=True, text=True,
                              timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assert_png(self.path("r.png"), min_width=1000)

    def test_two_files_grouped_by_device(self):
        out = self.path("devices.png")
        self.assertEqual(main(["plot", self.file_a, self.file_b, "-o", out, "--group-by",
                               "device", "--op", "attention_over_value"]), 0)
        self.assert_png(out)

    def test_plot_roofline_fraction(self):
        self.assertEqual(main(["plot", self.file_a, "--roofline", "-o", self.path("f.png")]), 0)
        self.assert_png(self.path("f.png"))

    def test_compare_table_and_csv(self):
        done = run_cli("compare", self.file_a, self.file_b, "-o", self.path("c.png"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("geomean ratio B/A: 1.25", done.stdout)
        self.assertIn("tflops_a", done.stdout)  # the table, on stdout without --csv
        self.assert_png(self.path("c.png"))
        self.assertEqual(main(["compare", self.file_a, self.file_b, "-o", self.path("c.svg"),
                               "--csv", self.path("c.csv")]), 0)
        with open(self.path("c.csv"), newline="") as f:
            table = list(csv.DictReader(f))
        self.assertEqual(len(table), 28)
        self.assertAlmostEqual(float(table[0]["ratio"]), 1.25)


def run_in_process(args):
    """(status, stderr) of the command line run here: an uncaught exception fails the test."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            status = cli.main(args)
        except SystemExit as exit_:  # argparse's usage errors
            status = exit_.code
    return status, err.getvalue()


class BadInputTest(FixtureCase):
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

    def test_missing_file(self):
        missing = self.path("nope.h5")
        self.assert_refused(["plot", missing, "-o", self.path("x.png")], missing, "no such file",
                            separate_process=True)
        self.assertFalse(os.path.exists(self.path("x.png")))

    def test_file_that_is_not_hdf5(self):
        text = self.path("notes.h5")
        with open(text, "w") as f:
            f.write("hello\n")
        self.assert_refused(["plot", text, "-o", self.path("x.png")], text, "not an HDF5 file")

    def test_hdf5_file_that_is_not_gemmsweep(self):
        other = self.path("other.h5")
        with h5py.File(other, "w") as f:
            f["data"] = [1, 2, 3]
        self.assert_refused(["compare", self.file_a, other, "-o", self.path("x.png")], other,
                            "not a gemmsweep results file", separate_process=True)

    def test_op_not_in_file(self):
        self.assert_refused(["plot", self.file_a, "-o", self.path("x.png"), "--op", "logit"],
                            "op 'logit' is not in the file", "attention_score")

    def test_unknown_column_and_extension(self):
        self.assert_refused(["plot", self.file_a, "-o", self.path("x.png"), "--x", "width"],
                            "--x 'width' is not a column")
        self.assert_refused(["plot", self.file_a, "-o", self.path("x.pdf")], "x.pdf",
                            "allowed: .png, .svg")

    def test_unknown_device_for_roofline(self):
        cpu = self.path("cpu.h5")
        import make_fixture
        make_fixture.write_standard(cpu, device="AMD EPYC 7763 64-Core Processor",
                                    backend="cpu", dtype="fp32")
        self.assert_refused(["roofline", cpu, "-o", self.path("x.png")], "AMD EPYC 7763",
                            "--peak-tflops")
        self.assertEqual(main(["roofline", cpu, "-o", self.path("x.png"), "--peak-tflops", "3",
                               "--bandwidth-tbs", "0.2"]), 0)
        self.assert_png(self.path("x.png"))

    def test_usage_error_is_one_line(self):
        self.assert_refused(["plot", self.file_a], "-o/--output", separate_process=True)
        self.assert_refused(["draw", self.file_a], "invalid choice")


if __name__ == "__main__":
    unittest.main()
