"""Hostile programs generated from two tables (issue 16): a limit must hold on every route that
makes a value, not only on the routes someone listed. Hypothesis combines the ways to build a
big value with the ways to turn it into a string, and the ways to wrap a tuple in a tuple; with
the string limit lowered to a few thousand characters each program runs in microseconds, and
every one must either stay within the limit or fail with gradsh's LimitError (never an
internal error, never a longer string).

A few seconds in the suite; for a long run: GRADSH_FUZZ_SECONDS=600 pytest tests/lang/test_limits_fuzz.py
"""

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradsh.lang import GradshError, InternalError
from gradsh.lang.runtime import limits, nesting

from .helpers import run_program

BUDGET = float(os.environ.get("GRADSH_FUZZ_SECONDS", "0"))
SMALL_STR = 2000  # MAX_STR while these programs run

# ways to build a value from two sizes n, k (Python source; `v` is the value)
MAKERS = [
    "v = ['ab' * {k}] * {n}",
    "v = [[1234567] * {k}] * {n}",
    "v = {{i: 'x' * {k} for i in range({n})}}",
    "v = ('q' * {k},) * {n}",
    "v = 'ab' * {k} * {n}",
    "v = [('a' * {k}, [{k}] * {n})] * {n}",
    "v = [2 ** (10 * {k})] * {n}",
    "v = '\u00df' * {k} * {n}",  # 'ß'.upper() is 'SS': the case methods can grow a string
    # round 3: a list inside itself (printed `[...]`), lists shared at every level
    "v = ['ab' * {k}] * {n}\nv.append(v)",
    "v = {{0: 'x' * {k}}}\nv[1] = [v] * {n}",
    "v = ['a' * {k}]\nfor i in range({n} % 40):\n    v = [v, v]",
]
# ways to turn v into a string s
ROUTES = [
    "s = str(v)", "s = repr(v)", "s = f'{{v}}'", "s = f'{{v}}{{v}}'", "s = f'{{v!r:>10}}'",
    "s = '{{}}'.format(v)", "s = '{{0}}{{0}}'.format(v)", "s = '%s' % (v,)", "s = '%s%r' % (v, v)",
    "s = format(v)", "s = str(v).upper()", "s = '-'.join([str(v)] * 2)", "s = str([v, v])",
    "s = str((v,))", "s = repr({{1: v}})", "s = str(v).lower().title().swapcase()",
    "s = str(v).center(3000)", "s = str(v).replace('a', 'bb')",
]


def _run_budgeted(test):
    """Run a Hypothesis test once, or again and again until GRADSH_FUZZ_SECONDS have passed."""
    deadline = time.monotonic() + BUDGET
    test()
    while time.monotonic() < deadline:
        test()


def _within_limit_or_refused(program):
    try:
        printed = run_program(program)
    except GradshError as e:
        assert not isinstance(e, InternalError), e.render()
        assert e.kind == "LimitError", e.render()
        return
    assert int(printed) <= SMALL_STR, program


@pytest.fixture
def small_string_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_STR", SMALL_STR)


def test_every_route_to_a_string_holds_the_string_limit(small_string_limit):
    @settings(max_examples=150, deadline=None, derandomize=not BUDGET,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(MAKERS), st.sampled_from(ROUTES), st.integers(0, 1200),
           st.integers(0, 60))
    def check(maker, route, k, n):
        _within_limit_or_refused("%s\n%s\nprint(len(s))\n" % (maker.format(k=k, n=n),
                                                             route.format()))

    _run_budgeted(check)


# ways to wrap t in more tuple levels, with how many levels each adds at most
WRAPS = {"t = (t,)": 1, "t = (1, t)": 1, "t = tuple([t])": 1, "t = f(t)": 1,
         "t = next(zip([t]))": 1, "t = next(enumerate([t]))[1:]": 1, "t = ValueError(t).args": 1,
         "t, u = (u, 1), (t, 2)": 1, "t = ((t,),)[0:1]": 2, "t = (t, t)": 1,
         # round 3: the tuples dict.items(), popitem() and itertools make
         "t = list({1: t}.items())[0]": 1, "t = next(iter({0: t}.items()))": 1,
         "t = {0: t}.popitem()": 1, "t = next(itertools.product([t]))": 1,
         "t = next(itertools.zip_longest([t]))": 1, "t = next(itertools.pairwise([t, 0]))": 1,
         "t = next(itertools.combinations([t], 1))": 1,
         "t = next(itertools.groupby([t]))[:1]": 1,
         # named tuples and a program's subclass of one are tuples too
         "t = P(t, 0)": 1, "t = P._make([t, 1])": 1, "t = P(0, 0)._replace(y=t)": 1,
         "t = Q(t, 2)": 1, "t = P(*P(t, 0))": 1}


def test_every_route_to_a_deeper_tuple_holds_the_nesting_limit():
    @settings(max_examples=40, deadline=None, derandomize=not BUDGET,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(sorted(WRAPS)), min_size=1, max_size=4), st.booleans())
    def check(wraps, past):
        per_step = sum(WRAPS[w] for w in wraps) + 1
        steps = nesting.MAX_NESTING + 5 if past else (nesting.MAX_NESTING - 10) // per_step
        body = "\n".join("    " + w for w in wraps)
        program = ("import itertools\nfrom collections import namedtuple\n"
                   "P = namedtuple('P', 'x y')\nclass Q(P):\n    pass\n"
                   "def f(*a):\n    return a\nt = ()\nu = ()\n"
                   "for i in range(%d):\n%s\n"
                   "d = {t: 1}\nprint(len(d))\n" % (steps, body))
        shared = "t = (t, t)" in wraps  # doubles the paths down to tuples at every step
        if not past and not shared:
            assert run_program(program) == "1\n"
            return
        with pytest.raises(GradshError) as info:
            run_program(program)
        assert info.value.kind == "LimitError", info.value.render()
        assert "a tuple nested" in info.value.message or (
            shared and "the same tuples over and over" in info.value.message)

    _run_budgeted(check)


# ways to read an iterator `it` through another one (each adds one level of C recursion when
# the outer one is read)
ITERATOR_WRAPS = ["it = zip(it)", "it = enumerate(it)", "it = map(abs, it)",
                  "it = filter(None, it)", "it = (x for x in it)", "it = itertools.chain(it)",
                  "it = itertools.islice(it, 10)", "it = itertools.accumulate(it)",
                  "it = itertools.takewhile(bool, it)", "it = itertools.dropwhile(bool, it)",
                  "it = itertools.filterfalse(bool, it)", "it = itertools.compress(it, it)",
                  "it = itertools.starmap(abs, it)", "it = itertools.zip_longest(it)",
                  "it = itertools.pairwise(it)", "it = itertools.groupby(it)",
                  "it = itertools.cycle(it)"]


def test_every_route_to_a_deeper_iterator_holds_the_nesting_limit():
    @settings(max_examples=30, deadline=None, derandomize=not BUDGET,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(ITERATOR_WRAPS), min_size=1, max_size=3), st.booleans())
    def check(wraps, past):
        steps = nesting.MAX_NESTING + 1 if past else (nesting.MAX_NESTING - 10) // (
            len(wraps) + 2 * wraps.count("it = itertools.compress(it, it)"))
        body = "\n".join("    " + w for w in wraps)
        program = "import itertools\nit = iter([1, 2])\nfor i in range(%d):\n%s\nit = None\n" \
                  "print('made')\n" % (steps, body)
        if not past:
            assert run_program(program) == "made\n"
            return
        with pytest.raises(GradshError) as info:
            run_program(program)
        assert info.value.kind == "LimitError", info.value.render()
        assert "nested 1001 levels deep" in info.value.message, info.value.message

    _run_budgeted(check)
