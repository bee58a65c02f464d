"""Issue 17.3-4: no analysis command hangs or prints a traceback on a damaged or odd file.

A results file cut to a few bytes made the loader's SWMR fallback retry its metadata reads for
minutes, one cut to 8 bytes raised RuntimeError through h5py, and a FIFO blocked the first read."""

import os
import time
import unittest

import h5py
import numpy as np

from common import FixtureCase, RefusalAssertions
from gemmsweep_analysis import load

# Far below the minutes the unbounded fallback took, far above a refusal's fraction of a second.
BOUND_S = 30


class DamagedFileTest(FixtureCase, RefusalAssertions):
    def setUp(self):
        super().setUp()
        # The latest file format, as gemmsweep writes it (SWMR needs it): checksummed metadata.
        self.latest = self.path("latest.h5")
        with h5py.File(self.latest, "w", libver="latest") as f:
            f.create_dataset("results", data=np.zeros(4, dtype=[("task_id", "<u8")]))

    def cut(self, size):
        path = self.path(f"cut{size}.h5")
        with open(self.latest, "rb") as whole, open(path, "wb") as part:
            part.write(whole.read(size))
        return path

    def test_a_file_cut_to_a_few_bytes_is_refused_at_once(self):
        for size in (8, 12, 64):
            with self.subTest(size=size):
                path = self.cut(size)
                started = time.monotonic()
                self.assert_refused(["plot", path, "-o", self.path("x.png")],
                                    os.path.basename(path), separate_process=True)
                self.assertLess(time.monotonic() - started, BOUND_S)
                started = time.monotonic()
                with self.assertRaises(OSError):
                    load.load(path)
                self.assertLess(time.monotonic() - started, BOUND_S)

    def test_a_fifo_is_not_read(self):
        fifo = self.path("fifo.h5")
        os.mkfifo(fifo)
        self.assert_refused(["plot", fifo, "-o", self.path("x.png")], "not a regular file",
                            separate_process=True)
        with self.assertRaisesRegex(OSError, "not a regular file"):
            load.load(fifo)


if __name__ == "__main__":
    unittest.main()
