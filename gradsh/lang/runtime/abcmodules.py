"""collections.abc and numbers (branch adv12c): Python's abstract classes, for isinstance and
issubclass (`isinstance(x, Mapping)`, `isinstance(v, numbers.Real)`), as Python answers them.
Their `register` (which changes what every session's isinstance answers) is not offered: the
gate gives a program no attribute of these classes but their names.

Since branch adv14c a program's class may inherit from the ones in ABC_STAND_INS
(`class Dataset(Sequence)`): the class statement puts gradsh's subclass of the ABC in its
place (classes.build_class), which shows as the ABC in `__mro__` and `__bases__`. Their mixin
methods are Python's documented ones; those that compare the program's values (`index`,
`count`, `in`, a Mapping's `==`, a values or items view's `in`) compare each pair within the
comparison budget first (comparing.py), as a list's `index` does: Python's mixins compare in
C, where a value shared at every level would take 2**60 steps.
"""

import collections.abc as _abc
import numbers as _numbers

from . import comparing
from .classes import ABC_STAND_INS
from .namespaces import Namespace

ABC_NAMES = ("Awaitable", "Coroutine", "AsyncIterable", "AsyncIterator", "AsyncGenerator",
             "Hashable", "Iterable", "Iterator", "Generator", "Reversible", "Sized", "Container",
             "Callable", "Collection", "Set", "MutableSet", "Mapping", "MutableMapping",
             "MappingView", "KeysView", "ItemsView", "ValuesView", "Sequence",
             "MutableSequence", "ByteString")


def collections_abc_namespace():
    from .stdlib import _Module
    return Namespace("collections.abc", _Module(**{n: getattr(_abc, n) for n in ABC_NAMES}))


def numbers_namespace():
    from .stdlib import _Module
    return Namespace("numbers", _Module(**{n: getattr(_numbers, n) for n in (
        "Number", "Complex", "Real", "Rational", "Integral")}))


# ------------------------------------------------------------------ subclassing (branch adv14c)
def _same(a, b):
    """`a is b or a == b`, as the mixins ask it, after the comparison budget's count."""
    if a is b:
        return True
    comparing.check_pair(a, b, "'=='")
    return a == b


class _Hidden:
    """gradsh's stand-in for an ABC in a program class's bases: `__mro__` leaves it out and
    `__bases__` shows the ABC it stands for (sandbox.Gate._classes)."""

    __slots__ = ()
    gradsh_stands_for = None


class _Sequence(_Hidden, _abc.Sequence):
    __slots__ = ()
    gradsh_stands_for = _abc.Sequence

    def __contains__(self, value):
        return any(_same(v, value) for v in self)

    def index(self, value, start=0, stop=None):
        """The first i (start <= i < stop) with self[i] equal to value, read until IndexError."""
        n = None
        if start is not None and start < 0:
            n = len(self)
            start = max(n + start, 0)
        if stop is not None and stop < 0:
            stop += len(self) if n is None else n
        i = start
        while stop is None or i < stop:
            try:
                item = self[i]
            except IndexError:
                break
            if _same(item, value):
                return i
            i += 1
        raise ValueError

    def count(self, value):
        return sum(1 for v in self if _same(v, value))


class _MutableSequence(_Sequence, _abc.MutableSequence):
    __slots__ = ()
    gradsh_stands_for = _abc.MutableSequence


class _KeysView(_abc.KeysView):
    __slots__ = ()


_KeysView.__name__ = _KeysView.__qualname__ = "KeysView"


class _ItemsView(_abc.ItemsView):
    __slots__ = ()

    def __contains__(self, item):
        key, value = item
        try:
            found = self._mapping[key]
        except KeyError:
            return False
        return _same(found, value)


_ItemsView.__name__ = _ItemsView.__qualname__ = "ItemsView"


class _ValuesView(_abc.ValuesView):
    __slots__ = ()

    def __contains__(self, value):
        return any(_same(self._mapping[key], value) for key in self._mapping)


_ValuesView.__name__ = _ValuesView.__qualname__ = "ValuesView"


class _Mapping(_Hidden, _abc.Mapping):
    __slots__ = ()
    gradsh_stands_for = _abc.Mapping

    def keys(self):
        return _KeysView(self)

    def items(self):
        return _ItemsView(self)

    def values(self):
        return _ValuesView(self)

    def __eq__(self, other):
        if not isinstance(other, _abc.Mapping):
            return NotImplemented
        mine, theirs = dict(self.items()), dict(other.items())
        comparing.check_pair(mine, theirs, "'=='")
        return mine == theirs


class _MutableMapping(_Mapping, _abc.MutableMapping):
    __slots__ = ()
    gradsh_stands_for = _abc.MutableMapping


def _plain(abc_class):
    """An ABC whose mixins compare nothing: gradsh's stand-in only hides itself."""
    return type("_" + abc_class.__name__, (_Hidden, abc_class),
                {"__slots__": (), "gradsh_stands_for": abc_class})


# the ABCs a program's class may inherit from, each with the class put in its place
ABC_STAND_INS.update({_abc.Sequence: _Sequence, _abc.MutableSequence: _MutableSequence,
                _abc.Mapping: _Mapping, _abc.MutableMapping: _MutableMapping,
                **{c: _plain(c) for c in (_abc.Iterable, _abc.Iterator, _abc.Reversible,
                                          _abc.Sized, _abc.Container, _abc.Collection,
                                          _abc.Callable, _abc.Hashable)}})
# the mixin methods a program may call on its instances (the gate: sandbox.PYTHON_ALLOWED)
MIXIN_NAMES = {_Sequence: frozenset(("index", "count")),
               _abc.MutableSequence: frozenset(("append", "clear", "extend", "pop", "remove",
                                                "reverse")),
               _abc.Mapping: frozenset(("get",)),
               _Mapping: frozenset(("keys", "items", "values")),
               _abc.MutableMapping: frozenset(("pop", "popitem", "clear", "update",
                                               "setdefault"))}
