"""How long gradsh takes for randn(10**7) in float32, against numpy's own standard_normal.

Run: /work/venv/bin/python benchmarks/rng_bench.py [--repeats 7] [--n 10000000]
Both are timed in the same run, alternately, and the medians compared (wall clock, and CPU time
of this process, which is less disturbed by other jobs on the machine).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gradsh.core.random import Generator  # noqa: E402


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**7)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    gen = Generator(0)
    rng = np.random.default_rng(0)
    ours = lambda: gen.normal((args.n,), np.float32)  # noqa: E731
    theirs = lambda: rng.standard_normal(args.n, dtype=np.float32)  # noqa: E731
    ours(), theirs()  # warm up (page faults, thread pool start)
    results = {"gradsh": [], "numpy": []}
    for _ in range(args.repeats):
        results["gradsh"].append(timed(ours))
        results["numpy"].append(timed(theirs))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in results.items()}
    for name, (wall, cpu) in med.items():
        print(f"{name:7s} normal(({args.n},), float32): wall {wall * 1e3:7.1f} ms   "
              f"cpu {cpu * 1e3:7.1f} ms")
    print(f"ratio gradsh/numpy: wall {med['gradsh'][0] / med['numpy'][0]:.2f}   "
          f"cpu {med['gradsh'][1] / med['numpy'][1]:.2f}")


if __name__ == "__main__":
    main()
