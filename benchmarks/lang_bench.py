"""How fast the gradsh language is, measured against plain Python in the same run.

    python benchmarks/lang_bench.py [--iterations 10000] [--lines 10000] [--repeat 5]

1. The tutorial graph (y = x + 2; z = y * y * 3; out = z.mean(); out.backward(); x.grad = None)
   run N times as a .grad program vs the same loop as Python calling gradsh directly.
   Target: ratio <= 1.3. W7 is measured twice: the tutorial loop, and a program that defines a
   class (__init__, a method, a class attribute, super().__init__()) and uses it in the loop.
2. Parse + compile of a generated program of L lines. Target: >= 10,000 lines/s.
3. Cold start in a fresh process: `import gradsh.lang`, loading the cached parser, and running
   `print(ones(2) + 1)`, next to `python -c "import numpy"`.
"""

import argparse
import os
import pathlib
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

LOOP_BODY = """\
for i in range({n}):
    y = x + 2
    z = y * y * 3
    out = z.mean()
    out.backward()
    x.grad = None
"""
SETUP = "x = torch.ones(2, 2, requires_grad=True)\n"

# W7 with a class: the same graph through a small model object's methods
CLASS_SETUP = """\
class Base:
    def __init__(self, scale):
        self.scale = scale


class Model(Base):
    calls = 0

    def __init__(self, scale, shift):
        super().__init__(scale)
        self.shift = shift

    def forward(self, x):
        Model.calls += 1
        y = x + self.shift
        return (y * y * self.scale).mean()

    def step(self, x):
        out = self.forward(x)
        out.backward()
        x.grad = None
        return out


x = torch.ones(2, 2, requires_grad=True)
model = Model(3, 2)
"""
CLASS_LOOP = """\
for i in range({n}):
    model.step(x)
"""


def best_of(repeat, fn):
    """Least CPU time of `repeat` runs (CPU time: other processes on the machine add less noise)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def bench_loop(n, repeat, body=LOOP_BODY, setup=SETUP):
    import gradsh
    from gradsh.lang import Session

    program = body.format(n=n)
    session = Session()
    session.run(setup, "setup.grad")
    # compile once outside the timing, as the Python side does
    codes = session._compile(program, "loop.grad", interactive=False)

    def run_grad():
        for code in codes:
            exec(code, session.globals)

    python_code = compile(program, "loop.py", "exec")
    py_globals = {"torch": gradsh, "__name__": "__main__"}
    exec(compile(setup, "setup.py", "exec"), py_globals)

    def run_python():
        exec(python_code, py_globals)

    run_grad()
    run_python()  # warm up both
    t_py = t_grad = float("inf")
    for _ in range(repeat):  # interleaved so drift hits both sides alike
        t_py = min(t_py, best_of(1, run_python))
        t_grad = min(t_grad, best_of(1, run_grad))
    t_full = best_of(1, lambda: session.run(program, "loop.grad"))
    return t_py, t_grad, t_full


GENERATED = [
    "x{i} = torch.ones(2, 2, requires_grad=True) * {i} + 1.5",
    "y{i} = (x{i} ** 2).sum() / max({i}, 1) - abs(-{i})",
    "if y{i} is not None and {i} % 3 == 0:",
    "    z{i} = [v * 2 for v in range(3) if v != 1]",
    "else:",
    "    z{i} = {{'a': {i}, 'b': (1, 2, 3)}}[\"a\"]",
    "def f{i}(a, b=2, *args, **kw):",
    "    return a + b if a > b else f\"{{a:.3f}} {{b!r}}\"",
    "w{i} = f{i}(3, b=4)",
    "s{i} = x{i}[0, 1:2] @ x{i}.T",
]


def dense_program(lines):
    """A synthetic program of dense lines (about 15 tokens each; real programs have 5 to 8)."""
    out, i = [], 0
    while len(out) < lines:
        out.extend(line.format(i=i) for line in GENERATED)
        i += 1
    return "\n".join(out) + "\n"  # whole groups: a cut could leave a block open


def realistic_program(lines):
    """The programs in scripts/ (comments, blank lines and all), repeated whole to at least
    `lines` lines."""
    texts = [p.read_text() for p in sorted((pathlib.Path(ROOT) / "scripts").glob("*.grad"))]
    out = []
    while len(out) < lines:
        for text in texts:
            out.extend(text.splitlines())
    return "\n".join(out) + "\n"


def bench_compile(program, repeat):
    from gradsh.lang import Session
    from gradsh.lang.syntax.indentation import Layout
    from gradsh.lang.syntax.parser import get_parser, parse

    get_parser()
    n = program.count("\n")
    tokens = sum(1 for _ in get_parser().lexer.tokens(program, Layout()))
    session = Session()
    t = best_of(repeat, lambda: session._compile(program, "big.grad", interactive=False))
    t_parse = best_of(repeat, lambda: parse(program, "big.grad"))
    return n, tokens, t, t_parse


# Installed packages have their bytecode compiled; let the child processes write and use
# __pycache__ even if this environment says PYTHONDONTWRITEBYTECODE (it would make every start
# compile gradsh from source, which is not what a user's start looks like).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cold(code, repeat):
    best = float("inf")
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=ROOT, check=True, env=CHILD_ENV)
        best = min(best, float(out.stdout.strip().splitlines()[-1]))
    return best


def bench_cold(repeat):
    # make sure the parser cache exists, as it does after the first run of gradsh
    subprocess.run([sys.executable, "-c", "import io; from gradsh.lang import Session; "
                    "Session(stdout=io.StringIO()).run('print(ones(2) + 1)')"],
                   cwd=ROOT, check=True, env=CHILD_ENV)
    timer = "import time; t0 = time.perf_counter(); "
    numpy_t = cold(timer + "import numpy; print(time.perf_counter() - t0)", repeat)
    gradsh_t = cold(timer + "import gradsh; print(time.perf_counter() - t0)", repeat)
    lang_t = cold(timer + "import gradsh.lang; print(time.perf_counter() - t0)", repeat)
    parser_t = cold("import gradsh.lang, time; from gradsh.lang.syntax.parser import get_parser; "
                    "t0 = time.perf_counter(); get_parser(); print(time.perf_counter() - t0)",
                    repeat)
    run_t = cold(timer + "import io; from gradsh.lang import Session; "
                 "Session(stdout=io.StringIO()).run('print(ones(2) + 1)'); "
                 "print(time.perf_counter() - t0)", repeat)
    process = []
    for code in ("import numpy", "import io; from gradsh.lang import Session; "
                 "Session(stdout=io.StringIO()).run('print(ones(2) + 1)')"):
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env=CHILD_ENV)
            best = min(best, time.perf_counter() - t)
        process.append(best)
    return numpy_t, gradsh_t, lang_t, parser_t, run_t, process


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=10_000)
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    t_py, t_grad, t_full = bench_loop(args.iterations, args.repeat)
    print("1. tutorial graph x %d (CPU time, best of %d, interleaved)"
          % (args.iterations, args.repeat))
    print("   python on gradsh : %.3f s (%.1f us/iteration)" % (t_py, 1e6 * t_py / args.iterations))
    print("   .grad program    : %.3f s (%.1f us/iteration)"
          % (t_grad, 1e6 * t_grad / args.iterations))
    print("   ratio .grad/python = %.3f   (target <= 1.3)" % (t_grad / t_py))
    print("   with parse+compile each time: %.3f s, ratio %.3f" % (t_full, t_full / t_py))
    t_py, t_grad, t_full = bench_loop(args.iterations, args.repeat, CLASS_LOOP, CLASS_SETUP)
    print("1b. W7 with a class: model.step(x) x %d (CPU time, best of %d, interleaved)"
          % (args.iterations, args.repeat))
    print("   python on gradsh : %.3f s (%.1f us/iteration)" % (t_py, 1e6 * t_py / args.iterations))
    print("   .grad program    : %.3f s (%.1f us/iteration)"
          % (t_grad, 1e6 * t_grad / args.iterations))
    print("   ratio .grad/python = %.3f   (target <= 1.3)" % (t_grad / t_py))

    print("2. parse + compile of a generated %d-line program (CPU time)" % args.lines)
    for label, program in (("scripts/*.grad repeated", realistic_program(args.lines)),
                           ("dense synthetic lines", dense_program(args.lines))):
        n, tokens, t, t_parse = bench_compile(program, args.repeat)
        print("   %-24s %d lines, %d tokens: parse %.3f s, parse + compile() %.3f s"
              % (label, n, tokens, t_parse, t))
        print("   %-24s = %.0f lines/s, %.0f tokens/s   (target >= 10000 lines/s)"
              % ("", n / t, tokens / t))

    numpy_t, gradsh_t, lang_t, parser_t, run_t, process = bench_cold(args.repeat)
    print("3. cold start (fresh process, bytecode and grammar cache present; wall time, best of %d)"
          % args.repeat)
    print("   import numpy                   : %.1f ms" % (1e3 * numpy_t))
    print("   import gradsh                  : %.1f ms" % (1e3 * gradsh_t))
    print("   import gradsh.lang             : %.1f ms" % (1e3 * lang_t))
    print("   load cached parser             : %.1f ms" % (1e3 * parser_t))
    print("   import + run print(ones(2)+1)  : %.1f ms" % (1e3 * run_t))
    print("   whole process: python -c 'import numpy' %.1f ms; gradsh one-liner %.1f ms "
          "(ratio %.2f)"
          % (1e3 * process[0], 1e3 * process[1], process[1] / process[0]))


if __name__ == "__main__":
    main()
