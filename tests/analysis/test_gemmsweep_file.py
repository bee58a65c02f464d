"""The charts over a file written by the C++ code: `gemmsweep run` with the model backend.

The binary comes from the environment variable GEMMSWEEP_BINARY (set by ctest to the built
gemmsweep). The model backend predicts an A100 in microseconds per point, so this stays fast.
"""

import contextlib
import io
import os
import subprocess
import unittest

import numpy as np

from common import FixtureCase
from gemmsweep_analysis import cli
from gemmsweep_analysis.compare import compare
from gemmsweep_analysis.results import open_results, select_ops
from gemmsweep_analysis.roofline import with_roofline
from gemmsweep_analysis.series import build_panels, pow2_class

JOB = """\
name = "analysis-test"
ops = ["attention_score", "attention_over_value"]
dtype = "fp16"

[model]
heads = 32
head_dim = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128]
microbatch = 1
seq_length = 512
tensor_parallel = 1
"""


class GemmsweepFileTest(FixtureCase):
    def setUp(self):
        super().setUp()
        binary = os.environ.get("GEMMSWEEP_BINARY", "")
        self.assertTrue(os.path.isfile(binary), f"GEMMSWEEP_BINARY={binary!r} is not a file")
        job = self.path("job.toml")
        with open(job, "w") as f:
            f.write(JOB)
        self.h5 = self.path("model.h5")
        done = subprocess.run([binary, "run", job, "-o", self.h5, "--backend", "model"],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

    def test_series_carry_the_written_rows(self):
        results = open_results(self.h5)
        self.assertEqual(results.attributes["backend"], "model")
        ok = results.ok
        self.assertEqual(len(ok), 28)
        self.assertTrue(ok["device"].str.startswith("model:").all())
        rows, ops = select_ops(results, [])
        self.assertEqual(ops, ["attention_score", "attention_over_value"])  # the job's order
        for panel in build_panels(rows, ops):
            op_rows = ok[ok.op == panel.op]
            points = sorted((x, y) for s in panel.series for x, y in zip(s.x, s.y))
            np.testing.assert_allclose(points, sorted(zip(op_rows.hidden_size, op_rows.tflops)))
            for s in panel.series:
                np.testing.assert_array_equal(pow2_class((s.x // 32).astype(int)), s.group)
        bounded = with_roofline(rows)
        self.assertTrue((bounded["roof_fraction"] > 0).all())
        self.assertTrue((bounded["peak_tflops"] == 312.0).all())
        self.assertAlmostEqual(compare(results, results).geomean(), 1.0)

    def test_every_command_draws(self):
        with contextlib.redirect_stdout(io.StringIO()):
            for args in (["plot", self.h5, "-o", self.path("p.png")],
                         ["roofline", self.h5, "-o", self.path("r.png")],
                         ["compare", self.h5, self.h5, "-o", self.path("c.svg")]):
                self.assertEqual(cli.main(args), 0, args)
        self.assert_png(self.path("p.png"))
        self.assert_png(self.path("r.png"))
        self.assert_svg(self.path("c.svg"))


if __name__ == "__main__":
    unittest.main()
