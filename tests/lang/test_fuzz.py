"""Fuzzing: whatever the input, gradsh runs it or fails with a GradshError; never an InternalError,
never a raw Python exception, never a hang.

A few seconds in the suite; for a long run: GRADSH_FUZZ_SECONDS=600 pytest tests/lang/test_fuzz.py
"""

import io
import os
import signal
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradsh.lang import GradshError, InternalError, Session, check_complete

BUDGET = float(os.environ.get("GRADSH_FUZZ_SECONDS", "0"))
EXAMPLES = 60 if not BUDGET else 500
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


class _Endless(BaseException):
    """A generated program still running after PROGRAM_SECONDS of CPU time (`while x:` with a
    true x loops for ever, in Python too): not a failure, and the run goes on."""


def _endless(signum, frame):
    raise _Endless()


PROGRAM_SECONDS = 10


def check_program(source, interactive=False):
    """Run `source`; only a GradshError (not an internal one) may come out."""
    s = Session(stdout=io.StringIO(), stderr=io.StringIO(), max_depth=200)
    old = signal.signal(signal.SIGPROF, _endless)
    signal.setitimer(signal.ITIMER_PROF, PROGRAM_SECONDS)
    try:
        (s.run_interactive if interactive else s.run)(source, "fuzz.grad")
    except _Endless:
        return
    except InternalError as e:
        if isinstance(e.original, _Endless):
            return
        raise AssertionError("internal error for %r:\n%s" % (source, e.render())) from e.original
    except GradshError as e:
        assert e.kind and e.message is not None
        e.render()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)
    if isinstance(source, str):
        assert check_complete(source) in ("complete", "incomplete", "invalid")


# ---------------------------------------------------------------- programs from the grammar

NAMES = st.sampled_from(["x", "y", "t", "f", "g", "i", "torch", "math", "ones", "print", "len",
                         "range", "no_grad", "undefined", "argv", "__name__"])
ATTRS = st.sampled_from(["grad", "sum", "mean", "shape", "T", "backward", "requires_grad",
                         "item", "tolist", "append", "upper", "format", "real", "grad_fn",
                         "next_functions", "numpy", "__class__", "_data", "ones", "nn",
                         "functional", "relu", "data", "detach", "zero_", "name"])
SMALL_INT = st.integers(min_value=-3, max_value=5).map(str)
LITERALS = st.one_of(SMALL_INT, st.sampled_from(
    ["0.5", "1e-3", "1_0", ".5", "True", "False", "None", "'s'", '"t"', "'''q'''", "f'{1}'",
     "f'{x!r:>3}'", "...", "[]", "()", "{}", "(1,)", "'{0}'.format(1)", "2 ** 10 ** 10",
     "'a' * 10 ** 9", "torch.ones(2, requires_grad=True)", "torch.tensor([1.0, -2.0])",
     "torch.randn(2, 2)"]))
BINOPS = st.sampled_from(["+", "-", "*", "/", "//", "%", "**", "@", "|", "&", "^", "<<", ">>",
                          "<", "==", "!=", "in", "not in", "is", "and", "or"])


def expressions():
    def extend(inner):
        return st.one_of(
            st.tuples(inner, BINOPS, inner).map(lambda p: "(%s %s %s)" % p),
            st.tuples(st.sampled_from(["-", "+", "~", "not "]), inner).map("".join),
            st.tuples(inner, ATTRS).map(lambda p: "%s.%s" % p),
            st.tuples(inner, st.lists(inner, max_size=3)).map(
                lambda p: "%s(%s)" % (p[0], ", ".join(p[1]))),
            st.tuples(inner, inner).map(lambda p: "%s[%s]" % p),
            st.tuples(inner, inner).map(lambda p: "%s[%s:%s]" % (p[0], p[1], p[1])),
            st.lists(inner, max_size=3).map(lambda xs: "[%s]" % ", ".join(xs)),
            st.tuples(inner, inner, inner).map(lambda p: "(%s if %s else %s)" % p),
            inner.map(lambda e: "(lambda v: %s)" % e),
            inner.map(lambda e: "[%s for i in range(2)]" % e),
            inner.map(lambda e: "f'{%s}'" % e),
            st.tuples(inner, inner).map(lambda p: "{%s: %s}" % p),
        )
    return st.recursive(st.one_of(NAMES, LITERALS), extend, max_leaves=6)


def statements():
    expr = expressions()
    simple = st.one_of(
        expr,
        st.tuples(NAMES, expr).map(lambda p: "%s = %s" % p),
        st.tuples(NAMES, st.sampled_from(["+=", "*=", "-=", "**=", "%="]), expr).map(
            lambda p: "%s %s %s" % p),
        st.tuples(expr, ATTRS, expr).map(lambda p: "%s.%s = %s" % p),
        st.tuples(NAMES, NAMES, expr).map(lambda p: "%s, %s = %s" % p),
        expr.map(lambda e: "print(%s)" % e),
        expr.map(lambda e: "assert %s" % e),
        st.sampled_from(["pass", "break", "continue", "return 1", "del x", "import torch",
                         "import os", "from torch import ones", "import torch.nn.functional as F",
                         "x = torch.ones(2, 2, requires_grad=True)", "(x * x).sum().backward()",
                         "x.grad = None", "with torch.no_grad(): y = x * 2",
                         # classes, exceptions, generators, scopes
                         "raise ValueError('v')", "raise 3", "raise", "global x", "nonlocal x",
                         "yield x", "y = yield", "x = (n := 3)", "p = P(1)", "p.v = x",
                         "print(p.v, P.k, type(p), dir(p))", "e = E('m')", "raise E(x) from None",
                         "x: float = 1.0", "P.k += 1", "print(list(G()))", "super().f()",
                         "x = type(x)", "import random", "random.seed(x)",
                         "from functools import reduce"]),
    )

    def block(inner):
        body = st.lists(inner, min_size=1, max_size=3).map(
            lambda lines: "\n".join("    " + l.replace("\n", "\n    ") for l in lines))
        return st.one_of(
            st.tuples(expr, body).map(lambda p: "if %s:\n%s" % p),
            st.tuples(expr, body, body).map(lambda p: "if %s:\n%s\nelse:\n%s" % p),
            body.map(lambda b: "for i in range(3):\n%s" % b),
            st.tuples(NAMES, body).map(lambda p: "def %s(v, w=1):\n%s" % p),
            body.map(lambda b: "with torch.no_grad():\n%s" % b),
            st.tuples(body, body).map(lambda p: "try:\n%s\nexcept Exception as e:\n%s" % p),
            st.tuples(body, body).map(lambda p: "try:\n%s\nexcept:\n    pass\nelse:\n%s" % p),
            st.tuples(body, body).map(lambda p: "try:\n%s\nfinally:\n%s" % p),
            body.map(lambda b: "for i in range(2):\n%s\nelse:\n    print(i)" % b),
            body.map(lambda b: "while x:\n%s\nelse:\n    pass" % b),
            body.map(lambda b: "class P:\n    k = 0\n    def __init__(self, v):\n"
                               "        self.v = v\n    def f(self):\n%s" % b.replace(
                                   "\n", "\n    ").replace("    ", "        ", 1)),
            body.map(lambda b: "class E(RuntimeError):\n    def __str__(self):\n%s" % b.replace(
                "\n", "\n    ").replace("    ", "        ", 1)),
            body.map(lambda b: "def G():\n    yield 1\n%s" % b),
            st.tuples(NAMES, body).map(lambda p: "@torch.no_grad()\ndef %s(v):\n%s" % p),
        )
    return st.recursive(simple, block, max_leaves=5)


PROGRAMS = st.lists(statements(), min_size=1, max_size=6).map(lambda ss: "\n".join(ss) + "\n")
# pieces of Python text, plus characters that do not belong
TEXT = st.lists(st.sampled_from(list("xyf()[]{}:;,.=+-*/%<>!'\"#\\ \t\n\r0123456789_@&|^~")
                                + ["if ", "for ", "def ", "lambda", "\u00e9", "\x00", "\ufeff",
                                   "    ", "torch.", "'''", "f'{", "else", "in ", "return"]),
                max_size=40).map("".join)


def _repeat(test):
    """Run a Hypothesis test once, or again and again until GRADSH_FUZZ_SECONDS have passed."""
    def run():
        stop = time.monotonic() + BUDGET
        test()
        while time.monotonic() < stop:
            test()
    run.__name__ = test.__name__
    run.__doc__ = test.__doc__
    return run


@_repeat
@SETTINGS
@given(PROGRAMS)
def test_programs_built_from_the_grammar_run_or_fail_cleanly(source):
    check_program(source)


@_repeat
@SETTINGS
@given(PROGRAMS)
def test_programs_run_interactively_run_or_fail_cleanly(source):
    check_program(source, interactive=True)


@_repeat
@SETTINGS
@given(TEXT)
def test_random_text_runs_or_fails_cleanly(source):
    check_program(source)


@_repeat
@SETTINGS
@given(st.binary(max_size=60))
def test_random_bytes_run_or_fail_cleanly(data):
    check_program(data)


def test_programs_hypothesis_found_run_or_fail_cleanly():
    # t is torch.t: given a function, it raised an internal AttributeError
    check_program("[[t(t) for i in range(2)] for i in range(2)]\n", interactive=True)
    check_program("x = exp(2)\n")
