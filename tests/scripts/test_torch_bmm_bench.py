"""scripts/torch_bmm_bench.py without torch or a GPU: the precision setting it uses and the
versions it reports, against stand-in torch modules."""

import os
import sys
import types
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
import torch_bmm_bench as bench  # noqa: E402


class Matmul:
    """torch.backends.cuda.matmul: allow_tf32 raises, so that the script is seen not to use it."""

    def __setattr__(self, name, value):
        if name == "allow_tf32":
            raise AssertionError("allow_tf32 is deprecated: the script must not set it")
        object.__setattr__(self, name, value)


def fake_torch(recent):
    matmul = Matmul()
    if recent:
        matmul.fp32_precision = "none"
    torch = types.SimpleNamespace(
        __version__="2.9.0" if recent else "2.4.1",
        version=types.SimpleNamespace(cuda="12.8"),
        cuda=types.SimpleNamespace(get_device_name=lambda index: "NVIDIA H200"),
        backends=types.SimpleNamespace(cuda=types.SimpleNamespace(matmul=matmul)),
        precision=[],
    )
    torch.set_float32_matmul_precision = torch.precision.append
    return torch


class PrecisionSetting(unittest.TestCase):
    def test_recent_torch_gets_fp32_precision(self):
        torch = fake_torch(recent=True)
        used = bench.set_fp32_matmul(torch, tf32=True)
        self.assertEqual(torch.backends.cuda.matmul.fp32_precision, "tf32")
        self.assertEqual(used, "torch.backends.cuda.matmul.fp32_precision")
        bench.set_fp32_matmul(torch, tf32=False)
        self.assertEqual(torch.backends.cuda.matmul.fp32_precision, "ieee")
        self.assertEqual(torch.precision, [], "the older API is not called as well")

    def test_older_torch_gets_set_float32_matmul_precision(self):
        torch = fake_torch(recent=False)
        bench.set_fp32_matmul(torch, tf32=True)
        bench.set_fp32_matmul(torch, tf32=False)
        self.assertEqual(torch.precision, ["high", "highest"])


class Versions(unittest.TestCase):
    def test_header_names_torch_cuda_and_each_cublas_with_its_version(self):
        libs = ["/opt/torch/lib/libcublas.so.12", "/opt/torch/lib/libcublasLt.so.12"]
        text = bench.describe_versions(fake_torch(recent=True), libs,
                                       version_of=lambda path: "12.8.4")
        self.assertIn("# torch 2.9.0 (CUDA 12.8) on NVIDIA H200", text)
        self.assertIn("fp32 matmul precision set with torch.backends.cuda.matmul.fp32_precision",
                      text)
        self.assertIn("# torch loaded /opt/torch/lib/libcublas.so.12 cuBLAS 12.8.4", text)
        self.assertIn("libcublasLt.so.12 cuBLAS (cuBLASLt)", text)

    def test_no_visible_cublas_is_said(self):
        text = bench.describe_versions(fake_torch(recent=False), [])
        self.assertIn("set_float32_matmul_precision", text)
        self.assertIn("no libcublas", text)

    def test_a_library_that_cannot_answer_is_unknown(self):
        self.assertEqual(bench.cublas_version("/nonexistent/libcublas.so.12"), "unknown")


if __name__ == "__main__":
    unittest.main()
