"""W5: start-up of the pipe path, whole process, against `python -c "import numpy"`.

    python benchmarks/startup_bench.py [--runs 15] [--gradsh PATH]

Both commands run alternately (the machine is shared and noisy); the figure is the median of
each, and their ratio (target: at most 1.3). Also prints the same for `import gradsh` alone, so
the CLI's own share is visible.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

PROGRAM = b"print(ones(2) + 1)\n"


def _time(cmd, stdin=b""):
    t0 = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (cmd, done.returncode, done.stderr.decode()))
    return elapsed, done.stdout


def _default_gradsh():
    """The console script beside this Python (the venv's), else the one on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), "gradsh")
    return here if os.path.exists(here) else (shutil.which("gradsh") or "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--gradsh", default=_default_gradsh())
    ns = ap.parse_args()
    py = sys.executable
    env_note = "OMP_NUM_THREADS=%s" % os.environ.get("OMP_NUM_THREADS", "unset")
    gradsh = [ns.gradsh] if ns.gradsh else [py, "-m", "gradsh"]
    systems = {
        "gradsh pipe": (gradsh, PROGRAM),
        "python -c 'import numpy'": ([py, "-c", "import numpy"], b""),
        "python -c 'import gradsh'": ([py, "-c", "import gradsh"], b""),
    }
    out = _time(*systems["gradsh pipe"])[1]
    if out.strip() != b"tensor([2., 2.])":
        raise SystemExit("unexpected output from gradsh: %r" % out)
    times = {name: [] for name in systems}
    for _ in range(ns.runs):
        for name, (cmd, stdin) in systems.items():
            times[name].append(_time(cmd, stdin)[0])
    base = statistics.median(times["python -c 'import numpy'"])
    print("W5 start-up, %d runs each, interleaved (%s); command: %s" % (ns.runs, env_note,
                                                                         " ".join(gradsh)))
    for name, ts in times.items():
        med = statistics.median(ts)
        print("  %-28s median %6.1f ms   ratio to numpy %.2f" % (name, med * 1e3, med / base))
    ratio = statistics.median(times["gradsh pipe"]) / base
    print("W5 ratio %.2f (target <= 1.3): %s" % (ratio, "met" if ratio <= 1.3 else "NOT met"))


if __name__ == "__main__":
    main()
