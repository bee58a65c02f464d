"""The command line as a user runs it: charts written, tables printed, bad input in one line."""

import contextlib
import csv
import io
import os
import subprocess
import sys
import unittest

import h5py
import matplotlib.pyplot as plt

from common import ANALYSIS_DIR, FIG7A_CSV, FixtureCase, RefusalAssertions, run_cli
from gemmsweep_analysis import cli


SCRIPT = os.path.join(ANALYSIS_DIR, "gemmsweep-plot")


def main(argv):
    """The command line in this process (fast); its stdout is kept out of the test log."""
    with contextlib.redirect_stdout(io.StringIO()):
        return cli.main(argv)


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


class BadInputTest(FixtureCase, RefusalAssertions):
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

    def test_text_column_on_the_y_axis(self):
        for column in ("op", "host", "status"):
            self.assert_refused(["plot", self.file_a, "-o", self.path("x.png"), "--y", column],
                                f"--y '{column}' is not numeric", "numeric columns: ",
                                "tflops", separate_process=column == "op")
        self.assertFalse(os.path.exists(self.path("x.png")))

    def test_peaks_must_be_finite_and_above_zero(self):
        for command in (["plot", "--roofline"], ["roofline"]):
            for option in ("--peak-tflops", "--bandwidth-tbs"):
                for value in ("0", "-1", "nan", "inf", "ten"):
                    self.assert_refused(
                        command + [self.file_a, "-o", self.path("x.png"), option, value],
                        f"argument {option}: '{value}' is not allowed",
                        "(allowed: a finite number > 0)",
                        separate_process=value == "0" and command == ["roofline"])
        self.assertFalse(os.path.exists(self.path("x.png")))

    def test_reference_table_given_as_results(self):
        self.assert_refused(["plot", FIG7A_CSV, "-o", self.path("x.png")], FIG7A_CSV,
                            "a reference table", f"--reference {FIG7A_CSV}",
                            separate_process=True)

    def test_reference_readings_are_numbers_above_zero(self):
        for name, body, fragment in (
                ("r1.csv", "# read by eye\nhidden_size,tflops\nabc,1\n",
                 "r1.csv:3: hidden_size 'abc' is not allowed (allowed: finite numbers > 0)"),
                ("r2.csv", "hidden_size,tflops,pow2_class\n32,1,4\n64,2,x\n",
                 "r2.csv:3: pow2_class 'x' is not allowed (allowed: whole numbers >= 0)"),
                ("r3.csv", "hidden_size,tflops\n32,0\n",
                 "r3.csv:2: tflops '0' is not allowed (allowed: finite numbers > 0)")):
            with open(self.path(name), "w") as f:
                f.write(body)
            self.assert_refused(["plot", self.file_a, "-o", self.path("x.png"), "--op",
                                 "attention_score", "--reference", self.path(name)], fragment,
                                separate_process=name == "r1.csv")

    def test_foreign_csv_names_the_bench_columns_once(self):
        other = self.path("other.csv")
        with open(other, "w") as f:
            f.write("a,b\n1,2\n")
        line = self.assert_refused(["plot", other, "-o", self.path("x.png")], other,
                                   "not a gemmsweep-gpu-bench CSV", "task_id, op, dtype",
                                   "flops, device")
        self.assertEqual(line.count("task_id"), 1, line)

    def test_job_name_with_control_and_foreign_characters(self):
        odd = self.path("odd.h5")
        import make_fixture
        make_fixture.write_results(odd, make_fixture.attention_rows("NVIDIA A100-SXM4-80GB"),
                                   attributes={"job_name": "sweep\x07\x1b[31m \u6f22\u5b57 "
                                                           "\U0001f600 $\\frac{$\nnext"})
        done = run_cli("plot", odd, "-o", self.path("odd.png"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stderr, "")  # no "Glyph ... missing" warnings, no mathtext error
        self.assert_png(self.path("odd.png"))
        self.assertEqual(main(["plot", odd, "-o", self.path("odd.svg")]), 0)
        title = plt.gcf()._suptitle.get_text()
        self.assertEqual(title.count("\n"), 0, title)  # one line per file
        self.assertIn("sweep\\x07\\x1b[31m \u6f22\u5b57 \U0001f600", title)
        self.assertIn("\\$\\frac{\\$\\nnext", title)  # '$' escaped: drawn, not parsed


if __name__ == "__main__":
    unittest.main()
