"""Branch adv5d (issue 15's adversarial Python-language programs, round 2): each class of
difference the adv5d_* learner programs found, as a short program run three ways: by gradsh as
a .grad program, by Python under `import gradsh as torch`, and by Python with PyTorch itself
(the oracle; skipped without it). Pure-Python behaviour is compared with CPython."""

import contextlib
import io
import linecache

import pytest

from .helpers import run_error, run_program, run_python


def run_as_python_with(source, module):
    """What Python prints for `source` with `import torch` meaning `module`."""
    source = source.replace("import torch\n", f"import {module} as torch\n", 1)
    # the source is readable as a file's (gradsh reads a failed call back from it)
    filename = "<adv5d-%s>" % module
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, filename, "exec"), {"__name__": "__main__"})
    return out.getvalue()


def assert_like_pytorch(source):
    pytest.importorskip("torch", reason="PyTorch is the oracle of these programs")
    expected = run_as_python_with(source, "torch")
    assert run_program(source) == expected
    assert run_as_python_with(source, "gradsh") == expected


LIKE_PYTORCH = {
    # Function.apply with keywords: they go to forward by position; a parameter left out before
    # a keyword given is PyTorch's TypeError (gradsh dropped the keywords after the gap)
    "function_apply_keywords_bound_by_position": (
        "import torch\n"
        "class C(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x, lo=-1.0, hi=1.0):\n"
        "        return x.clamp(lo, hi)\n"
        "    @staticmethod\n"
        "    def backward(ctx, g):\n"
        "        return g, None, None\n"
        "x = torch.ones(1) * 3\n"
        "for call in [lambda: C.apply(x, lo=0., hi=2.), lambda: C.apply(x, 0., hi=2.),\n"
        "             lambda: C.apply(x=x), lambda: C.apply(x, lo=0.), lambda: C.apply(x, hi=2.),\n"
        "             lambda: C.apply(lo=0.), lambda: C.apply(x, zz=1),\n"
        "             lambda: C.apply(x, lo=0, x=x)]:\n"
        "    try:\n"
        "        print(call())\n"
        "    except TypeError as e:\n"
        "        print('TypeError', e)\n"),
    # int-list arguments (sizes, shapes, dims) read as PyTorch's parser reads them: a bool
    # after the first item is an int (keepdim passed into *dims), an object with __index__ is
    # one anywhere; a bool first is still refused
    "int_lists_take_index_objects_and_later_bools": (
        "import torch\n"
        "class Idx:\n    def __init__(self, i):\n        self.i = i\n"
        "    def __index__(self):\n        return self.i\n"
        "x = torch.arange(24.).view(2, 3, 4)\n"
        "calls = [lambda: torch.zeros(Idx(2), 3), lambda: torch.zeros((2, Idx(3))),\n"
        "         lambda: torch.zeros(Idx(2)), lambda: torch.ones([2, True]),\n"
        "         lambda: torch.full((2, True), 1.), lambda: torch.randn(Idx(2), 3),\n"
        "         lambda: x.new_zeros(2, True), lambda: x.view(Idx(2), -1),\n"
        "         lambda: x.reshape(2, True, -1), lambda: x.permute(Idx(0), True, 2),\n"
        "         lambda: x.expand(Idx(2), 3, 4), lambda: x.expand(2, True, 3, 4),\n"
        "         lambda: x.repeat(1, Idx(2), True), lambda: x.flip((0, True)),\n"
        "         lambda: x.tile((Idx(2),)), lambda: x.sum((0, True)),\n"
        "         lambda: x.sum(dim=(Idx(0), 2)), lambda: x.mean((0, True), keepdim=True),\n"
        "         lambda: x.amax((0, True)), lambda: x.var((0, True)),\n"
        "         lambda: x.norm(dim=(Idx(1), 2)), lambda: x.logsumexp((1, True)),\n"
        "         lambda: x.sum((True, 0)), lambda: torch.zeros((True, 2)),\n"
        "         lambda: x.transpose(0, True), lambda: x.view(Idx(5), -1)]\n"
        "for i, call in enumerate(calls):\n"
        "    try:\n"
        "        print(i, tuple(call().shape))\n"
        "    except (TypeError, RuntimeError) as e:\n"
        "        print(i, type(e).__name__, str(e).splitlines()[0])\n"),
    # gather's and scatter's shape checks: index has self's (and src's) number of dims, no
    # size of it larger than self's apart from dim nor than src's; an empty index is not
    # checked; a 0-d tensor reads as 1-d (gradsh computed wrong values or numpy's errors)
    "gather_scatter_shape_checks": (
        "import torch\n"
        "x = torch.arange(6.).view(2, 3)\nz = torch.zeros(2, 3)\nv = torch.ones(3)\n"
        "I = torch.tensor\n"
        "calls = [lambda: v.gather(0, I([[0]])), lambda: x.gather(1, I([0, 1])),\n"
        "         lambda: x.gather(1, I([[0, 1, 2, 0]])), lambda: x.gather(0, I([[0], [1], [1]])),\n"
        "         lambda: x.gather(-1, I([[0], [1], [1]])), lambda: x.gather(1, I([], dtype=torch.long)),\n"
        "         lambda: torch.tensor(5.).gather(0, I(0)), lambda: v.gather(0, I(1)),\n"
        "         lambda: torch.tensor(5.).gather(0, I([[0]])),\n"
        "         lambda: z.scatter(1, I([[0], [1], [1]]), 1.0), lambda: z.scatter(1, I([0]), torch.ones(2)),\n"
        "         lambda: z.scatter(1, I([[0, 1]]), torch.ones(1, 1)), lambda: z.scatter(1, I([[0, 1]]), torch.ones(2)),\n"
        "         lambda: z.scatter(1, I([[0, 1]]), torch.ones(1, 1, 1)), lambda: z.scatter(0, I([[0], [1], [0]]), torch.ones(3, 1)),\n"
        "         lambda: z.scatter_add(1, I([[0, 1]]), torch.ones(1, 1)), lambda: z.scatter_add(1, I([[0, 1]]), torch.ones(2)),\n"
        "         lambda: z.scatter_add(1, torch.zeros(0, dtype=torch.long), torch.ones(2)),\n"
        "         lambda: torch.zeros(3).scatter(0, I(1), 2.0), lambda: torch.zeros(3).scatter_add(0, I(1), I(4.)),\n"
        "         lambda: z.scatter_reduce(1, I([[0, 1]]), torch.ones(1, 1), 'sum'),\n"
        "         lambda: z.scatter_reduce(1, I([[0, 1]]), torch.ones(1), 'sum'),\n"
        "         lambda: z.clone().scatter_(1, I([[0], [1], [1]]), torch.ones(3, 1)),\n"
        "         lambda: torch.take_along_dim(x, I([0, 1]), dim=1),\n"
        "         lambda: torch.zeros(3).index_add(0, I([[0]]), torch.ones(1)),\n"
        "         lambda: torch.zeros(3).index_fill(0, I([[0]]), 1.)]\n"
        "for i, call in enumerate(calls):\n"
        "    try:\n"
        "        print(i, call().tolist())\n"
        "    except (RuntimeError, IndexError) as e:\n"
        "        print(i, type(e).__name__, str(e).splitlines()[0])\n"
        "w = torch.ones(3, requires_grad=True)\n"
        "out = w.gather(0, I(2))\nout.backward()\nprint(out, w.grad)\n"),
    # the hot ops (not behind the generated argument checks) check their bool parameters as
    # PyTorch's parser does: keepdim of sum, mean, max, min, argmax; the factories'
    # requires_grad (an int or None was taken as a truth value)
    "hot_ops_bool_parameters": (
        "import torch\n"
        "x = torch.arange(24.).view(2, 3, 4)\n"
        "calls = [lambda: x.sum(0, 1), lambda: x.sum(0, keepdim=1), lambda: x.sum(0, keepdim=None),\n"
        "         lambda: x.mean((0, 1), 0), lambda: x.max(0, 1), lambda: x.min(0, 0),\n"
        "         lambda: x.argmax(0, 1), lambda: torch.sum(x, 0, keepdim=1), lambda: torch.mean(x, 0, 1),\n"
        "         lambda: torch.zeros(2, requires_grad=1), lambda: torch.ones(2, requires_grad=0),\n"
        "         lambda: torch.tensor([1.], requires_grad=1), lambda: torch.empty(2, requires_grad=1),\n"
        "         lambda: torch.zeros_like(x, requires_grad=None), lambda: x.sum(0, True),\n"
        "         lambda: torch.tensor(1., requires_grad=None), lambda: torch.zeros(1, requires_grad=None),\n"
        "         lambda: x.max(0, True)[0], lambda: torch.ones(2, requires_grad=True)]\n"
        "for i, call in enumerate(calls):\n"
        "    try:\n"
        "        print(i, tuple(call().shape))\n"
        "    except TypeError as e:\n"
        "        print(i, str(e).splitlines()[0])\n"),
}


@pytest.mark.parametrize("name", sorted(LIKE_PYTORCH))
def test_prints_what_pytorch_prints(name):
    assert_like_pytorch(LIKE_PYTORCH[name])


SAME_AS_PYTHON = {
    # PEP 604 unions of the program's classes (its `int` is a stand-in), None and type(x)
    "pep604_unions_of_classes": (
        "U = int | None\n"
        "print(U, isinstance(None, U), isinstance(3, U), isinstance(3.0, U), U == (None | int))\n"
        "print(list | tuple, isinstance((1,), list | tuple), issubclass(bool, int | str))\n"
        "print(type(3) | str, (int | str) | float, float | (int | str), type(int | str).__name__)\n"
        "print(5 | 3, True | False, {1} | {2}, {'a': 1} | {'b': 2})\n"
        "for f in [lambda: None | None, lambda: int | 3, lambda: 3 | int, lambda: 'a' | int]:\n"
        "    try:\n        print(f())\n    except TypeError as e:\n        print('TypeError', e)\n"),
    # functools.cached_property on a program's own class: once per instance, reset by del
    "functools_cached_property": (
        "import functools\n"
        "class A:\n    def __init__(self, n):\n        self.n = n\n"
        "    @functools.cached_property\n    def total(self):\n        print('computing')\n"
        "        return sum(range(self.n))\n"
        "a = A(4)\nprint(a.total, a.total)\na.total = 7\nprint(a.total)\ndel a.total\n"
        "print(a.total, type(A.total).__name__)\n"),
    # the statistics module: Python's functions, StatisticsError a ValueError
    "statistics_module": (
        "import statistics\n"
        "print(statistics.mean([1, 2, 3, 4]), statistics.median([3, 1, 2]), statistics.mode('aab'))\n"
        "print(statistics.stdev([1.5, 2.5, 4.0]), statistics.pvariance(range(5)),\n"
        "      statistics.quantiles([1, 2, 3, 4, 5, 6, 7, 8], n=4), statistics.multimode('aabbc'))\n"
        "print(statistics.fmean(x * 0.5 for x in range(4)), statistics.harmonic_mean([1, 4]))\n"
        "for bad in [lambda: statistics.mean([]), lambda: statistics.stdev([1])]:\n"
        "    try:\n        bad()\n    except ValueError as e:\n"
        "        print(type(e).__name__, e, isinstance(e, statistics.StatisticsError))\n"),
    # typing's unions of the program's stand-in classes (its `int`) are read as the real ones
    "typing_optional_of_program_int": (
        "from typing import Optional, Union\n"
        "print(isinstance(1, Optional[int]), isinstance(None, Optional[int]),\n"
        "      isinstance('x', Union[int, str]), isinstance(2.5, Union[int, list]))\n"),
    # `from __future__ import annotations` is accepted (annotations are never evaluated)
    "future_annotations_first_line": (
        '"""doc"""\nfrom __future__ import annotations\nfrom __future__ import division, '
        "generator_stop\ndef f(x: Undefined) -> AlsoUndefined:\n    return x\nprint(f(2))\n"),
}

FUTURE_REFUSED = {
    "from __future__ import braces\n": "future feature braces is not defined",
    "print(1)\nfrom __future__ import annotations\n":
        "from __future__ imports must occur at the beginning of the file",
    "if True:\n    from __future__ import annotations\n":
        "from __future__ imports must occur at the beginning of the file",
}


@pytest.mark.parametrize("source", sorted(FUTURE_REFUSED))
def test_future_import_refused_as_python_refuses_it(source):
    error, _ = run_error(source)
    assert (error.kind, error.message) == ("SyntaxError", FUTURE_REFUSED[source])


@pytest.mark.parametrize("name", sorted(SAME_AS_PYTHON))
def test_prints_what_python_prints(name):
    assert run_program(SAME_AS_PYTHON[name]) == run_python(SAME_AS_PYTHON[name])


def test_statistics_reads_within_the_item_limit():
    error, _ = run_error("import statistics\nstatistics.quantiles([1, 2], n=10**9)\n")
    assert error.kind == "LimitError" and "statistics.quantiles()" in error.message
    error, _ = run_error("import statistics, itertools\nstatistics.mean(itertools.count())\n")
    assert error.kind == "LimitError" and "statistics.mean()" in error.message


def test_a_programs_typing_subscriptions_leave_pythons_typing_cache_alone():
    """typing caches `Optional[int]` by its argument; a program's `int` is equal to int, so the
    program's subscription must be made of the real class, or the host's next Optional[int]
    (the REPL's, the kernel's) would hold the program's stand-in."""
    import typing
    run_program("from typing import Optional, Union, Dict, List\n"
                "x = Optional[int]\ny = Union[str, float]\nz = Dict[str, List[int]]\n")
    assert typing.get_args(typing.Optional[int]) == (int, type(None))
    assert all(type(a) is type for a in typing.get_args(typing.Optional[int]))
    assert all(type(a) is type for a in typing.get_args(typing.Union[str, float]))
    assert isinstance(3, typing.Optional[int])
