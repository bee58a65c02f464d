"""compare: B / A joined on the shape, summary, table and chart."""

import unittest

import numpy as np

import make_fixture
from common import A100, FixtureCase
from gemmsweep_analysis.compare import JOIN_COLUMNS, build_compare_panels, compare
from gemmsweep_analysis.errors import AnalysisError
from gemmsweep_analysis.render import render
from gemmsweep_analysis.results import open_results


class CompareTest(FixtureCase):
    def test_ratio_of_every_shared_shape(self):
        comparison = compare(open_results(self.file_a), open_results(self.file_b))
        ok = self.ok_rows(self.rows_a)
        self.assertEqual(len(comparison.table), len(ok))
        np.testing.assert_allclose(comparison.table["ratio"], 1.25)
        self.assertAlmostEqual(comparison.geomean(), 1.25)
        self.assertEqual((comparison.only_a, comparison.only_b), (0, 0))
        self.assertEqual(comparison.label_a, f"{A100} (cuda)")
        self.assertEqual(comparison.label_b, "model:A100")
        for _, row in comparison.table.iterrows():
            source = next(r for r in ok if all(r[c] == row[c] for c in JOIN_COLUMNS))
            self.assertAlmostEqual(row["tflops_a"], source["tflops"])

    def test_worst_best_and_unmatched_shapes(self):
        rows = make_fixture.attention_rows(A100, ops=("attention_score",))
        faster = [dict(r) for r in rows[:-1]]  # the last shape is only in A
        for r in faster:
            r["tflops"] *= 2.0 if r["head_dim"] == 64 else 1.0
        faster[0]["tflops"] *= 0.5  # head_dim 1 halves
        make_fixture.write_results(self.path("c.h5"), faster)
        make_fixture.write_results(self.path("d.h5"), rows)
        comparison = compare(open_results(self.path("d.h5")), open_results(self.path("c.h5")))
        self.assertEqual((comparison.only_a, comparison.only_b), (1, 0))
        self.assertEqual(comparison.extreme("worst")["head_dim"], 1)
        self.assertAlmostEqual(comparison.extreme("worst")["ratio"], 0.5)
        self.assertEqual(comparison.extreme("best")["head_dim"], 64)
        self.assertAlmostEqual(comparison.geomean(), float(np.exp(np.log(2.0 * 0.5) / 13)))
        text = "\n".join(comparison.summary_lines())
        self.assertIn("compared 13 shapes", text)
        self.assertIn("1 only in A", text)
        self.assertIn("worst: 0.5 at attention_score fp16 h=32 a=32", text)

    def test_chart_draws_the_ratios(self):
        comparison = compare(open_results(self.file_a), open_results(self.file_b))
        panels = build_compare_panels(comparison)
        out = self.path("cmp.png")
        fig = render([[p] for p in panels], out)
        self.assert_png(out)
        for ax, panel in zip(fig.axes, panels):
            self.assertIn("model:A100", panel.title)
            ys = [y for s in panel.series for y in s.y]
            np.testing.assert_allclose(ys, 1.25)
            for line, series in zip(ax.lines, panel.series):
                self.assert_line_data(line, series.x, series.y)
            self.assertEqual(panel.hlines[0][0], 1.0)
            self.assertAlmostEqual(panel.hlines[1][0], 1.25)

    def test_files_without_shared_shapes_are_refused(self):
        make_fixture.write_results(self.path("e.h5"),
                                   make_fixture.attention_rows(A100, seq_length=512))
        with self.assertRaisesRegex(AnalysisError, "share no shape"):
            compare(open_results(self.file_a), open_results(self.path("e.h5")))


if __name__ == "__main__":
    unittest.main()
