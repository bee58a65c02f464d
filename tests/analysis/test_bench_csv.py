"""gemmsweep-gpu-bench's CSV (what the GPU check brings back) read as a results file by charts."""

import contextlib
import csv
import io
import os
import re
import tempfile
import unittest

import numpy as np

from common import FIG7A_CSV, RefusalAssertions  # (common puts analysis/ on sys.path)
from gemmsweep_analysis import cli
from gemmsweep_analysis.errors import AnalysisError
from gemmsweep_analysis.results import open_results, select_ops
from gemmsweep_analysis.series import build_panels
from gemmsweep_analysis.roofline import with_roofline

BENCH_SOURCE = os.path.join(os.path.dirname(__file__), "..", "..", "worker", "cuda",
                            "gpu_bench_main.cpp")


def bench_header():
    """The header line exactly as gpu_bench_main.cpp prints it, so the two cannot drift apart."""
    with open(BENCH_SOURCE) as f:
        source = f.read()
    call = re.search(r'std::puts\(\s*((?:"[^"]*"\s*)+)\);', source)
    assert call, "gpu_bench_main.cpp no longer prints its header with std::puts"
    return "".join(re.findall(r'"([^"]*)"', call.group(1)))


def bench_text(text):
    """A free-text field as gpu_bench_main.cpp's csv_text writes it: it quotes nothing, so commas,
    quotes and newlines become ';' and every row keeps its column count."""
    return re.sub(r'[,"\n]', ";", text)


def bench_row(columns, head_dim, tflops, status="ok"):
    s, b, a = 2048, 4, 32
    time_s = 2.0 * b * s * s * a * head_dim / (tflops * 1e12) if tflops else 0.0
    values = {
        "task_id": head_dim - 1, "op": "attention_score", "dtype": "fp16", "heads": a,
        "head_dim": head_dim, "hidden_size": a * head_dim, "batch": b * a, "m": s,
        "n": head_dim, "k": s, "status": status, "samples": 12, "converged": 1,
        "time_s": time_s, "time_min_s": time_s * 0.98, "tflops": tflops,
        "tflops_at_min": tflops / 0.98, "launches_per_sample": 1, "sm_clock_before_mhz": 1980,
        "sm_clock_after_mhz": 1980, "temperature_after_c": 40, "power_after_w": 400.5,
        "throttle_after": "0x0", "algo": "cublasGemmStridedBatchedEx fp16 in/out",
        "message": "" if status == "ok" else bench_text("wrong result, worst C[0][1][2] = 3"),
        "microbatch": b, "seq_length": s, "tensor_parallel": 1,
        "flops": 2.0 * b * s * s * a * head_dim, "device": "NVIDIA H200",
    }
    return ",".join(str(values[c]) for c in columns)


class BenchCsvCase(unittest.TestCase):
    """A temporary bench.csv: seven measured h/a of attention_score on an H200, one failed."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.csv = os.path.join(self._tmp.name, "bench.csv")
        header = bench_header()
        columns = header.split(",")
        self.readings = {1: 20.0, 2: 35.0, 3: 21.0, 4: 60.0, 8: 110.0, 64: 520.0, 128: 610.0}
        lines = [header] + [bench_row(columns, d, t) for d, t in self.readings.items()]
        lines.append(bench_row(columns, 5, 0.0, status="failed"))
        with open(self.csv, "w") as f:
            f.write("\n".join(lines) + "\n")

    def tearDown(self):
        self._tmp.cleanup()


class BenchCsvTest(BenchCsvCase):
    def test_the_bench_writes_no_quoting_and_every_row_has_the_header_columns(self):
        self.assertEqual(bench_text('a, "b"\nc'), "a; ;b;;c")
        with open(self.csv) as f:
            lines = f.read().splitlines()
        width = len(lines[0].split(","))
        for line in lines:
            self.assertNotIn('"', line)
            self.assertEqual(len(line.split(",")), width, line)

    def test_rows_become_the_chart_series(self):
        results = open_results(self.csv)
        self.assertEqual(results.backend, "cuda")
        self.assertEqual(len(results.frame), 8)
        self.assertEqual(len(results.ok), 7)  # the failed row is kept out of the charts
        self.assertEqual(results.label(), "NVIDIA H200 (cuda)")
        rows, ops = select_ops(results, [])
        self.assertEqual(ops, ["attention_score"])
        (panel,) = build_panels(rows, ops)
        points = sorted((x, y) for s in panel.series for x, y in zip(s.x, s.y))
        expected = sorted((32 * d, t) for d, t in self.readings.items())
        np.testing.assert_allclose(points, expected)
        bounded = with_roofline(rows)
        self.assertTrue((bounded["peak_tflops"] == 989.0).all())  # the H200 from the device name

    def test_plot_command_draws_it(self):
        out = os.path.join(self._tmp.name, "chart.png")
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            self.assertEqual(cli.main(["plot", self.csv, "-o", out]), 0)
        self.assertIn("7 points", printed.getvalue())
        self.assertGreater(os.path.getsize(out), 0)

    def test_a_foreign_or_damaged_csv_is_one_clear_error(self):
        other = os.path.join(self._tmp.name, "other.csv")
        with open(other, "w") as f:
            f.write("a,b\n1,2\n")
        with self.assertRaisesRegex(AnalysisError, r"other\.csv: not a gemmsweep-gpu-bench CSV "
                                                   r"\(none of the columns the bench writes: "
                                                   r"task_id, op, .*, device\)$"):
            open_results(other)
        with open(other, "w") as f:
            f.write("task_id,op,dtype\n1,gemm,fp16\n")
        with self.assertRaisesRegex(AnalysisError, r"other\.csv: not a gemmsweep-gpu-bench CSV "
                                                   r"\(no column heads, head_dim, hidden_size"):
            open_results(other)
        with self.assertRaisesRegex(AnalysisError, "a reference table.*--reference"):
            open_results(FIG7A_CSV)
        with open(self.csv) as f:
            lines = f.read().splitlines()
        lines[3] = lines[3].replace(",12,", ",twelve,", 1)  # the samples of h/a = 3
        with open(self.csv, "w") as f:
            f.write("\n".join(lines) + "\n")
        with self.assertRaisesRegex(AnalysisError, r"bench\.csv:4: samples 'twelve' is not a "
                                                   r"whole number"):
            open_results(self.csv)
        with self.assertRaisesRegex(AnalysisError, "no such file"):
            open_results(os.path.join(self._tmp.name, "missing.csv"))



class BenchCsvValuesTest(BenchCsvCase, RefusalAssertions):
    """Each value is one the bench can write, or the file is refused at its line and column."""

    INTEGERS = "(allowed: whole numbers from 0 to 9223372036854775807)"
    FLOATS = "(allowed: finite numbers >= 0)"

    def edit_line_3(self, change):
        """Rewrites the row of h/a = 2 (line 3 of the file) with change(fields)."""
        with open(self.csv, newline="") as f:
            rows = list(csv.reader(f))
        change(rows[2])
        with open(self.csv, "w", newline="") as f:
            csv.writer(f).writerows(rows)

    def set_value(self, column, value):
        index = bench_header().split(",").index(column)
        self.edit_line_3(lambda fields: fields.__setitem__(index, value))

    def refused(self, column, value, *fragments, shown=None):
        self.set_value(column, value)
        out = os.path.join(self._tmp.name, "x.png")
        line = self.assert_refused(["plot", self.csv, "-o", out],
                                   f"bench.csv:3: {column} '{shown or value}'", *fragments)
        self.assertFalse(os.path.exists(out))
        return line

    def setUp(self):
        super().setUp()
        with open(self.csv) as f:
            self._original = f.read()

    def _restore(self):
        with open(self.csv, "w") as f:
            f.write(self._original)

    def test_integers_are_whole_in_range_and_not_negative(self):
        for column, value, why in (("hidden_size", "1e23", "is out of range"),
                                   ("hidden_size", "9223372036854775808", "is out of range"),
                                   ("hidden_size", "2048.5", "is not a whole number"),
                                   ("heads", "", "is not a whole number"),
                                   ("m", "nan", "is not a whole number"),
                                   ("batch", "-4", "is negative"),
                                   ("task_id", "-1", "is negative")):
            self.refused(column, value, why, self.INTEGERS)
            self._restore()
        self.set_value("hidden_size", "64.0")  # a whole number written as a float is one
        self.assertEqual(open_results(self.csv).frame["hidden_size"].tolist()[1], 64)

    def test_floats_are_finite_and_not_negative(self):
        for column, value, why in (("tflops", "inf", "is not a number"),
                                   ("tflops", "1e999", "is out of range"),
                                   ("tflops", "-35", "is negative"),
                                   ("time_s", "soon", "is not a number"),
                                   ("flops", "nan", "is not a number")):
            self.refused(column, value, why, self.FLOATS)
            self._restore()

    def test_an_ok_row_has_a_time(self):
        self.set_value("tflops", "0")
        out = os.path.join(self._tmp.name, "x.png")
        self.assert_refused(["plot", self.csv, "-o", out],
                            "bench.csv:3: status ok with time_s", "tflops 0",
                            "(allowed: an ok row has both > 0)")

    def test_op_dtype_and_status_are_ones_the_bench_writes(self):
        line = self.refused("op", "frobnicate", "is not a known op", "(allowed: attention_score, ")
        for op in ("mlp_4h_to_h", "logit", "gemm", "bmm", "all_reduce", "all_to_all"):
            self.assertIn(op, line)
        self._restore()
        self.refused("dtype", "fp99", "is not a known dtype",
                     "(allowed: fp16, bf16, fp32, tf32, fp8, fp64)")
        self._restore()
        self.refused("status", "maybe", "is not a known status", "(allowed: ok, skipped, failed)")

    def test_every_row_has_a_field_per_column(self):
        out = os.path.join(self._tmp.name, "x.png")
        self.edit_line_3(lambda fields: fields.pop())
        self.assert_refused(["plot", self.csv, "-o", out], "bench.csv:3: 29 fields, but the "
                            "header has 30", separate_process=True)
        self._restore()
        self.edit_line_3(lambda fields: fields.append("extra"))
        self.assert_refused(["plot", self.csv, "-o", out], "bench.csv:3: 31 fields, but the "
                            "header has 30")

    def test_a_value_with_a_line_break_stays_on_one_line(self):
        # The value is quoted with its control characters escaped and cut to 40 characters.
        self.refused("op", "x\ny\x07" + "z" * 100, "is not a known op",
                     shown="x\\ny\\x07" + "z" * 32 + "...")


if __name__ == "__main__":
    unittest.main()
