"""J1-J3: the Jupyter kernel's start, and what :plot and tqdm add to a training loop.

    python benchmarks/jupyter_bench.py [--runs 5] [--steps 10000] [--plot-steps 2000]

J1  kernel start to first result: from starting the gradsh kernel (a new process, as a front
    end does) to the execute_result of `1 + 1` (target <= 1.0 s). Needs gradsh[jupyter].
J2  `:plot losses` of the losses of a --plot-steps training loop, against that loop's time
    (target < 5%); the first :plot of a session also imports uniplot, so both are shown.
J3  a --steps training loop with `for i in trange(n)` against `for i in range(n)`, tqdm silent
    (stderr not a terminal, the default in scripts and CI) and drawn (a terminal-like stream)
    (target < 5%). Rounds alternate the variants; figures are medians.
"""

import argparse
import io
import os
import statistics
import sys
import time

from gradsh.cli.args import parse_args
from gradsh.cli.env import Environment
from gradsh.cli.loader import SessionLoader
from gradsh.cli.meta import run_meta
from gradsh.cli.run import make_session
from gradsh.cli.state import ReplState

STEP = """
loss = ((x @ w - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    w -= 0.01 * w.grad
w.grad.zero_()
"""
SETUP = """import torch
torch.manual_seed(0)
w = torch.randn(8, 1, requires_grad=True)
x = torch.randn(64, 8)
y = torch.randn(64, 1)
losses = []
"""


def loop(range_name, steps, record=False):
    body = STEP + ("losses.append(loss.item())\n" if record else "")
    indented = "".join("    " + line + "\n" for line in body.strip("\n").split("\n"))
    return "for i in %s(%d):\n%s" % (range_name, steps, indented)


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _session(drawn_to=None):
    from gradsh import progress
    session = make_session(Environment(stdout=io.StringIO(), stderr=io.StringIO()), [""])
    session.run(SETUP, "<setup>")
    if drawn_to is not None:
        session.globals["trange"] = lambda *a, **k: progress.trange(*a, file=drawn_to, **k)
    else:
        session.run("from tqdm import trange", "<setup>")
    return session


def _timed_run(session, source):
    t0 = time.perf_counter()
    session.run(source, "<bench>")
    return time.perf_counter() - t0


def bench_tqdm(runs, steps):
    times = {"range": [], "trange (silent)": [], "trange (drawn)": []}
    for _ in range(runs):
        for name in times:
            if name == "range":
                session, src = _session(), loop("range", steps)
            elif name == "trange (silent)":
                session, src = _session(), loop("trange", steps)
            else:
                session, src = _session(_Terminal()), loop("trange", steps)
            times[name].append(_timed_run(session, src))
    base = statistics.median(times["range"])
    print("J3  training loop of %d steps (median of %d)" % (steps, runs))
    for name, ts in times.items():
        med = statistics.median(ts)
        extra = "" if name == "range" else "  +%.1f%%  (target < 5%%)" % (100 * (med / base - 1))
        print("    %-18s %.3f s%s" % (name, med, extra))


def bench_plot(runs, steps):
    loops, firsts, warms = [], [], []
    for _ in range(runs):
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), width=100)
        session = make_session(env, [""])
        state = ReplState(env, parse_args([]), SessionLoader(None, session))
        session.run(SETUP, "<setup>")
        loops.append(_timed_run(session, loop("range", steps, record=True)))
        for name in [m for m in sys.modules if m.split(".")[0] in ("uniplot", "readchar")]:
            del sys.modules[name]   # the first :plot of a session imports them
        t0 = time.perf_counter()
        run_meta(state, ":plot losses")
        firsts.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_meta(state, ":plot losses")
        warms.append(time.perf_counter() - t0)
        assert "x: index (0 to %d)" % (steps - 1) in env.stdout.getvalue(), env.stderr.getvalue()
    base = statistics.median(loops)
    print("J2  :plot of %d losses against their %d-step loop (median of %d)" % (steps, steps,
                                                                                runs))
    print("    loop %.3f s; :plot %.1f ms (+%.1f%%), first in a session %.1f ms (+%.1f%%)  "
          "(target < 5%%)" % (base, 1e3 * statistics.median(warms),
                              100 * statistics.median(warms) / base,
                              1e3 * statistics.median(firsts),
                              100 * statistics.median(firsts) / base))


def bench_kernel(runs):
    try:
        from jupyter_client.manager import KernelManager
    except ImportError:
        print("J1  skipped: the jupyter extra is not installed (pip install 'gradsh[jupyter]')")
        return
    import json
    import tempfile

    from gradsh.kernel.spec import kernel_json
    folder = tempfile.mkdtemp(prefix="gradsh-bench-")
    os.makedirs(os.path.join(folder, "kernels", "gradsh"))
    with open(os.path.join(folder, "kernels", "gradsh", "kernel.json"), "w") as f:
        json.dump(kernel_json(), f)
    os.environ["JUPYTER_PATH"] = folder
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        km = KernelManager(kernel_name="gradsh")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        # (ready first: a result published before the client's IOPub subscription is joined
        # is lost, and the loop below then waited for ever on a loaded machine)
        kc.wait_for_ready(timeout=120)
        msg_id = kc.execute("1 + 1")
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and \
                    msg["msg_type"] == "execute_result":
                break
        times.append(time.perf_counter() - t0)
        assert msg["content"]["data"]["text/plain"] == "2"
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print("J1  kernel start to first result: median %.3f s (min %.3f, max %.3f) over %d "
          "starts (target <= 1.0 s)" % (statistics.median(times), min(times), max(times), runs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--plot-steps", type=int, default=2000)
    ap.add_argument("--only", choices=("J1", "J2", "J3"))
    ns = ap.parse_args()
    if ns.only in (None, "J1"):
        bench_kernel(ns.runs)
    if ns.only in (None, "J2"):
        bench_plot(ns.runs, ns.plot_steps)
    if ns.only in (None, "J3"):
        bench_tqdm(ns.runs, ns.steps)


if __name__ == "__main__":
    main()
