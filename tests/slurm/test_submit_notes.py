"""slurm/submit's reading of `gemmsweep plan` and its notes per backend; needs no cluster.
Usage: test_submit_notes.py GEMMSWEEP"""

import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUBMIT = os.path.join(HERE, "..", "..", "slurm", "submit")
loader = importlib.machinery.SourceFileLoader("submit", SUBMIT)
spec = importlib.util.spec_from_loader("submit", loader)
submit = importlib.util.module_from_spec(spec)
loader.exec_module(submit)

gemmsweep = sys.argv[1]


def plan_of(backend):
    with tempfile.TemporaryDirectory() as work:
        job = os.path.join(work, "job.toml")
        with open(job, "w") as f:
            f.write('name = "notes"\nops = ["attention_score"]\ndtype = "fp32"\n'
                    '[model]\nheads = 4\nhead_dim = [8, 16]\nmicrobatch = 1\nseq_length = 64\n'
                    f'tensor_parallel = 1\n[run]\nbackend = "{backend}"\n')
        return subprocess.run([gemmsweep, "plan", job], capture_output=True, text=True,
                              check=True).stdout


# The estimate still parses now that plan adds the seconds hours would round away.
cpu_plan = plan_of("cpu")
hours, gpu = submit.estimate_gpu_hours(cpu_plan)
assert gpu == "A100" and 0 < hours < 1e-3, (hours, gpu, cpu_plan)
assert submit.BACKEND_RE.search(cpu_plan).group(1) == "cpu", cpu_plan

cpu = submit.backend_notes("cpu", 0, "A100", cpu_plan)
assert len(cpu) == 1 and "cpu backend takes far longer" in cpu[0], cpu
assert "at most about" in cpu[0], cpu  # plan's bound for the cpu
# The model backend is not the cpu backend: no cpu warning, a note of its own.
model = submit.backend_notes("model", 0, "A100", plan_of("model"))
assert len(model) == 1 and "cpu" not in model[0] and "predicts" in model[0], model
# auto on nodes without GPUs means the cpu; on GPU nodes nothing to add.
assert "falls back to the cpu" in submit.backend_notes("auto", 0, "A100", cpu_plan)[0]
assert submit.backend_notes("auto", 4, "A100", cpu_plan) == []
assert submit.backend_notes("cuda", 4, "A100", cpu_plan) == []
print("submit notes test: ok")
