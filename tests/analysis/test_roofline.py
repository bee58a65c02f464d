"""Roofline: intensity, bound and fraction per row, the device table, and the drawn chart."""

import unittest

import numpy as np

from common import A100, FixtureCase
from gemmsweep_analysis.errors import AnalysisError
from gemmsweep_analysis.peaks import find_device, roof_of
from gemmsweep_analysis.results import open_results, select_ops
from gemmsweep_analysis.render import render
from gemmsweep_analysis.roofline import build_roofline_panels, with_roofline


class PeakTableTest(unittest.TestCase):
    def test_names_match_by_substring(self):
        self.assertEqual(find_device("NVIDIA H200").name, "H200")
        self.assertEqual(find_device("NVIDIA H100 80GB HBM3").name, "H100")
        self.assertEqual(find_device("model:A100").name, "A100")
        self.assertEqual(find_device("AMD Instinct MI250X").name, "MI250X")
        self.assertIsNone(find_device("Intel(R) Xeon(R) CPU"))
        self.assertEqual(roof_of("NVIDIA H200", "bf16"), (989.0, 4.8))
        self.assertEqual(roof_of("Tesla V100-SXM2", "fp16"), (125.0, 0.9))

    def test_unknown_device_needs_user_peaks(self):
        with self.assertRaisesRegex(AnalysisError, "not in the peak table.*--peak-tflops and "
                                                   "--bandwidth-tbs"):
            roof_of("AMD EPYC 7763", "fp32")
        self.assertEqual(roof_of("AMD EPYC 7763", "fp32", 2.5, 0.2), (2.5, 0.2))
        self.assertEqual(roof_of("NVIDIA A100", "fp16", peak_tflops=100.0), (100.0, 2.0))

    def test_user_peaks_must_be_finite_and_above_zero(self):
        for value in (0.0, -1.0, float("nan"), float("inf")):
            with self.assertRaisesRegex(AnalysisError, r"--peak-tflops .* is not allowed "
                                                       r"\(allowed: a finite number > 0\)"):
                roof_of("NVIDIA A100", "fp16", peak_tflops=value)
            with self.assertRaisesRegex(AnalysisError, r"--bandwidth-tbs .* is not allowed"):
                roof_of("NVIDIA A100", "fp16", bandwidth_tbs=value)


class RooflineRowsTest(FixtureCase):
    def test_a_shape_without_flops_has_no_place_under_the_roof(self):
        rows = open_results(self.file_a).ok.copy()
        rows.loc[rows.index[3], "flops"] = 0.0
        with self.assertRaisesRegex(AnalysisError, r"roofline: 1 row\(s\) have no arithmetic "
                                                   r"intensity, e\.g\. attention_\w+ flops 0"):
            with_roofline(rows)
        rows.loc[rows.index[3], "op"] = "all_reduce"
        with self.assertRaisesRegex(AnalysisError, r"roofline: all_reduce is a collective .* no "
                                                   r"roofline; leave it out with --op"):
            with_roofline(rows)

    def test_bound_and_fraction_by_hand(self):
        rows = with_roofline(open_results(self.file_a).ok)
        for _, row in rows.iterrows():
            b, m, n, k = row["batch"], row["m"], row["n"], row["k"]
            moved = b * (m * n + n * k) * 2 + b * m * k * 2  # fp16 in and out
            intensity = 2.0 * b * m * n * k / moved
            bound = min(312.0, intensity * 2.0)
            self.assertAlmostEqual(row["intensity"], intensity)
            self.assertAlmostEqual(row["bound_tflops"], bound)
            self.assertAlmostEqual(row["roof_fraction"], row["tflops"] / bound)
            self.assertLessEqual(row["roof_fraction"], 1.0)  # the fixture stays under the roof

    def test_qk_intensity_is_about_head_dim(self):
        # DESIGN.md section 1: QK^T's intensity is about d FLOP/byte (exactly s*d/(s+2d) here).
        rows = with_roofline(open_results(self.file_a).ok)
        qk = rows[rows.op == "attention_score"]
        s, d = qk["seq_length"].to_numpy(float), qk["head_dim"].to_numpy(float)
        np.testing.assert_allclose(qk["intensity"], s * d / (s + 2 * d))

    def test_cpu_device_without_peaks_is_refused(self):
        results = open_results(self.file_a)
        rows = results.ok.assign(device="AMD EPYC 7763 64-Core Processor")
        with self.assertRaisesRegex(AnalysisError, "AMD EPYC 7763.*not in the peak table"):
            with_roofline(rows)
        np.testing.assert_allclose(with_roofline(rows, 10.0, 0.1)["peak_tflops"], 10.0)

    def test_roofline_chart_draws_points_and_roof(self):
        results = open_results(self.file_a)
        rows, ops = select_ops(results, [])
        rows = with_roofline(rows)
        pairs = build_roofline_panels(rows, ops)
        self.assertEqual(len(pairs), 2)
        out = self.path("roof.png")
        fig = render([list(p) for p in pairs], out)
        self.assert_png(out)
        roof_panel, fraction_panel = pairs[0]
        op_rows = rows[rows.op == roof_panel.op]
        points = sorted((x, y) for s in roof_panel.series for x, y in zip(s.x, s.y))
        expected = sorted(zip(op_rows["intensity"], op_rows["tflops"]))
        np.testing.assert_allclose(points, expected)
        fractions = sorted(y for s in fraction_panel.series for y in s.y)
        np.testing.assert_allclose(fractions, sorted(op_rows["roof_fraction"]))
        ax = fig.axes[0]
        self.assertEqual(ax.get_xscale(), "log")
        roof_line = ax.lines[len(roof_panel.series)]
        xs, ys = roof_line.get_xydata().T
        np.testing.assert_allclose(ys, np.minimum(312.0, 2.0 * xs))
        self.assertIn("312", roof_panel.note)
        for line, series in zip(fig.axes[1].lines, fraction_panel.series):
            self.assert_line_data(line, series.x, series.y)
        self.assertIn(A100, roof_panel.title)


if __name__ == "__main__":
    unittest.main()
