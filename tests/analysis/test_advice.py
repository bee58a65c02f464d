"""The /advice loader and chart over a file that `gemmsweep advise --backend model` writes.

The binary comes from GEMMSWEEP_BINARY (set by ctest to the built gemmsweep).
"""

import contextlib
import io
import os
import subprocess
import unittest

from common import FixtureCase
from gemmsweep_analysis import AnalysisError, cli
from gemmsweep_analysis.advice import advice_chart_data, draw_advice, load_advice

# 4 candidates (h 128 and 256 with 2 heads, L 2 and 4), the first the baseline.
JOB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "advise", "data",
                   "tiny_advise.toml")


class AdviceFileTest(FixtureCase):
    def setUp(self):
        super().setUp()
        binary = os.environ.get("GEMMSWEEP_BINARY", "")
        self.assertTrue(os.path.isfile(binary), f"GEMMSWEEP_BINARY={binary!r} is not a file")
        job = JOB
        self.h5 = self.path("advise.h5")
        done = subprocess.run([binary, "advise", job, "-o", self.h5, "--backend", "model"],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

    def test_loader_reads_every_candidate(self):
        frame = load_advice(self.h5)
        self.assertEqual(len(frame), 4)
        self.assertEqual(sorted(frame["rank"]), [1, 2, 3, 4])
        self.assertEqual(int(frame["baseline"].sum()), 1)
        self.assertEqual(set(frame["dtype"]), {"fp16"})
        base = frame[frame["baseline"] == 1].iloc[0]
        self.assertEqual((base.hidden_size, base.heads, base.layers), (128, 2, 2))
        # tokens/s per GPU = b*s / (step time * t)
        for _, row in frame.iterrows():
            self.assertAlmostEqual(row.tokens_per_s, 32 / row.step_time_s, delta=1e-6 * row.tokens_per_s)
        self.assertIn("no optimizer", frame.attrs["notes"])

    def test_chart_marks_the_baseline_and_colours_by_rules(self):
        frame = load_advice(self.h5)
        data = advice_chart_data(frame)
        self.assertEqual(sum(len(g.params) for g in data.groups), 4)
        base = frame[frame["baseline"] == 1].iloc[0]
        self.assertEqual(data.baseline, (base.params, base.tokens_per_s))
        # h 128 / 2 heads = d 64 meets the head_dim rule, d 128 too: the groups count rules met.
        for group in data.groups:
            self.assertGreaterEqual(group.rules_met, 1)
        draw_advice(frame, self.path("a.png"))
        self.assert_png(self.path("a.png"))
        with contextlib.redirect_stdout(io.StringIO()):
            self.assertEqual(cli.main(["advice", self.h5, "-o", self.path("b.svg")]), 0)
        self.assert_svg(self.path("b.svg"))

    def test_a_file_without_advice_is_refused(self):
        binary = os.environ["GEMMSWEEP_BINARY"]
        job = self.path("plain.toml")
        with open(job, "w") as f:
            f.write('name = "plain"\nops = ["qkv_transform"]\n[model]\nheads = 2\n'
                    'hidden_size = 128\nseq_length = 32\n')
        plain = self.path("plain.h5")
        done = subprocess.run([binary, "run", job, "-o", plain, "--backend", "model"],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        with self.assertRaises(AnalysisError):
            load_advice(plain)
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(cli.main(["advice", plain, "-o", self.path("c.png")]), 2)
        self.assertIn("no /advice", err.getvalue())


if __name__ == "__main__":
    unittest.main()
