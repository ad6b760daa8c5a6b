"""PyTorch's `__name__` for the public functions gradsh names otherwise.

A program looping over functions prints their names (`for f in (torch.arccos, F.selu,
torch.special.expit): print(f.__name__, f(x))`): PyTorch's are 'arccos', 'selu' and
'special_expit', where gradsh's function objects are acos's (an alias is the same function), a
lambda, and expit. function_names.txt (recorded from PyTorch by tools/record_function_names.py)
lists each such name; `give` binds, in place of the function, a copy of it under PyTorch's
name: the same code, defaults, closure and attributes (so the copy costs nothing per call, and
the op itself, which other names and other ops share, keeps its own name).
"""

import os
import types

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "function_names.txt")
_names = None


def _table():
    global _names
    if _names is None:
        _names = {}
        with open(_TABLE, encoding="utf-8") as f:
            for line in f.read().splitlines():
                if line and not line.startswith("#"):
                    surface, attr, name = line.split("\t")
                    _names.setdefault(surface, {})[attr] = name
    return _names


def renamed(fn, name):
    """A copy of function fn under another name (fn itself if it is no Python function)."""
    if type(fn) is not types.FunctionType:
        return fn
    copy = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__,
                              fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__dict__.update(fn.__dict__)
    copy.__doc__, copy.__module__, copy.__qualname__ = fn.__doc__, fn.__module__, name
    return copy


def give(namespace, surface, setter=None):
    """Bind PyTorch's name for each function of namespace (a module's globals(), or a class's
    vars() with setter(attr, fn)) that function_names.txt lists for this surface."""
    table = _table().get(surface, {})
    # (a few names, as gradsh/_api.py layers a function when first read: looked up, not walked)
    pairs = table.items() if len(namespace) > 8 else [
        (attr, table[attr]) for attr in list(namespace) if attr in table]
    for attr, name in pairs:
        fn = namespace.get(attr)
        if fn is None or getattr(fn, "__name__", name) == name:
            continue
        copy = renamed(fn, name)
        if copy is not fn:
            if setter is None:
                namespace[attr] = copy
            else:
                setter(attr, copy)
