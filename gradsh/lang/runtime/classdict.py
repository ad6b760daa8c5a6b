"""`C.__dict__` and `vars(C)` for a program's own class: a read-only view standing for Python's
mappingproxy, never the class's real dict.

Python's mappingproxy hands out what the class body stored, unbound: `C.__dict__['m']` is the
classmethod, staticmethod, property or cached_property object itself (code reads it to tell
them apart, or to find a field in its owner while `__set_name__` runs). The real dict also
holds what Python and gradsh put there: the `__dict__`/`__weakref__` descriptors (Python's
getters of any instance's dict), gradsh's mark of a program class and the wrappers it makes of
a program's `__getattr__`/`__setattr__`/`__exit__`. So the view hands out a value only when it
is one the program may hold anyway:

- a descriptor the class body made (classmethod, staticmethod, property, cached_property) whose
  functions are the program's own, as it is;
- an instance of a program class (a descriptor of the program's), a program class;
- any other name as `C.name` in the program's text would read it (the gate's rules: the text of
  `__module__`, `__doc__`, a plain value, the program's function behind gradsh's wrapper);
- everything else (`__dict__`, `__weakref__`, a named tuple's field getters...) as a stand-in
  that only shows Python's text for it.

gradsh's own bookkeeping names are left out; the program's `__set_name__` (kept by classhooks.py
under another name) is listed under its own. torch's classes, Python's and gradsh's have no view:
their `__dict__` stays refused (instancedict.py's message).
"""

import functools
import types
from collections.abc import Mapping

from .classhooks import SET_NAME
from .limits import check_text_size
from .dictviews import Snapshots

_HIDDEN_PREFIXES = ("__gradsh", ".")


class Unavailable:
    """What the view gives for a name whose value the program may not hold: Python's text for
    it, and nothing else (no attributes, no call)."""

    __slots__ = ("_text",)

    def __init__(self, text):
        self._text = text

    def __repr__(self):
        return self._text


Unavailable.__module__ = "builtins"


class ClassDict(Snapshots, Mapping):
    """What `C.__dict__` gives for a program class `C` (shown as Python's mappingproxy)."""

    __slots__ = ("_cls", "_gate")

    def __init__(self, cls, gate):
        self._cls, self._gate = cls, gate

    def _names(self):
        """(name shown, name in the real dict), in the real dict's order."""
        names = []
        for key in list(type.__dict__["__dict__"].__get__(self._cls)):
            if type(key) is not str:
                continue
            if key == SET_NAME:
                names.append(("__set_name__", key))
            elif not key.startswith(_HIDDEN_PREFIXES):
                names.append((key, key))
        return names

    def _real_key(self, name):
        if name == "__set_name__":
            return SET_NAME
        if type(name) is not str or name.startswith(_HIDDEN_PREFIXES):
            return None
        return name

    def _value(self, name, key):
        raw = type.__dict__["__dict__"].__get__(self._cls)[key]
        gate = self._gate
        if self._is_programs(raw):
            return raw
        unwrapped = _program_behind_wrapper(raw, gate)
        if unwrapped is not None:
            return unwrapped
        if type(raw) in (types.GetSetDescriptorType, types.MemberDescriptorType) \
                or name == "__set_name__":
            return Unavailable(repr(raw) if name != "__set_name__" else "<function>")
        try:
            return gate.load_once(self._cls, name)
        except AttributeError:
            return Unavailable("<%s object>" % type(raw).__name__)

    def _is_programs(self, raw):
        gate = self._gate
        cls = type(raw)
        if cls is types.FunctionType:
            return gate.is_program_function(raw)
        if cls in (classmethod, staticmethod):
            return self._is_programs(raw.__func__)
        if cls is property:
            return all(f is None or self._is_programs(f) for f in (raw.fget, raw.fset, raw.fdel))
        if cls is functools.cached_property:
            return self._is_programs(raw.func)
        return cls in gate.program_classes or raw in gate.program_classes

    def __getitem__(self, name):
        key = self._real_key(name)
        if key is None or key not in type.__dict__["__dict__"].__get__(self._cls):
            raise KeyError(name)
        return self._value(name, key)

    def __iter__(self):
        return iter([name for name, _ in self._names()])

    def __len__(self):
        return len(self._names())

    def __contains__(self, name):
        key = self._real_key(name)
        return key is not None and key in type.__dict__["__dict__"].__get__(self._cls)

    def _plain(self):
        return {name: self._value(name, key) for name, key in self._names()}

    def get(self, name, default=None):
        return self[name] if name in self else default

    def __eq__(self, other):
        if isinstance(other, ClassDict):
            return self._cls is other._cls
        return NotImplemented

    __hash__ = None

    # `|` copies into a dict as Python's mappingproxy does; `|=` is its TypeError (round 20)
    def __or__(self, other):
        return self._plain().__or__(other)

    def __ror__(self, other):
        return self._plain().__ror__(other)

    def __ior__(self, other):
        raise TypeError("'|=' is not supported by mappingproxy; use '|' instead")

    def __repr__(self):
        plain = self._plain()
        check_text_size(plain, "repr()")
        return "mappingproxy(%r)" % (plain,)

    def __str__(self):  # print(C.__dict__) shows the dict, as Python's mappingproxy does
        return repr(self)[len("mappingproxy("):-1]


def _program_behind_wrapper(raw, gate):
    """The program's own function behind the wrapper gradsh made of it when the class was made
    (its `__getattr__`, `__setattr__`, `__delattr__`, `__exit__`: classes.py)."""
    if type(raw) is types.FunctionType and not gate.is_program_function(raw):
        inner = raw.__dict__.get("__wrapped__")
        if type(inner) is types.FunctionType and gate.is_program_function(inner):
            return inner
    return None


# messages and type() name it as Python names a class's __dict__
ClassDict.__name__ = ClassDict.__qualname__ = "mappingproxy"
ClassDict.__module__ = "builtins"
Unavailable.__name__ = Unavailable.__qualname__ = "unavailable"

# the methods a program may call on it (sandbox.PYTHON_ALLOWED)
CLASS_DICT_NAMES = frozenset("keys values items get copy".split())
