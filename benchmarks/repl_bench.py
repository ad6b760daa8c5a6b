"""W9: time from starting `gradsh` in a pseudo-terminal to its first prompt (target <= 0.4 s).

    python benchmarks/repl_bench.py [--runs 10] [--gradsh PATH]

Spawns the command with pexpect in a fresh pty (80x24, an empty history file) and waits for
the prompt `>>> ` to be drawn; reports the median and each run. Also times the first Enter
(`1 + 1` echoed), which waits for the language to finish loading in the background.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time


def _default_gradsh():
    here = os.path.join(os.path.dirname(sys.executable), "gradsh")
    return here if os.path.exists(here) else (shutil.which("gradsh") or "gradsh")


def one_run(cmd, history):
    import pexpect
    env = dict(os.environ, GRADSH_HISTORY=history, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    t0 = time.perf_counter()
    child = pexpect.spawn(cmd, env=env, encoding="utf-8", timeout=30, dimensions=(24, 80))
    child.expect_exact(">>> ")
    first_prompt = time.perf_counter() - t0
    child.send("1 + 1\r")
    child.expect(r"2(\x1b\[0m)?\r\n")
    first_result = time.perf_counter() - t0
    child.expect_exact(">>> ")  # Ctrl-D typed before the prompt is back would be the tty's EOF
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return first_prompt, first_result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--gradsh", default=_default_gradsh())
    ns = ap.parse_args()
    prompts, results = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(ns.runs):
            p, r = one_run(ns.gradsh, os.path.join(tmp, "history%d" % k))
            prompts.append(p)
            results.append(r)
    print("W9 first prompt in a pty, %d runs: median %.0f ms (runs: %s)"
          % (ns.runs, statistics.median(prompts) * 1e3,
             ", ".join("%.0f" % (p * 1e3) for p in prompts)))
    print("   first result (`1 + 1`, language loaded): median %.0f ms"
          % (statistics.median(results) * 1e3))
    med = statistics.median(prompts)
    print("W9 %.2f s (target <= 0.4 s): %s" % (med, "met" if med <= 0.4 else "NOT met"))


if __name__ == "__main__":
    main()
