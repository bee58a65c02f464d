#!/usr/bin/python3
"""Slurm tests: submit slurm/submit's jobs to the real cluster of tests/slurm/cluster.sh.

    slurm_cases.py CASE --gemmsweep PATH --work DIR

CASE is one of: submit_cli (no cluster), single_job, array_merge, time_limit, two_nodes,
mpirun_job.
Each case asserts on Slurm's job records (scontrol), the job logs and the results files (h5py).
"""

import argparse
import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SUBMIT = os.path.join(REPO, "slurm", "submit")
CLUSTER = os.path.join(HERE, "cluster.sh")
JOB_TOML = os.path.join(HERE, "slurm_job.toml")
# A directory name that a shell would split, expand or execute: every path below lives in it, so
# any unquoted interpolation in submit or the sbatch scripts breaks a test or creates the marker.
NASTY = "run dir $(touch INJECTED) 'q' \"dq\" ;x"
TERMINAL = {"COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "NODE_FAIL", "OUT_OF_MEMORY",
            "BOOT_FAIL", "DEADLINE", "PREEMPTED"}


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def cluster_env():
    out = subprocess.run([CLUSTER, "env"], check=True, capture_output=True, text=True).stdout
    env = dict(os.environ)
    for line in out.splitlines():
        m = re.fullmatch(r"export (\w+)=(.*)", line.strip())
        if m:
            env[m.group(1)] = shlex.split(m.group(2))[0]
    return env


def run(cmd, env=None, check=True):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise Failure(f"{shlex.join(cmd)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc


def expected_tasks(gemmsweep, job):
    plan = run([gemmsweep, "plan", job]).stdout
    tasks = int(re.search(r"^tasks:\s*(\d+)", plan, re.M).group(1))
    skipped = int(re.search(r"^skipped:\s*(\d+)", plan, re.M).group(1))
    return tasks + skipped


def job_records(env, job_id):
    """scontrol's records of a job (one per array task): list of dicts."""
    proc = run(["scontrol", "show", "job", "-o", str(job_id)], env=env, check=False)
    if proc.returncode != 0:
        raise Failure(f"scontrol show job {job_id}: {proc.stderr.strip()}")
    records = []
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        rec = {}
        for field in re.finditer(r"(\w+)=(\S*)", line):
            rec.setdefault(field.group(1), field.group(2))
        records.append(rec)
    return records


def wait_jobs(env, job_ids, timeout_s):
    """Polls until every job (every array task) is in a terminal state; returns their records."""
    deadline = time.monotonic() + timeout_s
    while True:
        records = [r for j in job_ids for r in job_records(env, j)]
        if records and all(r["JobState"] in TERMINAL for r in records):
            return records
        if time.monotonic() > deadline:
            states = ", ".join(f"{r['JobId']}:{r['JobState']}" for r in records)
            raise Failure(f"jobs {job_ids} not finished after {timeout_s} s: {states}")
        time.sleep(1)


def read_results(path):
    expect(os.path.isfile(path), f"results file {path} missing")
    with h5py.File(path, "r") as f:
        rows = f["results"][()]
        attrs = dict(f.attrs)
    return rows, attrs


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def check_complete(path, n_expected, what):
    rows, attrs = read_results(path)
    ids = rows["task_id"]
    expect(len(ids) == n_expected, f"{what}: {len(ids)} rows, expected {n_expected}")
    expect(len(np.unique(ids)) == len(ids), f"{what}: duplicate task ids {sorted(ids)}")
    statuses = {text(s) for s in rows["status"]}
    expect(statuses <= {"ok", "skipped"}, f"{what}: statuses {statuses}")
    expect(bool(attrs.get("complete")), f"{what}: attribute complete is {attrs.get('complete')}")
    return rows


def submit(env, args, cwd):
    proc = subprocess.run([SUBMIT] + args, env=env, cwd=cwd, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    expect(proc.returncode == 0, f"slurm/submit exited {proc.returncode}")
    return proc.stdout


def show_logs(work):
    for name in sorted(os.listdir(work)):
        if name.endswith(".log"):
            with open(os.path.join(work, name), errors="replace") as f:
                print(f"----- {name}\n{f.read()}")


def fresh_workdir(base, case):
    work = os.path.join(base, case, NASTY)
    shutil.rmtree(os.path.join(base, case), ignore_errors=True)
    os.makedirs(work)
    job = os.path.join(work, "job 1.toml")
    shutil.copy(JOB_TOML, job)
    return work, job


def assert_not_injected(work):
    for root, _, files in os.walk(os.path.dirname(work)):
        expect("INJECTED" not in files, f"a shell ran $(touch INJECTED) in {root}")
    expect(not os.path.exists("INJECTED"), "a shell ran $(touch INJECTED) in the test's cwd")


def start_case(a, case, out_name, env=None):
    """The cluster's environment, a fresh work directory with the job file, and the output path."""
    env = env if env is not None else cluster_env()
    work, job = fresh_workdir(a.work, case)
    return env, work, job, os.path.join(work, out_name)


def submit_single(a, env, work, job, out_h5, nodes, tasks_per_node, time_limit, simulate):
    """Submits one CPU-only job (no shards) and returns its Slurm job id."""
    out = submit(env, [job, "--nodes", str(nodes), "--gpus-per-node", "0", "--tasks-per-node",
                       str(tasks_per_node), "--output", out_h5, "--time", str(time_limit),
                       "--gemmsweep", a.gemmsweep, "--", "--simulate", str(simulate)], work)
    return re.search(r"^submitted job (\d+)", out, re.M).group(1)


def wait_completed(env, job_id, timeout_s):
    """Waits for one job and expects it COMPLETED with exit 0; returns its record."""
    (rec,) = wait_jobs(env, [job_id], timeout_s)
    expect(rec["JobState"] == "COMPLETED" and rec["ExitCode"] == "0:0",
           f"job {job_id}: {rec['JobState']} exit {rec['ExitCode']}")
    return rec


def expect_ranks(rows, ranks, what):
    seen = set(int(r) for r in rows["rank"])
    expect(seen == ranks, f"rows measured by ranks {seen}, expected {what}")


@contextlib.contextmanager
def showing_logs(work):
    """Prints the job logs when a check fails; on success, checks that no shell ran the marker."""
    try:
        yield
    except Failure:
        show_logs(work)
        raise
    assert_not_injected(work)


# --- cases ---------------------------------------------------------------------------------------
def case_submit_cli(a):
    """Dry runs: the printed commands parse back to exactly the intended arguments; bad input -> 2."""
    work, job = fresh_workdir(a.work, "submit_cli")
    env = dict(os.environ)
    out = submit(env, [job, "--nodes", "2", "--gpus-per-node", "4", "--partition", "gpu x",
                       "--account", "a;b", "--output", os.path.join(work, "o $x.h5"), "--time",
                       "90", "--gemmsweep", a.gemmsweep, "--dry-run", "--", "--order", "grid"],
                 work)
    line = next(l for l in out.splitlines() if l.startswith("env "))
    argv = shlex.split(line)
    expect("--partition=gpu x" in argv and "--account=a;b" in argv, f"partition/account: {argv}")
    expect("--nodes=2" in argv and "--ntasks-per-node=4" in argv and "--gpus-per-node=4" in argv,
           f"one rank per GPU: {argv}")
    expect(argv[-4:] == [job, os.path.join(work, "o $x.h5"), "--order", "grid"],
           f"payload arguments: {argv[-4:]}")
    expect("--time=90" in argv, f"time: {argv}")

    out = submit(env, [job, "--nodes", "1", "--gpus-per-node", "0", "--tasks-per-node", "3",
                       "--shards", "4", "--output", os.path.join(work, "s.h5"), "--time", "5",
                       "--gemmsweep", a.gemmsweep, "--dry-run"], work)
    lines = [shlex.split(l) for l in out.splitlines() if l.startswith("env ")]
    expect(len(lines) == 2, f"array + merge: {out}")
    expect("GEMMSWEEP_SHARDS=4" in lines[0] and "--array=0-3" in lines[0], f"array: {lines[0]}")
    expect("--ntasks-per-node=3" in lines[0] and not any("gpus" in x for x in lines[0]),
           f"cpu ranks: {lines[0]}")
    expect("--dependency=afterok:DRYRUN" in lines[1], f"merge dependency: {lines[1]}")
    expect(lines[1][-5:] == [os.path.join(work, "s.h5")] +
           [os.path.join(work, f"s.shard-{i}.h5") for i in range(4)], f"merge inputs: {lines[1]}")

    # --time from the estimate of `gemmsweep plan`.
    out = submit(env, [job, "--nodes", "1", "--gpus-per-node", "8", "--gpu", "H100",
                       "--gemmsweep", a.gemmsweep, "--dry-run"], work)
    expect(re.search(r"on H100; 8 ranks -> time limit \d\d:\d\d:00", out),
           f"estimated time limit: {out}")
    # A tiny job: 1.5 x ~0 + 10 min + 2 min lead, rounded up to 5 min.
    expect("--time=00:15:00" in out, f"time limit of a tiny job: {out}")

    base = ["--time", "5", "--gemmsweep", a.gemmsweep, "--dry-run"]
    for bad in (["--nodes", "1", "--gpus-per-node", "0", "--backend", "gpu"],
                ["--nodes", "0", "--gpus-per-node", "0"],
                ["--nodes", "1", "--gpus-per-node", "0", "--shards", "0"],
                ["--nodes", "1", "--gpus-per-node", "0", "--output", "x.txt"],
                ["--nodes", "1", "--gpus-per-node", "0", "--time", "soon"],
                ["--nodes", "1", "--gpus-per-node", "2", "--tasks-per-node", "3"],
                ["--nodes", "1", "--gpus-per-node", "0", "--", "--shard", "0/2"]):
        proc = subprocess.run([SUBMIT, job] + base + bad, cwd=work, capture_output=True, text=True)
        expect(proc.returncode == 2, f"{bad}: exit {proc.returncode}, expected 2: {proc.stderr}")
        expect("error" in proc.stderr, f"{bad}: no error message: {proc.stderr}")
    bad_job = os.path.join(work, "bad job.toml")
    with open(bad_job, "w") as f:
        f.write('name = "x"\nops = ["gemm"]\ndtype = "fp99"\n[shape]\nm = 1\nn = 1\nk = 1\n')
    proc = subprocess.run([SUBMIT, bad_job, "--nodes", "1", "--gpus-per-node", "0", "--time",
                           "5", "--gemmsweep", a.gemmsweep], cwd=work, capture_output=True,
                          text=True)
    expect(proc.returncode == 2 and "fp99" in proc.stderr and "sbatch" not in proc.stdout,
           f"bad job file: exit {proc.returncode}: {proc.stdout}{proc.stderr}")
    proc = subprocess.run([SUBMIT, os.path.join(work, "missing.toml"), "--nodes", "1",
                           "--gpus-per-node", "0", "--gemmsweep", a.gemmsweep],
                          cwd=work, capture_output=True, text=True)
    expect(proc.returncode == 2 and "missing.toml" in proc.stderr, f"missing job: {proc.stderr}")
    assert_not_injected(work)


def case_single_job(a):
    """One job, 2 ranks under srun --mpi=pmix: complete file, rows from both ranks."""
    env, work, job, out_h5 = start_case(a, "single_job", "out 1.h5")
    job_id = submit_single(a, env, work, job, out_h5, 1, 2, 5, a.simulate_fast)
    with showing_logs(work):
        wait_completed(env, job_id, 240)
        rows = check_complete(out_h5, expected_tasks(a.gemmsweep, job), "single job")
        expect_ranks(rows, {0, 1}, "one MPI job of 2 ranks")
        _, attrs = read_results(out_h5)
        expect(text(attrs.get("slurm_job_id")) == job_id,
               f"provenance slurm_job_id {attrs.get('slurm_job_id')!r}, expected {job_id}")
        log = open(os.path.join(work, f"out 1-{job_id}.log")).read()
        expect("srun --mpi=pmix" in log and "2 ranks" in log, "log does not show the srun line")


def case_array_merge(a):
    """3 shards as an array + merge job (afterok): the merged file has every task exactly once."""
    env, work, job, out_h5 = start_case(a, "array_merge", "sweep.h5")
    out = submit(env, [job, "--nodes", "1", "--gpus-per-node", "0", "--tasks-per-node", "1",
                       "--shards", "3", "--output", out_h5, "--time", "5", "--gemmsweep",
                       a.gemmsweep, "--", "--simulate", str(a.simulate_fast)], work)
    m = re.search(r"^submitted array job (\d+) .* merge job (\d+)", out, re.M)
    array_id, merge_id = m.group(1), m.group(2)
    with showing_logs(work):
        records = wait_jobs(env, [array_id, merge_id], 240)
        states = {r["JobId"]: (r["JobState"], r["ExitCode"]) for r in records}
        expect(len(records) == 4, f"expected 3 array tasks and a merge job: {states}")
        expect(all(s == ("COMPLETED", "0:0") for s in states.values()), f"job states {states}")
        tasks = sorted(r.get("ArrayTaskId") for r in records if r.get("ArrayJobId") == array_id)
        expect(tasks == ["0", "1", "2"], f"array task ids {tasks}")
        n = expected_tasks(a.gemmsweep, job)
        merged = check_complete(out_h5, n, "merged file")
        seen = []
        for i in range(3):
            shard_rows, _ = read_results(os.path.join(work, f"sweep.shard-{i}.h5"))
            expect(len(shard_rows) > 0, f"shard {i} is empty")
            seen.extend(int(t) for t in shard_rows["task_id"])
        expect(len(seen) == len(set(seen)) == n, f"shards overlap or miss tasks: {len(seen)} rows, "
               f"{len(set(seen))} distinct, expected {n}")
        expect(set(seen) == set(int(t) for t in merged["task_id"]), "merged ids differ from shards")


def case_time_limit(a):
    """--time shorter than the work: SIGTERM, exit 3, requeue, resume; nothing lost or doubled."""
    env, work, job, out_h5 = start_case(a, "time_limit", "long.h5")
    # A 1-minute limit: the script signals at half of it (30 s), the work takes about 45 s.
    job_id = submit_single(a, env, work, job, out_h5, 1, 2, 1, a.simulate_slow)
    with showing_logs(work):
        rec = wait_completed(env, job_id, 280)
        log = open(os.path.join(work, f"long-{job_id}.log")).read()
        restarts = int(rec["Restarts"])
        expect(restarts >= 1, f"job was never requeued (Restarts={restarts})")
        expect(log.count("gemmsweep exited 3") == restarts,
               f"{restarts} restarts but {log.count('gemmsweep exited 3')} exits with status 3")
        expect(log.count("requeueing job") == restarts, "requeue lines do not match restarts")
        expect("--resume" in log, "restarted run did not pass --resume")
        check_complete(out_h5, expected_tasks(a.gemmsweep, job), "requeued job")


def case_two_nodes(a):
    """Two slurmd node names on this host: one MPI job across both, one rank on each."""
    env = cluster_env()
    nodes = run(["sinfo", "-h", "-N", "-o", "%N"], env=env).stdout.split()
    expect(len(nodes) == 2, f"cluster has nodes {nodes}: two slurmd node names on one host "
           "did not start here (see tests/slurm/cluster.sh)")
    _, work, job, out_h5 = start_case(a, "two_nodes", "two.h5", env)
    job_id = submit_single(a, env, work, job, out_h5, 2, 1, 5, a.simulate_fast)
    with showing_logs(work):
        rec = wait_completed(env, job_id, 240)
        expect(rec["NumNodes"] == "2", f"job ran on {rec['NumNodes']} nodes: {rec['NodeList']}")
        rows = check_complete(out_h5, expected_tasks(a.gemmsweep, job), "two-node job")
        expect_ranks(rows, {0, 1}, "ranks 0 and 1")


def case_mpirun_job(a):
    """GEMMSWEEP_LAUNCHER=mpirun: Open MPI's mpirun inside the allocation, across both nodes."""
    env = cluster_env()
    env.update(GEMMSWEEP_LAUNCHER="mpirun", OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    _, work, job, out_h5 = start_case(a, "mpirun_job", "mpi.h5", env)
    nodes = len(run(["sinfo", "-h", "-N", "-o", "%N"], env=env).stdout.split())
    job_id = submit_single(a, env, work, job, out_h5, nodes, 3 - nodes, 5, a.simulate_fast)
    with showing_logs(work):
        wait_completed(env, job_id, 240)
        log = open(os.path.join(work, f"mpi-{job_id}.log")).read()
        expect("gemmsweep.sbatch: mpirun -np 2 " in log, "log does not show the mpirun line")
        rows = check_complete(out_h5, expected_tasks(a.gemmsweep, job), "mpirun job")
        expect_ranks(rows, {0, 1}, "ranks 0 and 1")


CASES = {"submit_cli": case_submit_cli, "single_job": case_single_job,
         "array_merge": case_array_merge, "time_limit": case_time_limit,
         "two_nodes": case_two_nodes, "mpirun_job": case_mpirun_job}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--gemmsweep", required=True)
    p.add_argument("--work", required=True)
    # Model backend: each task sleeps its predicted time x this factor.
    p.add_argument("--simulate-fast", type=float, default=200)
    p.add_argument("--simulate-slow", type=float, default=1700)
    a = p.parse_args()
    a.gemmsweep = os.path.abspath(a.gemmsweep)
    a.work = os.path.abspath(a.work)
    started = time.monotonic()
    try:
        CASES[a.case](a)
    except Failure as e:
        print(f"FAIL {a.case}: {e}", file=sys.stderr)
        return 1
    print(f"PASS {a.case} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
