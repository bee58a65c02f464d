"""Measured against fitted (gemmsweep fit --table), and peaks from a GPU spec file."""

import os
import tempfile
import unittest

from common import ANALYSIS_DIR, run_cli
from gemmsweep_analysis.errors import AnalysisError
from gemmsweep_analysis.fit_chart import build_fit_panels, read_fit_table
from gemmsweep_analysis.gpu_spec import read_gpu_spec
from gemmsweep_analysis.peaks import find_device, roof_of

SPECS = os.path.join(os.path.dirname(ANALYSIS_DIR), "worker", "model", "gpus")
HEADER = ("op,dtype,hidden_size,chart_class,alignment_class,batch,m,n,k,measured_tflops,"
          "fitted_tflops,kfold_tflops,base_tflops\n")


class Scratch(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path


class FitChartTest(Scratch):
    def table(self):
        # Results rows (chart_class 0: the class is h/a's) and two readings of class 8.
        rows = ["attention_score,fp16,32,0,3,128,2048,1,2048,10,11,12,9",
                "attention_score,fp16,64,0,3,128,2048,2,2048,20,20,22,18",
                "attention_score,fp16,96,0,3,128,2048,3,2048,30,27,27,31",
                "attention_score,fp16,4096,8,1,128,2048,128,2048,85,90,95,94",
                "attention_score,fp16,8192,8,1,128,2048,256,2048,125,120,118,134",
                "gemm,bf16,1024,0,0,1,1024,1024,1024,100,101,103,90"]
        return self.write("rows.csv", HEADER + "\n".join(rows) + "\n")

    def test_one_panel_per_op_and_dtype_with_fitted_lines_and_measured_crosses(self):
        panels = build_fit_panels(read_fit_table(self.table()))
        self.assertEqual([(p.op, "bf16" in p.title) for p in panels],
                         [("attention_score", False), ("gemm", True)])
        qk = panels[0]
        self.assertEqual([s.group for s in qk.series], [1, 2, 8])  # 32, 96 are odd h/a; 64 is 2
        self.assertEqual([s.group for s in qk.reference], [1, 2, 8])
        eight = qk.series[2]
        self.assertEqual(list(eight.x), [4096.0, 8192.0])
        self.assertEqual(list(eight.y), [90.0, 120.0])
        self.assertEqual(list(qk.reference[2].y), [85.0, 125.0])
        # |fitted/measured - 1|: 10%, 0%, 10%, 5.9%, 4% -> median 5.9%
        self.assertIn("median |fitted/measured - 1| 5.9%", qk.note)

    def test_a_table_that_is_not_fit_output_is_named(self):
        bad = self.write("bad.csv", "op,tflops\ngemm,1\n")
        with self.assertRaisesRegex(AnalysisError, "not a table of gemmsweep fit --table: no "
                                                   "column dtype"):
            read_fit_table(bad)
        negative = self.write("neg.csv", HEADER + "gemm,fp16,1,0,0,1,1,1,1,-3,1,1,1\n")
        with self.assertRaisesRegex(AnalysisError, "row 1: measured_tflops '-3' is not "
                                                   "allowed"):
            read_fit_table(negative)

    def test_command_draws_the_chart_and_refuses_in_one_line(self):
        out = os.path.join(self.dir.name, "fit.png")
        done = run_cli("fit", self.table(), "-o", out)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertGreater(os.path.getsize(out), 1000)
        self.assertIn("held out (K-fold)", done.stdout)
        refused = run_cli("fit", os.path.join(self.dir.name, "none.csv"), "-o", out)
        self.assertEqual(refused.returncode, 2)
        self.assertEqual(len(refused.stderr.splitlines()), 1, refused.stderr)


class GpuSpecPeaksTest(Scratch):
    def test_shipped_specs_give_the_peak_table(self):
        for name in ("A100", "H100", "H200", "MI250X"):
            spec = read_gpu_spec(os.path.join(SPECS, f"{name}.toml"))
            table = find_device(name)
            self.assertEqual(spec.name, name)
            self.assertEqual(spec.bandwidth_tbs, table.bandwidth_tbs)
            for dtype in ("fp16", "bf16", "fp32"):
                self.assertEqual(spec.tflops[dtype], table.tflops[dtype], (name, dtype))

    def test_a_spec_replaces_the_table_for_any_device(self):
        spec = read_gpu_spec(self.write("x.toml", 'name = "X"\nbandwidth_tbs = 1.5\n'
                                                  '[peak_tflops]\nfp16 = 100\nfp32 = 10\n'))
        self.assertEqual(roof_of("Intel(R) Xeon(R) CPU", "fp16", spec=spec), (100.0, 1.5))
        self.assertEqual(roof_of("NVIDIA A100", "tf32", spec=spec), (10.0, 1.5))
        self.assertEqual(roof_of("NVIDIA A100", "fp16", peak_tflops=50.0, spec=spec), (50.0, 1.5))

    def test_bad_specs_are_named(self):
        for text, needle in (('name = "X"\nbandwidth_tbs = 0\n[peak_tflops]\nfp16 = 1\n',
                              "bandwidth_tbs: 0 is not allowed"),
                             ('name = "X"\nbandwidth_tbs = 1\n', "peak_tflops: missing"),
                             ("name = [", "not TOML")):
            with self.assertRaisesRegex(AnalysisError, needle):
                read_gpu_spec(self.write("bad.toml", text))
        with self.assertRaisesRegex(AnalysisError, "cannot open"):
            read_gpu_spec(os.path.join(self.dir.name, "none.toml"))


if __name__ == "__main__":
    unittest.main()
