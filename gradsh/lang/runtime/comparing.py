"""Comparisons of containers within a budget (issue 16, round 4).

Python compares two lists, tuples or dicts item by item in C, skipping identical items but
never remembering a pair it has compared: `a = [a, a]` sixty times, and `b` built alike, make
`a == b` compare 2**60 pairs, a loop Ctrl-C cannot stop. Lists and dicts change after they are
made, so (unlike tuples, refused where they are made: nesting.py) the bound is held where they
are compared: every `==`, `!=`, `<`, `<=`, `>`, `>=`, `in` and `not in` of a program, and the
builtins and methods that compare items (`sorted`, `min`, `max`, `list.sort`, `list.count`,
`list.index`, `list.remove`), first count the item comparisons Python would make when both
sides hold containers: a walk over pairs of containers, each distinct pair counted once with
the number of paths that reach it (so a value shared at every level costs its size to count,
not 2**60). Past MAX_COMPARISONS, or on a pair met inside itself (two cyclic values, which
Python would compare until its recursion limit, 2**1000 times when the cycle branches), the
comparison is a LimitError. Comparisons of anything else (numbers, strings, tensors, a
container against a number) take the fast path: two type checks.
"""

from collections import Counter, OrderedDict, defaultdict, deque

from ...core.dtypes import read_lazily
from .classes import ProgramClasses
from .limits import _ON_TUPLE_CLASS, LimitError
from .nesting import LAZY_ITERATORS, bounded

MAX_COMPARISONS = 10_000_000  # item comparisons one comparison of containers may make

# the containers compared item by item, each with the kind Python compares it as
_KIND = {list: list, tuple: tuple, deque: deque, dict: dict, OrderedDict: dict,
         defaultdict: dict, Counter: dict}
_BOXES = set(_KIND)
_SEARCHED = {list, tuple, deque, type({}.values())}  # `in` compares x with each item


def _add_tuple_class(cls):
    """A named-tuple class: compared as tuples are (limits.add_tuple_class)."""
    _KIND[cls] = tuple
    _BOXES.add(cls)
    _SEARCHED.add(cls)


_ON_TUPLE_CLASS.append(_add_tuple_class)
_TOO_MANY = "too many"


def _children(a, b):
    """The pairs of containers Python compares when it compares a with b (same type)."""
    if isinstance(a, dict):
        if type(a) is Counter and type(b) is Counter:  # the counts of every key of either
            return [(a[key], b[key]) for key in a.keys() | b.keys()
                    if a[key] is not b[key] and _comparable(a[key], b[key])]
        if len(a) != len(b):
            return ()
        pairs = []
        for key, value in a.items():
            other = b.get(key, _children)
            if other is not value and _comparable(value, other):
                pairs.append((value, other))
        return pairs
    kinds = set(map(type, a))
    if kinds.isdisjoint(_BOXES):
        return ()
    return [(x, y) for x, y in zip(a, b) if x is not y and _comparable(x, y)]


def _comparable(x, y):
    """Are x and y containers that Python compares item by item?"""
    kind = _KIND.get(type(x))
    return kind is not None and kind is _KIND.get(type(y))


def count_comparisons(a, b, limit=MAX_COMPARISONS):
    """How many item comparisons Python makes comparing a with b (at most; it stops at the
    first difference), or _TOO_MANY past limit or through a cycle. Iterative: no recursion."""
    if a is b or not _comparable(a, b):
        return 0
    done = {}  # (id, id) -> comparisons below that pair
    open_pairs = set()
    stack = [(a, b, None)]
    while stack:
        x, y, children = stack.pop()
        key = (id(x), id(y))
        if children is None:
            if key in done:
                continue
            if key in open_pairs:
                return _TOO_MANY
            children = _children(x, y)
            open_pairs.add(key)
            stack.append((x, y, children))
            stack.extend((c, d, None) for c, d in children
                         if (id(c), id(d)) not in done)
            continue
        total = len(x) + sum(done.get((id(c), id(d)), limit + 1) for c, d in children)
        if total > limit:
            return _TOO_MANY
        open_pairs.discard(key)
        done[key] = total
    return done[(id(a), id(b))]


def _refuse(what):
    raise LimitError("%s of two values that hold the same lists, tuples or dicts over and over "
                     "(or hold themselves) would make more than %d item comparisons (gradsh's "
                     "limit); compare smaller parts" % (what, MAX_COMPARISONS))


def check_pair(a, b, what):
    if count_comparisons(a, b) is _TOO_MANY:
        _refuse(what)


def check_items(items, what):
    """Before comparing the items of a list with each other (sorting, min, max): refuse when
    two of them hold containers whose comparison is past the budget. Pairs of the same type
    are checked with their neighbours and the first (what sorting meets first); the budget is
    spent once across them."""
    boxes = [x for x in items if type(x) in _BOXES]
    if len(boxes) < 2:
        return
    budget = MAX_COMPARISONS
    for x, y in zip(boxes, boxes[1:] + boxes[:1]):
        n = count_comparisons(x, y, budget)
        if n is _TOO_MANY:
            _refuse(what)
        budget -= n


def check_member(x, items, what):
    """Before `x in items` (and list.count/index/remove): x against each container item."""
    if type(x) not in _BOXES or type(items) not in _SEARCHED:
        return
    budget = MAX_COMPARISONS
    for item in items:
        if _comparable(x, item):
            n = count_comparisons(x, item, budget)
            if n is _TOO_MANY:
                _refuse(what)
            budget -= n


# The helpers are made from one template so that each is Python's operator inline, behind two
# type checks held in default arguments: they run for every comparison of a program (a call of
# an operator function or a closure would double their cost).
_TEMPLATE = """
def compare(a, b, _type=type, _boxes=_BOXES, _right=%(right)s, _check=%(check)s):
    if _type(a) in _boxes and _type(b) in _right:
        _check(a, b, "'%(symbol)s'")
    return a %(symbol)s b
"""


# `x in it` of an iterator read in C (itertools.count(), a map...) reads it through
# nesting.bounded: Ctrl-C and the reading budget stop an endless search. So does `x in obj`
# of a program's object without `__contains__` (Python searches its `__iter__` or, from 0 on,
# its `__getitem__`: endless when it never raises IndexError; round 8)
_MEMBER_TEMPLATE = """
def compare(a, b, _type=type, _boxes=_BOXES, _right=_SEARCHED, _check=check_member,
            _lazy=LAZY_ITERATORS, _bounded=bounded, _searched=searched):
    kind = _type(b)
    if kind in _lazy:
        b = _bounded(b, "'%(symbol)s'", _lazy)
    elif _type(a) in _boxes and kind in _right:
        _check(a, b, "'%(symbol)s'")
    elif _MARK in kind.__dict__:
        b = _searched(b, "'%(symbol)s'")
    return a %(symbol)s b
"""

_MARK = ProgramClasses.MARK


def searched(obj, what):
    """What `x in obj` searches: obj itself when its class has `__contains__` (or is not the
    program's), else its items through read_lazily, within the reading budget (each item is a
    call of the program's `__next__` or `__getitem__`: Python's search would go on for ever)."""
    cls = type(obj)
    if hasattr(cls, "__contains__") or not (hasattr(cls, "__iter__")
                                            or hasattr(cls, "__getitem__")):
        return obj  # Python's own search, or its TypeError
    return _ReadLazily(read_lazily(obj, what))


class _ReadLazily:
    """An iterable over read_lazily's items (a generator would count as a lazy iterator)."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items

    def __iter__(self):
        return self.items


def _compiled(symbol, check):
    scope = {"_BOXES": _BOXES, "_SEARCHED": _SEARCHED, "check_pair": check_pair,
             "searched": searched, "_MARK": _MARK,
             "check_member": check_member, "LAZY_ITERATORS": LAZY_ITERATORS,
             "bounded": bounded}
    right = "_SEARCHED" if check == "check_member" else "_BOXES"
    template = _MEMBER_TEMPLATE if check == "check_member" else _TEMPLATE
    exec(template % {"symbol": symbol, "check": check, "right": right}, scope)  # noqa: S102 - fixed text
    compare = scope["compare"]
    compare.__qualname__ = compare.__name__ = "compare " + symbol
    return compare


COMPARISONS = {symbol: _compiled(symbol, "check_member" if "in" in symbol else "check_pair")
               for symbol in ("==", "!=", "<", "<=", ">", ">=", "in", "not in")}


def make_chain(same_object):
    """The `.chain` helper: `a < b < c` where the compiler cannot name b (runtime/compiler.py),
    given the symbols, the first two operands and a function for each later one. Each link is
    the checked comparison a single `<` is; the result is Python's (the first false link's
    value, else the last one's), later operands evaluated only when their link is reached."""
    links = {**COMPARISONS, "is": same_object, "is not": lambda a, b: not same_object(a, b)}

    def chain(symbols, left, right, *later):
        result = links[symbols[0]](left, right)
        for symbol, operand in zip(symbols[1:], later):
            if not result:
                return result
            left, right = right, operand()
            result = links[symbol](left, right)
        return result

    return chain
