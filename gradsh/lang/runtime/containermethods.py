"""The list and dict methods a program gets in place of Python's where they grow the value by
more than one item: `list.extend` and `dict.update`, size-checked (MAX_ITEMS) before they grow.
"""

from .limits import check_items, collect

__all__ = ["LIST_WRAPPERS", "DICT_WRAPPERS"]


def _extend(items, iterable):
    more = iterable if isinstance(iterable, (list, tuple, str, dict)) else collect(
        iterable, "list.extend()")
    check_items(len(items) + len(more), "list.extend()")
    items.extend(more)


def _update(mapping, *args, **kwargs):
    if len(args) == 1 and not isinstance(args[0], dict) and not hasattr(args[0], "keys"):
        args = (collect(args[0], "dict.update()"),)
    more = len(kwargs) + sum(len(a) for a in args if hasattr(a, "__len__"))
    check_items(len(mapping) + more, "dict.update()")
    mapping.update(*args, **kwargs)


def _bound(fn, real):
    def bind(obj, name):
        def method(*args, **kwargs):
            return fn(obj, *args, **kwargs)
        method.__name__ = name
        method.__doc__ = real.__doc__
        return method
    return bind


LIST_WRAPPERS = {"extend": _bound(_extend, list.extend)}
DICT_WRAPPERS = {"update": _bound(_update, dict.update)}
