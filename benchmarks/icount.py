"""Instructions per step of a workload, counted by valgrind's callgrind (noise-free on a busy
machine, unlike wall time).

    python benchmarks/icount.py W1 gradsh      # instructions per W1 step on gradsh
    python benchmarks/icount.py W1c20 torch    # ... on PyTorch; `floor` for the numpy floor

It runs the program under `valgrind --tool=callgrind`, counting only what runs inside one call of
`operator.call` (the timed loop: not the imports, the set-up or the warm-up), and prints the
count divided by the number of steps. `--profile` keeps callgrind's output for
callgrind_annotate.
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import operator  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def make_step(workload, system):
    sys.path.insert(0, HERE)
    if system == "floor":
        import floor
        return floor.FLOORS[workload]()[0]
    import workloads
    if system == "torch":
        import torch
        torch.set_num_threads(1)
        module = torch
    else:
        import gradsh as module
    return workloads.WORKLOADS[workload](module)[0]


def run_steps(workload, system, steps):
    step = make_step(workload, system)
    for _ in range(20):  # warm-up: caches, lazy imports, the allocator's pools
        step()
    operator.call(_loop, step, steps)  # callgrind counts inside this call only


def _loop(step, steps):
    for _ in range(steps):
        step()


def count(workload, system, steps, keep=None):
    out = keep or tempfile.mktemp(prefix="callgrind.", suffix=".out")
    cmd = ["valgrind", "--tool=callgrind", "--toggle-collect=_operator_call*",
           f"--callgrind-out-file={out}", sys.executable,
           os.path.abspath(__file__), "--run", workload, system, "--steps", str(steps)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if m is None:
        sys.exit(proc.stderr[-2000:])
    if keep is None:
        os.unlink(out)
    return int(m.group(1))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("workload")
    ap.add_argument("system", choices=("gradsh", "torch", "floor"))
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--profile", metavar="FILE", help="keep the callgrind output here")
    args = ap.parse_args(argv)
    if args.run:
        run_steps(args.workload, args.system, args.steps)
        return
    n = count(args.workload, args.system, args.steps, args.profile)
    print(f"{args.workload} {args.system}: {n / args.steps:,.0f} instructions per step")


if __name__ == "__main__":
    main()
