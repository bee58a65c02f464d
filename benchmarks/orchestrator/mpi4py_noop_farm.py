"""The Python task farm the dispatch benchmark compares against: mpi4py.futures' MPIPoolExecutor
mapping a no-op over N items (rank 0 is the client, the other ranks are its workers).

    mpiexec -n 4 /usr/bin/python3 -m mpi4py.futures mpi4py_noop_farm.py [N] [CHUNKSIZE]
"""
import sys
import time

from mpi4py.futures import MPIPoolExecutor


def noop(x):
    return x


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    chunksize = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with MPIPoolExecutor() as executor:
        # Start the workers before the clock, as gemmsweep's number excludes MPI start-up too.
        list(executor.map(noop, range(100)))
        start = time.perf_counter()
        done = sum(1 for _ in executor.map(noop, range(n), chunksize=chunksize))
        elapsed = time.perf_counter() - start
    assert done == n
    print(f"mpi4py.futures: {n} no-op tasks, chunksize {chunksize}, {elapsed:.3f} s, "
          f"{n / elapsed:.4g} tasks/s", flush=True)


if __name__ == "__main__":
    main()
