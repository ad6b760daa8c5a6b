"""W5: start-up of the pipe path, whole process, against `python -c "import numpy"`.

    python benchmarks/startup_bench.py [--runs 15] [--gradsh PATH]
    python benchmarks/startup_bench.py --against /path/to/other/checkout   # A/B, CPU time

Both commands run alternately (the machine is shared and noisy); the figure is the median of
each, and their ratio (target: at most 1.3). Also prints the same for `import gradsh` alone, so
the CLI's own share is visible. Beside wall time it reports each process's CPU time (user +
system, its threads and children included), which a loaded machine disturbs less. `--against
DIR` adds `python -m gradsh` run from another checkout (PYTHONPATH=DIR; its .py files compiled
first, as an installed copy's are) and prints this checkout's CPU time over that one's, round by
round.

gradsh's own .py files are compiled first (as pip compiles an installed copy's): with stale or
missing .pyc files (a checkout run with PYTHONDONTWRITEBYTECODE=1, as some sandboxes set) every
run would compile ~150 modules from source and the figure would say nothing of a user's start-up.
"""

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

PROGRAM = b"print(ones(2) + 1)\n"


def _time(cmd, stdin=b"", env=None):
    """(wall seconds, CPU seconds, stdout) of one run of cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (cmd, done.returncode, done.stderr.decode()))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout


def _default_gradsh():
    """The console script beside this Python (the venv's), else the one on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), "gradsh")
    return here if os.path.exists(here) else (shutil.which("gradsh") or "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--gradsh", default=_default_gradsh())
    ap.add_argument("--against", metavar="DIR", help="another checkout to compare (CPU time)")
    ns = ap.parse_args()
    py = sys.executable
    env_note = "OMP_NUM_THREADS=%s" % os.environ.get("OMP_NUM_THREADS", "unset")
    gradsh = [ns.gradsh] if ns.gradsh else [py, "-m", "gradsh"]
    systems = {
        "gradsh pipe": (gradsh, PROGRAM),
        "python -c 'import numpy'": ([py, "-c", "import numpy"], b""),
        "python -c 'import gradsh'": ([py, "-c", "import gradsh"], b""),
    }
    envs = {}
    import gradsh as here  # (lazy: this imports no core)
    compileall.compile_dir(os.path.dirname(here.__file__), quiet=1)
    if ns.against:
        compileall.compile_dir(os.path.join(ns.against, "gradsh"), quiet=1)
        systems["pipe, --against"] = ([py, "-m", "gradsh"], PROGRAM)
        envs["pipe, --against"] = dict(os.environ, PYTHONPATH=ns.against)
    for name, (cmd, stdin) in systems.items():
        out = _time(cmd, stdin, envs.get(name))[2]
        if stdin and out.strip() != b"tensor([2., 2.])":
            raise SystemExit("unexpected output from %s: %r" % (name, out))
    times = {name: [] for name in systems}
    cpus = {name: [] for name in systems}
    for _ in range(ns.runs):
        for name, (cmd, stdin) in systems.items():
            wall, cpu, _ = _time(cmd, stdin, envs.get(name))
            times[name].append(wall)
            cpus[name].append(cpu)
    base = statistics.median(times["python -c 'import numpy'"])
    cpu_base = statistics.median(cpus["python -c 'import numpy'"])
    print("W5 start-up, %d runs each, interleaved (%s); command: %s" % (ns.runs, env_note,
                                                                         " ".join(gradsh)))
    for name, ts in times.items():
        med = statistics.median(ts)
        cpu = statistics.median(cpus[name])
        print("  %-28s median %6.1f ms   ratio to numpy %.2f   CPU %6.1f ms, ratio %.2f"
              % (name, med * 1e3, med / base, cpu * 1e3, cpu / cpu_base))
    if ns.against:
        r = [a / b for a, b in zip(cpus["gradsh pipe"], cpus["pipe, --against"])]
        print("pipe CPU time, this checkout over --against, round by round: median %.3f "
              "(%.3f-%.3f)" % (statistics.median(r), min(r), max(r)))
    ratio = statistics.median(times["gradsh pipe"]) / base
    print("W5 ratio %.2f (target <= 1.3): %s" % (ratio, "met" if ratio <= 1.3 else "NOT met"))


if __name__ == "__main__":
    main()
