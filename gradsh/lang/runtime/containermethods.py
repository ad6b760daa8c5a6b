"""The list, dict and set methods a program gets in place of Python's where they grow the value by
more than one item: `list.extend`, `dict.update` and the set methods that read other iterables
(`set.update`, `union`...), size-checked (MAX_ITEMS) before they grow;
and where they make tuples of the program's values: `dict.items()` and `dict.popitem()`, whose
pairs are checked as tuple displays are (nesting.check_tuple: `t = list({1: t}.items())[0]` in
a loop would make a chain of tuples deep enough to crash Python's C code).
"""

import collections
import operator
import collections.abc

from . import comparing, limits
from .builtinfns import bound_wrapper
from .limits import check_counts, check_items, collect, mapping_args
from .nesting import check_tuple

_map = map  # Python's own (not the depth-recording one)

__all__ = ["LIST_WRAPPERS", "DICT_WRAPPERS", "TUPLE_WRAPPERS", "SET_WRAPPERS", "FROZENSET_WRAPPERS", "COUNTER_WRAPPERS",
           "DEQUE_WRAPPERS", "sort_list", "slice_target"]


def _extend(items, iterable):
    more = iterable if isinstance(iterable, (list, tuple, str, dict)) else collect(
        iterable, "list.extend()")
    check_items(len(items) + len(more), "list.extend()")
    items.extend(more)


class _SliceStore:
    """`x[a:b] = value` on a list, within the item limit: the value read within it (a range,
    a generator), the list it leaves checked before it is changed."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items

    def __setitem__(self, key, value):
        items = self.items
        if isinstance(key, slice):
            kind = type(value)
            if not (hasattr(kind, "__iter__") or hasattr(kind, "__getitem__")):
                items[key] = value  # no iterable, nothing to add: Python's words (adv13c:
                return              # "can only assign an iterable")
            if not isinstance(value, (list, tuple, str, dict, bytes, bytearray)):
                value = collect(value, "a slice assignment")  # (a bytearray's too: C reads
                # any iterable of ints, itertools.repeat(0, 10**9) included)
            removed = len(range(*key.indices(len(items))))
            if type(items) is bytearray:
                if value is items:
                    value = bytes(value)  # (Python's BufferError: it exports itself)
                limits.check_length(len(items) - removed + len(value), "a slice assignment")
            else:
                check_items(len(items) - removed + len(value), "a slice assignment")
        items[key] = value


def slice_target(obj):
    """What `obj[a:b] = value` stores into: a list or a bytearray through the size check,
    anything else as it is (a tensor's slice assignment makes nothing larger)."""
    return _SliceStore(obj) if type(obj) is list or type(obj) is bytearray else obj


def _update(mapping, *args, **kwargs):
    args = mapping_args(args, "dict.update()")
    more = len(kwargs) + sum(len(a) for a in args if hasattr(a, "__len__"))
    check_items(len(mapping) + more, "dict.update()")
    mapping.update(*args, **kwargs)


def _bound(fn, real):
    fn.__qualname__ = real.__qualname__  # as Python's argument errors name it: list.extend()
    return bound_wrapper(fn, real)


class Items:
    """What `dict.items()` gives a program: Python's view, with each pair checked as it is
    read (iteration, set operations)."""

    __slots__ = ("_view",)

    def __init__(self, view):
        self._view = view

    def __iter__(self):
        return _map(check_tuple, self._view)

    def __reversed__(self):
        return _map(check_tuple, reversed(self._view))

    def __len__(self):
        return len(self._view)

    def __contains__(self, pair):
        return pair in self._view

    def __repr__(self):
        return repr(self._view)

    def __eq__(self, other):
        if isinstance(other, Items):  # compares the values of equal keys: within the budget
            comparing.check_pair(dict(self._view.mapping), dict(other._view.mapping), "'=='")
            other = other._view
        return self._view == other

    __hash__ = None

    def _pairs(self):
        return set(self)


for _name, _symbol in (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")):
    # `a.items() <= b.items()`: Python's set comparison of the views, within the budget as ==
    def _view_comparison(self, other, _op=getattr(operator, _name), _symbol=_symbol):
        if isinstance(other, Items):
            comparing.check_pair(dict(self._view.mapping), dict(other._view.mapping),
                                 "'%s'" % _symbol)
            other = other._view
        return _op(self._view, other)
    setattr(Items, _name, _view_comparison)

for _name in ("__and__", "__or__", "__sub__", "__xor__", "__rand__", "__ror__", "__rsub__",
              "__rxor__"):
    def _set_operation(self, other, _op=getattr(set, _name)):
        return _op(self._pairs(), set(other) if isinstance(other, Items) else other)
    setattr(Items, _name, _set_operation)
limits.add_set_like(Items)
Items.__name__ = Items.__qualname__ = "dict_items"  # (adv13c) as type(d.items()) shows it
collections.abc.ItemsView.register(Items)  # its text shows its pairs: measured as theirs


def _items(mapping):
    return Items(mapping.items())


def _popitem(mapping, *args, **kwargs):
    return check_tuple(mapping.popitem(*args, **kwargs))  # OrderedDict's takes last=


def sort_list(items, *args, **kwargs):
    """list.sort, after checking that comparing the items (or their keys) stays within the
    comparison budget (comparing.py): the keys are computed once, as Python does. Its
    arguments are refused in Python's words (those of a C function's parser)."""
    given = len(args) + len(kwargs)
    if args:
        raise TypeError("sort() takes at most 2 arguments (%d given)" % given if given > 2
                        else "sort() takes no positional arguments")
    if given > 2:
        raise TypeError("sort() takes at most 2 keyword arguments (%d given)" % given)
    for name in kwargs:
        if name not in ("key", "reverse"):
            raise TypeError("'%s' is an invalid keyword argument for sort()" % name)
    key, reverse = kwargs.get("key"), kwargs.get("reverse", False)
    if key is None:
        comparing.check_items(items, "sorting")
        items.sort(reverse=reverse)
        return
    keys = [key(x) for x in items]
    comparing.check_items(keys, "sorting")
    order = sorted(range(len(items)), key=keys.__getitem__, reverse=reverse)
    items[:] = [items[i] for i in order]


def _searching(real):
    """list.count/index/remove and tuple.count/index: x compared with each item, checked."""
    def search(items, x, *args):
        comparing.check_member(x, items, "%s()" % real.__qualname__)
        return real(items, x, *args)
    return search


LIST_WRAPPERS = {"extend": _bound(_extend, list.extend), "sort": _bound(sort_list, list.sort),
                 **{name: _bound(_searching(getattr(list, name)), getattr(list, name))
                    for name in ("count", "index", "remove")}}
TUPLE_WRAPPERS = {name: _bound(_searching(getattr(tuple, name)), getattr(tuple, name))
                  for name in ("count", "index")}
def checked_dict_init(self, *args, **kwargs):
    """dict.__init__ of a program's dict subclass: its items read within gradsh's limits, as
    `d.update(...)` reads them (classes.build_class)."""
    if not isinstance(self, dict):  # `D.__init__(other_object)`
        raise TypeError("descriptor '__init__' requires a 'dict' object but received a '%s'"
                        % type(self).__name__)
    _update(self, *args, **kwargs)


checked_dict_init.__qualname__ = "dict.__init__"
DICT_WRAPPERS = {"update": _bound(_update, dict.update), "items": _bound(_items, dict.items),
                 "popitem": _bound(_popitem, dict.popitem)}


_SET_GROWS = frozenset(("update", "union", "symmetric_difference", "symmetric_difference_update"))
_HELD = (list, tuple, str, dict, set, frozenset)  # within the limits already


def _set_method(real, grows):
    """A set method that reads other iterables: anything but a value already held (a range, an
    iterator) is read within MAX_ITEMS first (`s.update(endless())` and
    `s.issubset(range(10**12))` stop at once); one that grows the set is refused when the items
    it is given could take the set past MAX_ITEMS."""
    what = "%s()" % real.__qualname__

    def method(items, *others):
        others = [o if type(o) in _HELD else collect(o, what) for o in others]
        if grows:
            check_items(len(items) + sum(len(o) for o in others), what)
        return real(items, *others)
    return method


def _deque_extend(real):
    """deque.extend/extendleft: the items read within MAX_ITEMS; the deque kept within it."""
    what = "deque.%s()" % real.__name__

    def extend(items, iterable):
        more = iterable if type(iterable) in _HELD else collect(iterable, what)
        check_items(len(items) + len(more), what)
        real(items, more)
    return extend


def _counter_subtract(counter, *args, **kwargs):
    counter.subtract(*mapping_args(args, "Counter.subtract()"), **kwargs)


def _counter_update(counter, *args, **kwargs):
    """Counter.update: an iterable read within MAX_ITEMS, a mapping's counts added within the
    limits (limits.check_counts)."""
    args = mapping_args(args, "Counter.update()")
    for more in (*args, kwargs):
        if isinstance(more, dict):
            check_counts(counter, more, "Counter.update()")
    counter.update(*args, **kwargs)


def _most_common(counter, n=None):
    """Counter.most_common, after checking that sorting the counts stays within the comparison
    budget (a Counter may hold lists as counts)."""
    comparing.check_items(list(counter.values()), "Counter.most_common()")
    return counter.most_common(n)


COUNTER_WRAPPERS = {**DICT_WRAPPERS,
                    "subtract": _bound(_counter_subtract, collections.Counter.subtract),
                    "update": _bound(_counter_update, collections.Counter.update),
                    "most_common": _bound(_most_common, collections.Counter.most_common)}
DEQUE_WRAPPERS = {**{name: _bound(_deque_extend(getattr(collections.deque, name)),
                                  getattr(collections.deque, name))
                     for name in ("extend", "extendleft")},
                  **{name: _bound(_searching(getattr(collections.deque, name)),
                                  getattr(collections.deque, name))
                     for name in ("count", "index", "remove")}}

_READING = ("union", "intersection", "difference", "symmetric_difference", "issubset",
            "issuperset", "isdisjoint")  # the methods of set and frozenset that read iterables
SET_WRAPPERS = {name: _bound(_set_method(getattr(set, name), name in _SET_GROWS),
                             getattr(set, name))
                for name in _READING + ("update", "intersection_update", "difference_update",
                                        "symmetric_difference_update")}
FROZENSET_WRAPPERS = {name: _bound(_set_method(getattr(frozenset, name), name in _SET_GROWS),
                                   getattr(frozenset, name))
                      for name in _READING}
