"""Plot series carry the file's values: grouping, splitting, ok rows only, drawn as built."""

import unittest

import numpy as np

import make_fixture
from common import A100, FIG7A_CSV, FixtureCase
from gemmsweep_analysis.errors import AnalysisError
from gemmsweep_analysis.reference import (agreement, agreement_lines, read_reference,
                                          reference_series)
from gemmsweep_analysis.render import render
from gemmsweep_analysis.results import open_results, select_ops
from gemmsweep_analysis.series import build_panels, pow2_class


class Pow2ClassTest(unittest.TestCase):
    def test_largest_power_of_two_capped_at_64(self):
        values = [1, 2, 3, 4, 6, 8, 12, 24, 48, 64, 96, 128, 192, 1024, 1023, 0]
        expected = [1, 2, 1, 4, 2, 8, 4, 8, 16, 64, 32, 64, 64, 64, 1, 0]
        self.assertEqual(list(pow2_class(values)), expected)


class LoadTest(FixtureCase):
    def test_fixed_and_variable_strings_decode_alike(self):
        for path in (self.file_a, self.file_b):
            results = open_results(path)
            self.assertEqual(len(results.frame), len(self.rows_a))
            self.assertEqual(set(results.frame["status"]), {"ok", "skipped", "failed"})
            self.assertIn("attention_score", set(results.ok["op"]))
        self.assertEqual(open_results(self.file_a).attributes["backend"], "cuda")
        self.assertEqual(open_results(self.file_b).devices["name"].iloc[0], "model:A100")

    def test_ops_follow_the_job_file_not_the_row_order(self):
        rows = make_fixture.attention_rows(A100)[::-1]  # rows stored in completion order
        path = self.path("order.h5")
        make_fixture.write_results(path, rows, attributes={
            "spec": 'ops = ["attention_score", "attention_over_value"]\n'})
        self.assertEqual(select_ops(open_results(path), [])[1],
                         ["attention_score", "attention_over_value"])
        make_fixture.write_results(path, rows, attributes={"spec": "not = [toml"})
        self.assertEqual(select_ops(open_results(path), [])[1],
                         ["attention_over_value", "attention_score"])

    def test_label_names_device_and_backend(self):
        self.assertEqual(open_results(self.file_a).label(), f"{A100} (cuda)")
        self.assertEqual(open_results(self.file_b).label(), "model:A100")


class ThroughputPanelTest(FixtureCase):
    def panels(self, path, ops=(), **kwargs):
        results = open_results(path)
        rows, ops = select_ops(results, list(ops))
        return build_panels(rows, ops, **kwargs)

    def test_pow2_series_hold_every_ok_row_once(self):
        panels = self.panels(self.file_a)
        self.assertEqual([p.op for p in panels], ["attention_score", "attention_over_value"])
        for panel in panels:
            expected = {(r["hidden_size"], r["tflops"]) for r in self.ok_rows(self.rows_a,
                                                                               panel.op)}
            seen = []
            for series in panel.series:
                self.assertEqual(series.label, f"h/a divisible by {series.group}")
                self.assertTrue(np.all(np.diff(series.x) > 0))
                for x, y in zip(series.x, series.y):
                    seen.append((int(x), y))
                    self.assertEqual(pow2_class([int(x) // 32])[0], series.group)
            self.assertEqual(sorted(seen), sorted(expected))
            self.assertEqual([s.group for s in panel.series], [1, 2, 4, 8, 16, 32, 64])

    def test_title_and_labels_from_provenance(self):
        panel = self.panels(self.file_a, ["attention_score"])[0]
        self.assertIn("QK^T", panel.title)
        self.assertIn("a=32", panel.title)
        self.assertIn(A100, panel.title)
        self.assertIn("fp16", panel.title)
        self.assertEqual(panel.xlabel, "Hidden size h")
        self.assertEqual(panel.ylabel, "Throughput (TFLOP/s)")

    def test_group_by_column_and_x_column(self):
        panel = self.panels(self.file_a, ["attention_score"], x="head_dim",
                            group_by="dtype")[0]
        self.assertEqual(len(panel.series), 1)
        rows = sorted(self.ok_rows(self.rows_a, "attention_score"), key=lambda r: r["head_dim"])
        np.testing.assert_allclose(panel.series[0].x, [r["head_dim"] for r in rows])
        np.testing.assert_allclose(panel.series[0].y, [r["tflops"] for r in rows])
        self.assertEqual(panel.series[0].label, "fp16")

    def test_two_files_grouped_by_device(self):
        from gemmsweep_analysis.cli import open_many
        results, opened = open_many([self.file_a, self.file_b])
        self.assertEqual(len(opened), 2)
        rows, _ = select_ops(results, ["attention_score"])
        panel = build_panels(rows, ["attention_score"], group_by="device")[0]
        self.assertEqual([s.label for s in panel.series], [A100, "A100 (analytic model)"])
        for series, source in zip(panel.series, (self.rows_a, self.rows_b)):
            expected = sorted((r["hidden_size"], r["tflops"])
                              for r in self.ok_rows(source, "attention_score"))
            np.testing.assert_allclose(np.column_stack([series.x, series.y]), expected)
        self.assertNotIn(A100, panel.title)  # two devices: the title names neither

    def test_varying_column_splits_lines_in_another_style(self):
        from gemmsweep_analysis.cli import open_many
        results, _ = open_many([self.file_a, self.file_b])
        rows, _ = select_ops(results, ["attention_score"])
        panel = build_panels(rows, ["attention_score"])[0]
        self.assertEqual(len(panel.series), 14)
        by_label = {s.label: s for s in panel.series}
        model = by_label["h/a divisible by 64, A100 (analytic model)"]
        measured = by_label[f"h/a divisible by 64, {A100}"]
        self.assertEqual((measured.variant, model.variant), (0, 1))  # sorted by name
        np.testing.assert_allclose(model.y, measured.y * 1.25)
        fig = render([[panel]], self.path("split.png"))
        styles = {line.get_label(): line.get_linestyle() for line in fig.axes[0].lines}
        self.assertNotEqual(styles[model.label], styles[measured.label])

    def test_raw_gemm_rows_default_to_m(self):
        template = make_fixture.attention_rows(A100, ops=("attention_score",))[0]
        rows = []
        for i, m in enumerate((512, 1024, 1536, 2048)):
            for k in (1024, 4096):
                row = dict(template, op="gemm", task_id=i * 2 + k // 4096, hidden_size=0,
                           heads=0, head_dim=0, seq_length=0, microbatch=0, batch=1, m=m,
                           n=4096, k=k, tflops=float(m + k))
                rows.append(row)
        path = self.path("gemm.h5")
        make_fixture.write_results(path, rows)
        panel = self.panels(path)[0]
        self.assertEqual(panel.x_column, "m")
        self.assertTrue(panel.title.startswith("GEMM \u2014 "))
        self.assertEqual([s.label for s in panel.series], ["all shapes, k=1024",
                                                           "all shapes, k=4096"])
        for series, k in zip(panel.series, (1024, 4096)):
            np.testing.assert_allclose(series.x, [512, 1024, 1536, 2048])
            np.testing.assert_allclose(series.y, series.x + k)
        with self.assertRaisesRegex(AnalysisError, "--x 'dtype' is not numeric"):
            self.panels(path, x="dtype")

    def test_unknown_column_is_refused(self):
        results = open_results(self.file_a)
        with self.assertRaisesRegex(AnalysisError, "--group-by 'colour' is not a column"):
            build_panels(results.ok, ["attention_score"], group_by="colour")
        with self.assertRaisesRegex(AnalysisError, "op 'logit' is not in the file"):
            select_ops(results, ["logit"])

    def test_render_draws_the_series(self):
        panels = self.panels(self.file_a)
        out = self.path("p.png")
        fig = render([[p] for p in panels], out)
        self.assert_png(out)
        for ax, panel in zip(fig.axes, panels):
            self.assertEqual(len(ax.lines), len(panel.series))
            for line, series in zip(ax.lines, panel.series):
                self.assertEqual(line.get_label(), series.label)
                self.assert_line_data(line, series.x, series.y)

    def test_reference_overlay_carries_csv_values(self):
        table = read_reference(FIG7A_CSV)
        panel = self.panels(self.file_a, ["attention_score"])[0]
        panel.reference = reference_series(table, "paper")
        self.assertEqual(sum(len(s.x) for s in panel.reference), len(table))
        fig = render([[panel]], self.path("ref.svg"))
        self.assert_svg(self.path("ref.svg"))
        drawn = fig.axes[0].lines[len(panel.series):]
        self.assertEqual(len(drawn), 7)
        class64 = table[table.pow2_class == 64].sort_values("hidden_size")
        self.assert_line_data(drawn[-1], class64.hidden_size, class64.tflops)

    def test_agreement_with_readings(self):
        panel = self.panels(self.file_a, ["attention_score"])[0]
        line64 = next(s for s in panel.series if s.group == 64)  # h = 2048 and 4096
        middle = (line64.y[0] + line64.y[1]) / 2
        csv_path = self.path("readings.csv")
        with open(csv_path, "w") as f:
            f.write("# made up\npow2_class,hidden_size,tflops\n")
            f.write(f"64,2048,{line64.y[0] / 2}\n64,3072,{middle}\n64,9999,1\n3,64,1\n")
        panel.reference = reference_series(read_reference(csv_path), "readings")
        table = agreement(panel)
        np.testing.assert_allclose(table["hidden_size"], [2048, 3072])  # in range, class drawn
        np.testing.assert_allclose(table["ratio"], [2.0, 1.0])
        lines = agreement_lines(table, "readings")
        self.assertIn("2 readings on drawn lines, geomean chart/reading 1.41", lines[0])
        self.assertIn("h/a divisible by 64 at h=2048", lines[1])


if __name__ == "__main__":
    unittest.main()
