"""Builtins that read an iterable in C (sum, any, all, min, max, `in`, functools.reduce,
math.fsum, math.prod, and the iterators that skip items: filter, islice, dropwhile...) read a
lazy one through core.dtypes.read_lazily (issue 16, round 7): Ctrl-C and the reading budget
stop them, answers stay Python's, and nothing is read earlier or more often than Python reads."""

import itertools
import random

import pytest

from .helpers import run_error, run_program


class _JumpingClock:
    """A CPU clock that moves on a second at each reading: the reading budget is spent as soon
    as READ_FREELY items were read, so an endless reading stops after about 100,000 items."""

    def __init__(self):
        self.now = 0.0

    def time(self):
        self.now += 1.0
        return self.now


ENDLESS = [
    ("sum(itertools.count())", "sum()"),
    ("sum(map(abs, itertools.repeat(1)))", "sum()"),
    ("any(itertools.repeat(0))", "any()"),
    ("all(range(1, 10 ** 18))", "all()"),
    ("all(x == x for x in itertools.count())", "all()"),
    ("-1 in itertools.count()", "'in'"),
    ("-1 not in map(abs, itertools.count())", "'not in'"),
    ("-1 in reversed(range(10 ** 18))", "'in'"),
    ("-1 in iter(int, 1)", "'in'"),
    ("(0, -1) in enumerate(itertools.count())", "'in'"),
    ("max(range(10 ** 15), key=abs)", "max()"),
    ("functools.reduce(max, itertools.count())", "functools.reduce()"),
    ("math.fsum(itertools.repeat(0.5))", "math.fsum()"),
    ("math.prod(itertools.repeat(1))", "math.prod()"),
    ("next(filter(None, itertools.repeat(0)))", "filter()"),
    ("next(itertools.islice(itertools.count(), 10 ** 18, None))", "itertools.islice()"),
    ("next(itertools.dropwhile(bool, itertools.repeat(1)))", "itertools.dropwhile()"),
    ("next(itertools.filterfalse(None, itertools.repeat(1)))", "itertools.filterfalse()"),
    ("next(itertools.compress(itertools.repeat(1), itertools.repeat(0)))",
     "itertools.compress()"),
]


@pytest.mark.parametrize("expression, what", ENDLESS)
def test_a_reader_in_c_of_an_endless_iterable_stops_at_the_reading_budget(
        monkeypatch, expression, what):
    from gradsh.core import dtypes
    monkeypatch.setattr(dtypes.time, "process_time", _JumpingClock().time)
    error, _ = run_error("import itertools\nimport functools\nprint(%s)\n" % expression)
    assert error.kind == "LimitError"
    assert error.message.startswith("%s read " % what)
    assert "items in 3 seconds and was not done" in error.message


def test_endless_group_of_groupby_stops_at_the_reading_budget(monkeypatch):
    from gradsh.core import dtypes
    monkeypatch.setattr(dtypes.time, "process_time", _JumpingClock().time)
    error, _ = run_error("import itertools\ng = itertools.groupby(itertools.repeat(1))\n"
                         "next(g)\nnext(g)\n")
    assert (error.kind, error.line) == ("LimitError", 4)


def _ranges(n):
    rng = random.Random(16)
    for _ in range(n):
        start, stop = rng.randint(-50, 50), rng.randint(-50, 50)
        yield range(start, stop, rng.choice([-7, -3, -1, 1, 2, 5]))


def test_sum_min_max_of_a_range_are_pythons_answers_without_reading_it():
    ranges = list(_ranges(200))
    source = "rs = [%s]\nfor r in rs:\n    print(sum(r), sum(r, 10), sum(r, True))\n" % ", ".join(
        "range(%d, %d, %d)" % (r.start, r.stop, r.step) for r in ranges)
    source += "for r in rs:\n    if r:\n        print(min(r), max(r), min(r, default=0))\n"
    expected = "".join("%d %d %d\n" % (sum(r), sum(r, 10), sum(r, True)) for r in ranges)
    expected += "".join("%d %d %d\n" % (min(r), max(r), min(r, default=0)) for r in ranges if r)
    assert run_program(source) == expected
    big = run_program("print(sum(range(10 ** 18)), sum(range(-10 ** 30, 10 ** 30, 3)), "
                      "max(range(10 ** 15)), min(range(10 ** 18, -1, -3)), sum(range(4), 0.5))\n")
    first = 10 ** 18 * (10 ** 18 - 1) // 2
    n = (2 * 10 ** 30 + 2) // 3  # items of range(-10**30, 10**30, 3)
    second = n * -10 ** 30 + 3 * (n * (n - 1) // 2)
    assert big == "%d %d %d %d 6.5\n" % (first, second, 10 ** 15 - 1, 1)


def test_lazy_readers_read_as_python_does():
    # any() stops at the first true item, reading no further; an exhausted iterator is not
    # asked again; containers, ranges asked `in` and short iterables are Python's own
    source = """
class Counted:
    def __init__(self, n):
        self.n = n
        self.asked = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.asked += 1
        if self.asked > self.n:
            raise StopIteration
        return self.asked
c = Counted(10 ** 6)
print(any(x > 5 for x in c), c.asked)
g = iter(range(300000))
print(sum(g), next(g, 'end'))
print(sum(x for x in range(300000)), any(x == 299999 for x in range(300000)))
print(10 ** 17 in range(10 ** 18), -1 in range(10 ** 18), 5 in {5: 1}, 3 in map(abs, [-3]))
print(max(map(abs, range(-5, 3))), min((x for x in 'hello'), key=ord))
"""
    expected = "True 6\n%d end\n%d True\nTrue False True True\n5 e\n" % (
        sum(range(300000)), sum(range(300000)))
    assert run_program(source) == expected


@pytest.mark.parametrize("source, expected", [
    ("print(torch.tensor(collections.deque([1, 2])))", "tensor([1, 2])"),
    ("print(torch.tensor([collections.deque([1.5, 2]), range(2)]))",
     "tensor([[1.5000, 2.0000],\n        [0.0000, 1.0000]])"),
])
def test_tensor_of_sequences_pytorch_accepts(source, expected):
    assert run_program("import collections\n" + source + "\n") == expected + "\n"


@pytest.mark.parametrize("source, message", [
    ("torch.tensor(itertools.repeat(1))", "Could not infer dtype of itertools.repeat"),
    ("torch.tensor(itertools.cycle([1]))", "Could not infer dtype of itertools.cycle"),
    ("torch.tensor(collections.OrderedDict(a=1).values())", "Could not infer dtype of odict_values"),
    ("torch.tensor(map(abs, [1]))", "Could not infer dtype of map"),
    ("torch.tensor([{1: 2}.values()])", "Could not infer dtype of dict_values"),
])
def test_tensor_of_other_iterables_is_pytorchs_error(source, message):
    error, _ = run_error("import collections\nimport itertools\n" + source + "\n")
    assert (error.kind, error.message) == ("RuntimeError", message)


def test_tensor_of_a_huge_nested_range_is_refused_before_reading():
    error, _ = run_error("torch.tensor([range(10 ** 12)])\n")
    assert error.kind == "TensorTooLarge"


def test_the_reader_checks_the_clock_only_every_chunk():
    from gradsh.core import dtypes
    items = list(dtypes.read_lazily(itertools.islice(itertools.count(), 10_000), "x"))
    assert items == list(range(10_000))
