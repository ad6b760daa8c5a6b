"""gradsh/kernel/pretty.py's layout against IPython's own pretty printer (IPython.lib.pretty,
installed with the jupyter extra), run live as the oracle: seeded random nested containers
(lists, tuples, dicts, sets, frozensets, OrderedDicts of numbers, strings, None and booleans),
and containers holding values whose text has several lines, in shapes where the two agree.
The notebook's own sweep (test_notebook_display.py) checks whole cells against a real kernel.
"""

import random
from collections import OrderedDict

import pytest

ipython_pretty = pytest.importorskip(
    "IPython.lib.pretty", reason="IPython is not installed (pip install '.[jupyter]')").pretty

from gradsh.kernel.pretty import pretty  # noqa: E402


def _leaf(rng):
    k = rng.random()
    if k < 0.4:
        return rng.randint(-10 ** rng.randint(0, 8), 10 ** rng.randint(0, 8))
    if k < 0.6:
        return "s" * rng.randint(0, 30)
    if k < 0.7:
        return rng.random()
    if k < 0.8:
        return None
    return rng.random() < 0.5


def _value(rng, depth):
    if depth <= 0 or rng.random() < 0.3:
        return _leaf(rng)
    items = [_value(rng, depth - 1) for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 13, 25]))]
    kind = rng.randint(0, 5)
    if kind == 0:
        return items
    if kind == 1:
        return tuple(items)
    if kind == 2:
        return {("k%d" % i if rng.random() < 0.7 else i): v for i, v in enumerate(items)}
    if kind == 3:
        return {x for x in items if isinstance(x, (int, float)) and not isinstance(x, bool)}
    if kind == 4:
        return frozenset(x for x in items if isinstance(x, str))
    return OrderedDict(("k%d" % i, v) for i, v in enumerate(items))


@pytest.mark.parametrize("seed", range(4))
def test_random_nested_containers_break_as_ipython_breaks_them(seed):
    rng = random.Random(seed)
    differ = []
    for _ in range(500):
        value = _value(rng, rng.randint(1, 4))
        if pretty(value, text_of=repr) != ipython_pretty(value):
            differ.append(value)
    assert differ == []


class Lines:
    """A value whose text has several lines, as a 2-d tensor's or a module's."""

    def __init__(self, rows=1):
        self.rows = rows

    def __repr__(self):
        return "M(\n" + "".join("  row%d\n" % k for k in range(self.rows)) + ")"


M = Lines()
SHAPES = {
    "last item": [1, 2, M],
    "first item": [M, 1, 2],
    "pair": ("k", M),
    "inner list after an item": [1, [2, M]],
    "two": [M, M],
    "dict value": {"a": [1, M], "b": 2},
    "inner list first": [[1, M], 2],
    "then a long item": [M, "x" * 80, 3],
    "inner list kept on one line": [1, [2, M, 3]],
    "kept on one line past the width": [1, [2, M, "x" * 40, "y" * 40]],
    "only item of an inner list": [[M, 1, 2]],
    "three deep": [[[M, 1, 2], 3], 4],
    "siblings": [[1, 2], [3, M, 4]],
    "nested kept": [1, [2, [3, M, 4], 5], 6],
    "after a kept list": [1, [2, M, [M, 3, 4], 5]],
    "in a tuple": ([1, M, 2],),
    "ordered dict": OrderedDict([("weight", Lines(2)), ("bias", 1)]),
    "many rows": {"params": [Lines(3), Lines(1)], "lr": 0.1},
}


@pytest.mark.parametrize("name", SHAPES)
def test_values_of_several_lines_break_their_containers_as_ipython_does(name):
    assert pretty(SHAPES[name], text_of=repr) == ipython_pretty(SHAPES[name])
