"""Instructions per execution of one statement, counted by valgrind's callgrind as icount.py
counts a step (the per-call figures in docs/speed.md come from this).

    python benchmarks/icount_stmt.py 'import numpy as np; a = np.ones((256, 64), np.float32); \
b = np.ones(64, np.float32)' 'a + b'

The setup runs once; the statement runs `--reps` times in a loop once to warm up, then again
inside one `operator.call`, which is all callgrind counts. The same loop with `pass` is counted
too and subtracted, so the figure is the statement's own cost. BLAS runs on one thread.
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import operator  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402


def run(setup, stmt, reps):
    namespace = {}
    exec(setup, namespace)
    loop = compile(f"for _ in range({reps}):\n    {stmt}\n", "<stmt>", "exec")
    exec(loop, namespace)  # warm-up: caches, lazy imports, the allocator's pools
    operator.call(exec, loop, namespace)  # callgrind counts inside this call only


def count(setup, stmt, reps, keep=None):
    cmd = ["valgrind", "--tool=callgrind", "--toggle-collect=_operator_call*",
           f"--callgrind-out-file={keep or os.devnull}", sys.executable,
           os.path.abspath(__file__), "--run", "--reps", str(reps), setup, stmt]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if m is None:
        sys.exit(proc.stderr[-2000:])
    return int(m.group(1))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("setup")
    ap.add_argument("stmt", nargs="+", help="one or more statements, each counted on its own")
    ap.add_argument("--reps", type=int, default=300)
    ap.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--profile", metavar="FILE", help="keep the callgrind output of the last")
    args = ap.parse_args(argv)
    if args.run:
        run(args.setup, args.stmt[0], args.reps)
        return
    empty = count(args.setup, "pass", args.reps)
    for k, stmt in enumerate(args.stmt):
        keep = args.profile if k == len(args.stmt) - 1 else None
        n = count(args.setup, stmt, args.reps, keep)
        print(f"{(n - empty) / args.reps:12,.0f}  {stmt}")


if __name__ == "__main__":
    main()
