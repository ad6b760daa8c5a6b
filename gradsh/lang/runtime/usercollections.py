"""collections.ChainMap, UserDict, UserList and UserString for .grad programs (branch lang20):
gradsh's own classes, written after Python's documented behaviour, whose every way of making
a bigger container goes through gradsh's limits.

Python's are pure Python over a plain dict, list or str: `UserList(x) * 10**9`,
`UserString('a') * 10**10` and `UserList(endless_generator)` build past the item and string
limits in Python's own code, where the program's operators are never asked. Here every
constructor reads its iterable within MAX_ITEMS (limits.collect), and `+`, `*`, `extend`,
`%`, `join`, `replace`... check the size they would make first, with the limits' own
messages. A program may subclass them (`class LowerDict(UserDict)`: their methods call the
program's `__setitem__`, as Python's do), and reads `data`, `maps`, `parents` as in Python.
Comparisons go through the comparison budget (comparing.py), text through the text-size walk.
"""

from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence

from .limits import (MAX_ITEMS, _percent, check_items, check_length, check_text_size,
                     collect, mapping_args)
from . import comparing
from .strmethods import STR_WRAPPERS


def _checked(n, what):
    check_items(n, what)


def _count(n):
    """A repeat count, as Python reads it (an int or an object with __index__)."""
    if not isinstance(n, int):
        index = getattr(type(n), "__index__", None)
        if index is None:
            raise TypeError("can't multiply sequence by non-int of type '%s'"
                            % type(n).__name__)
        n = index(n)
    return max(n, 0)


def _compare(a, b, symbol):
    comparing.check_pair(a, b, "'%s'" % symbol)


class ChainMap(MutableMapping):
    """A view of several mappings searched in order; writes and deletes go to the first."""

    gradsh_base = True  # a program may subclass it (classes.build_class)

    def __init__(self, *maps):
        _checked(len(maps), "ChainMap()")
        self.maps = list(maps) or [{}]

    def __missing__(self, key):
        raise KeyError(key)

    def __getitem__(self, key):
        for mapping in self.maps:
            try:
                return mapping[key]
            except KeyError:
                pass
        return self.__missing__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __len__(self):
        return len(set().union(*[collect(m, "ChainMap's keys") for m in self.maps]))

    def __iter__(self):
        seen = {}
        for mapping in reversed(self.maps):
            for key in collect(mapping, "ChainMap's keys"):
                seen[key] = None
        return iter(seen)

    def __contains__(self, key):
        return any(key in m for m in self.maps)

    def __bool__(self):
        return any(self.maps)

    def __repr__(self):
        check_text_size(self.maps, "repr()")
        return "%s(%s)" % (type(self).__name__, ", ".join(map(repr, self.maps)))

    @classmethod
    def fromkeys(cls, iterable, value=None, /):
        return cls(dict.fromkeys(collect(iterable, "ChainMap.fromkeys()"), value))

    def copy(self):
        """A new ChainMap with a copy of the first mapping and the others shared."""
        return type(self)(self.maps[0].copy(), *self.maps[1:])

    __copy__ = copy

    def new_child(self, m=None, **kwargs):
        if m is None:
            m = kwargs
        elif kwargs:
            m.update(kwargs)
        return type(self)(m, *self.maps)

    @property
    def parents(self):
        return type(self)(*self.maps[1:])

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        try:
            del self.maps[0][key]
        except KeyError:
            raise KeyError("Key not found in the first mapping: {!r}".format(key)) from None

    def popitem(self):
        try:
            return self.maps[0].popitem()
        except KeyError:
            raise KeyError("No keys found in the first mapping.") from None

    def pop(self, key, *args):
        try:
            return self.maps[0].pop(key, *args)
        except KeyError:
            raise KeyError("Key not found in the first mapping: {!r}".format(key)) from None

    def clear(self):
        self.maps[0].clear()

    def __or__(self, other):
        if not isinstance(other, Mapping):
            return NotImplemented
        made = self.copy()
        made.maps[0].update(mapping_args((other,), "ChainMap |")[0])
        return made

    def __ior__(self, other):
        self.maps[0].update(mapping_args((other,), "ChainMap |=")[0])
        return self


class UserDict(MutableMapping):
    """A dict-like class over a real dict, `data`; its methods call the subclass's
    `__setitem__`, `__getitem__`... as Python's do."""

    gradsh_base = True

    def __init__(self, dict=None, /, **kwargs):
        self.data = {}
        if dict is not None:
            self.update(dict)
        if kwargs:
            self.update(kwargs)

    def update(self, *args, **kwargs):
        if len(args) > 1:
            raise TypeError("update expected at most 1 argument, got %d" % len(args))
        pairs = mapping_args(args, "UserDict.update()")
        source = pairs[0] if pairs else {}
        items = source.items() if hasattr(source, "items") else source
        for key, value in list(items):
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def __len__(self):
        return len(self.data)

    def __getitem__(self, key):
        if key in self.data:
            return self.data[key]
        missing = getattr(type(self), "__missing__", None)
        if missing is not None:
            return missing(self, key)
        raise KeyError(key)

    def __setitem__(self, key, item):
        self.data[key] = item

    def __delitem__(self, key):
        del self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __contains__(self, key):
        return key in self.data

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __repr__(self):
        check_text_size(self.data, "repr()")
        return repr(self.data)

    def __eq__(self, other):
        other = other.data if isinstance(other, UserDict) else other
        _compare(self.data, other, "==")
        return self.data == other if isinstance(other, dict) else NotImplemented

    __hash__ = None

    def __or__(self, other):
        if isinstance(other, (UserDict, dict)):
            made = self.copy()
            made.update(other)
            return made
        return NotImplemented

    def __ior__(self, other):
        self.update(other)
        return self

    def copy(self):
        made = type(self).__new__(type(self))
        made.__dict__.update(self.__dict__)
        made.data = self.data.copy()
        return made

    @classmethod
    def fromkeys(cls, iterable, value=None):
        made = cls()
        for key in collect(iterable, "UserDict.fromkeys()"):
            made[key] = value
        return made


class UserList(MutableSequence):
    """A list-like class over a real list, `data`."""

    gradsh_base = True

    def __init__(self, initlist=None, /):
        self.data = []
        if initlist is not None:
            self.data = list(initlist.data if isinstance(initlist, UserList) else
                             collect(initlist, "UserList()"))

    def _other(self, other):
        return other.data if isinstance(other, UserList) else other

    def __repr__(self):
        check_text_size(self.data, "repr()")
        return repr(self.data)

    def __lt__(self, other):
        _compare(self.data, self._other(other), "<")
        return self.data < self._other(other)

    def __le__(self, other):
        _compare(self.data, self._other(other), "<=")
        return self.data <= self._other(other)

    def __gt__(self, other):
        _compare(self.data, self._other(other), ">")
        return self.data > self._other(other)

    def __ge__(self, other):
        _compare(self.data, self._other(other), ">=")
        return self.data >= self._other(other)

    def __eq__(self, other):
        _compare(self.data, self._other(other), "==")
        return self.data == self._other(other)

    __hash__ = None

    def __contains__(self, item):
        return item in self.data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return type(self)(self.data[i])
        return self.data[i]

    def __setitem__(self, i, item):
        if isinstance(i, slice):
            item = self._other(item)
            item = item if isinstance(item, (list, tuple)) else collect(item, "UserList[:] =")
            _checked(len(self.data) + len(item), "UserList[:] =")
        self.data[i] = item

    def __delitem__(self, i):
        del self.data[i]

    def _joined(self, other, what):
        other = self._other(other)
        if not isinstance(other, (list, tuple)):
            other = collect(other, what)
        _checked(len(self.data) + len(other), what)
        return list(other)

    def __add__(self, other):
        return type(self)(self.data + self._joined(other, "concatenating"))

    def __radd__(self, other):
        return type(self)(self._joined(other, "concatenating") + self.data)

    def __iadd__(self, other):
        self.data += self._joined(other, "UserList +=")
        return self

    def __mul__(self, n):
        n = _count(n)
        _checked(len(self.data) * n, "repeating a list")
        return type(self)(self.data * n)

    __rmul__ = __mul__

    def __imul__(self, n):
        n = _count(n)
        _checked(len(self.data) * n, "repeating a list")
        self.data *= n
        return self

    def copy(self):
        return type(self)(self)

    def append(self, item):
        _checked(len(self.data) + 1, "UserList.append()")
        self.data.append(item)

    def insert(self, i, item):
        _checked(len(self.data) + 1, "UserList.insert()")
        self.data.insert(i, item)

    def pop(self, i=-1):
        return self.data.pop(i)

    def remove(self, item):
        self.data.remove(item)

    def clear(self):
        self.data.clear()

    def count(self, item):
        return self.data.count(item)

    def index(self, item, *args):
        return self.data.index(item, *args)

    def reverse(self):
        self.data.reverse()

    def sort(self, /, *args, **kwargs):
        comparing.check_items(self.data, "sort()")
        self.data.sort(*args, **kwargs)

    def extend(self, other):
        self.data.extend(self._joined(other, "UserList.extend()"))


class UserString(Sequence):
    """A str-like class over a real str, `data`; what it makes is within the string limit."""

    gradsh_base = True

    def __init__(self, seq):
        if isinstance(seq, str):
            self.data = seq
        elif isinstance(seq, UserString):
            self.data = seq.data[:]
        else:
            check_text_size(seq, "UserString()")
            self.data = str(seq)

    def _made(self, text):
        return type(self)(text)

    def _other(self, other):
        return other.data if isinstance(other, UserString) else other

    def __str__(self):
        return self.data

    def __repr__(self):
        return repr(self.data)

    def __int__(self):
        return int(self.data)

    def __float__(self):
        return float(self.data)

    def __hash__(self):
        return hash(self.data)

    def __eq__(self, other):
        return self.data == self._other(other)

    def __lt__(self, other):
        return self.data < self._other(other)

    def __le__(self, other):
        return self.data <= self._other(other)

    def __gt__(self, other):
        return self.data > self._other(other)

    def __ge__(self, other):
        return self.data >= self._other(other)

    def __contains__(self, char):
        return self._other(char) in self.data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self._made(self.data[index])

    def __add__(self, other):
        other = self._other(other)
        if not isinstance(other, str):
            other = str(other)
        check_length(len(self.data) + len(other), "concatenating strings")
        return self._made(self.data + other)

    def __radd__(self, other):
        other = self._other(other)
        if not isinstance(other, str):
            other = str(other)
        check_length(len(self.data) + len(other), "concatenating strings")
        return self._made(other + self.data)

    def __mul__(self, n):
        n = _count(n)
        check_length(len(self.data) * n, "repeating a string")
        return self._made(self.data * n)

    __rmul__ = __mul__

    def __mod__(self, args):
        return self._made(_percent(self.data, args))

    def count(self, sub, start=0, end=MAX_ITEMS * 100):
        return self.data.count(self._other(sub), start, end)

    def startswith(self, prefix, *args):
        return self.data.startswith(self._other(prefix), *args)

    def endswith(self, suffix, *args):
        return self.data.endswith(self._other(suffix), *args)

    def find(self, sub, *args):
        return self.data.find(self._other(sub), *args)

    def index(self, sub, *args):
        return self.data.index(self._other(sub), *args)

    def strip(self, chars=None):
        return self._made(self.data.strip(chars))

    def lstrip(self, chars=None):
        return self._made(self.data.lstrip(chars))

    def rstrip(self, chars=None):
        return self._made(self.data.rstrip(chars))

    def isdigit(self):
        return self.data.isdigit()

    def isalpha(self):
        return self.data.isalpha()

    def isspace(self):
        return self.data.isspace()

    def format(self, *args, **kwargs):
        raise TypeError("UserString.format() is not available in gradsh: use str(s).format(...)")


def _checked_str_method(name):
    """A UserString method through gradsh's checked str method (its size limits): str
    results made UserStrings as Python's are, lists of strings as they are."""
    wrapper = STR_WRAPPERS[name]

    def method(self, *args, **kwargs):
        args = [a.data if isinstance(a, UserString) else a for a in args]
        result = wrapper(self.data, name)(*args, **kwargs)
        return self._made(result) if isinstance(result, str) else result

    method.__name__ = method.__qualname__ = name
    return method


for _name in ("upper", "lower", "casefold", "title", "capitalize", "swapcase", "replace",
              "center", "ljust", "rjust", "zfill", "split", "rsplit", "splitlines", "join",
              "expandtabs"):
    setattr(UserString, _name, _checked_str_method(_name))

for _cls in (ChainMap, UserDict, UserList, UserString):
    _cls.__module__ = "collections"

# the names a program may use on them and their subclasses (sandbox.PYTHON_ALLOWED)
USER_COLLECTION_NAMES = {
    ChainMap: frozenset("maps parents new_child fromkeys copy get keys values items pop popitem "
                        "clear update setdefault".split()),
    UserDict: frozenset("data copy fromkeys get keys values items pop popitem clear update "
                        "setdefault".split()),
    UserList: frozenset("data append insert pop remove clear count index reverse sort extend "
                        "copy".split()),
    UserString: frozenset("data count startswith endswith find index strip lstrip rstrip "
                          "isdigit isalpha isspace format upper lower casefold title capitalize "
                          "swapcase replace center ljust rjust zfill split rsplit splitlines "
                          "join expandtabs".split()),
}

# the methods collections.abc's mixins give, kept in each class's own dict: the gate reads a
# name where the class's MRO defines it, and offers only the classes listed above
for _cls, _names in USER_COLLECTION_NAMES.items():
    for _name in _names:
        if _name not in _cls.__dict__ and hasattr(_cls, _name):
            setattr(_cls, _name, getattr(_cls, _name))

__all__ = ["ChainMap", "UserDict", "UserList", "UserString", "USER_COLLECTION_NAMES"]
