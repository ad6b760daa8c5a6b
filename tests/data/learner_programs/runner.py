"""Run learner programs (the .grad files beside this one) under Python, one process for all.

`python runner.py torch PROG...` runs each program with PyTorch; `python runner.py gradsh
PROG...` first makes `import torch` load gradsh (`gradsh.install_as_torch()`), which is the
`import gradsh as torch` way; `python runner.py gradsh-serve` does the same for one program
path per line of stdin, answering each with a JSON line. `python runner.py torch-repl PROG...` types each program into
Python's own REPL (code.InteractiveConsole), line by line as `typed_in_repl` lays it out, and
records what the REPL printed and the kinds of the errors it reported. Each program starts from the state of a fresh process (the
default seed, print options, default dtype, grad mode), prints into a buffer, and an exception
it lets escape is recorded as a last line `!! Kind: message`. The result is a JSON object
{program file name: its output} on stdout. Used by tools/record_learner_programs.py (which
records PyTorch's side into NAME.out) and by tests/lang/test_learner_programs.py.
"""

import ast
import code
import contextlib
import io
import json
import os
import re
import runpy
import sys
import warnings

FRESH_SEED = 67280421310721  # the seed of a fresh process's default generator in PyTorch
ADDRESS = re.compile(r" object at 0x[0-9a-f]+>")


def fresh_state(torch):
    """What a program may change that a fresh process would not have changed."""
    torch.manual_seed(FRESH_SEED)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)


def escaped(error):
    """The last line a program that lets `error` escape prints here."""
    return "!! %s: %s\n" % (type(error).__name__, error)


def normalize(text):
    """Object addresses differ from run to run (PyTorch's too)."""
    return ADDRESS.sub(" object at 0x...>", text)


def run_all(torch, paths):
    results = {}
    for path in paths:
        fresh_state(torch)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                runpy.run_path(path, run_name="__main__")
        except Exception as error:  # noqa: BLE001 - recorded as the program's last line
            out.write(escaped(error))
        results[os.path.basename(path)] = normalize(out.getvalue())
    return results


# statements whose block must be closed by an empty line in Python's REPL
_BLOCKS = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.TryStar, ast.Match, ast.FunctionDef,
           ast.ClassDef, ast.AsyncFunctionDef, ast.AsyncFor, ast.AsyncWith)


def typed_in_repl(text):
    """The program as one types it into Python's REPL: no empty line inside a block (it would
    end the block), an empty line after each top-level block (to end it)."""
    lines = text.split("\n")
    strings = _lines_inside_strings(text)
    typed, done = [], 0
    for stmt in ast.parse(text).body:
        start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        typed += [line for line in lines[done:start - 1] if line.strip()]
        typed += [lines[n - 1] for n in range(start, stmt.end_lineno + 1)
                  if lines[n - 1].strip() or n in strings]
        typed += [""] if isinstance(stmt, _BLOCKS) else []
        done = stmt.end_lineno
    return "\n".join(typed) + "\n"


def _lines_inside_strings(text):
    import tokenize
    inside = set()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
            inside.update(range(tok.start[0] + 1, tok.end[0] + 1))
    return inside


class _Console(code.InteractiveConsole):
    """Python's REPL, keeping the kinds of the errors it reports instead of printing them."""

    def __init__(self):
        super().__init__({"__name__": "__main__"})
        self.errors = []

    def showtraceback(self):
        self.errors.append(sys.exc_info()[0].__name__)

    def showsyntaxerror(self, filename=None, **kw):
        self.errors.append(sys.exc_info()[0].__name__)


def run_all_in_repl(torch, paths):
    results = {}
    for path in paths:
        fresh_state(torch)
        out, console = io.StringIO(), _Console()
        with contextlib.redirect_stdout(out):
            for line in typed_in_repl(open(path).read()).split("\n"):
                console.push(line)
        results[os.path.basename(path)] = {"out": normalize(out.getvalue()),
                                           "errors": console.errors}
    return results


def serve(torch):
    """Run one program per line of stdin (its path), answering each with one JSON line (its
    output) on the original stdout: a test process asks for the programs of its own tests."""
    replies = os.fdopen(os.dup(1), "w")
    sys.stdout = sys.stderr     # whatever a program writes outside the buffer stays out
    for line in sys.stdin:
        path = line.rstrip("\n")
        replies.write(json.dumps(run_all(torch, [path])[os.path.basename(path)]) + "\n")
        replies.flush()


def main(argv):
    side, paths = argv[0], argv[1:]
    warnings.simplefilter("ignore")
    # (gradsh pins numpy's loops and OpenBLAS's kernels before numpy loads: PyTorch's side is
    # recorded with the same numpy, so a program computing with numpy prints the same digits on
    # every machine; docs/autograd.md "The same digits on every machine")
    import gradsh
    if side.startswith("gradsh"):
        gradsh.install_as_torch()
    import torch
    if side.startswith("torch"):
        torch.set_num_threads(1)
    if side == "gradsh-serve":
        return serve(torch)
    run = run_all_in_repl if side == "torch-repl" else run_all
    print(json.dumps(run(torch, paths)))


if __name__ == "__main__":
    main(sys.argv[1:])
