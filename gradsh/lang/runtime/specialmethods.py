"""Special methods of Python's own values called by name: `x.__repr__()`, `losses.__getitem__`,
`(3).__add__(4)`, `d.__contains__(k)`, `it.__next__()`.

A program may call exactly the special methods that an operator or a builtin would call anyway,
on the values of Python's types the sandbox hands out (numbers, strings, bytes, lists, tuples,
dicts, sets, ranges, their iterators and the program's generators). Each runs the check its
operator or builtin runs (the text limit for `__repr__`, the item limit for `__add__` and
`__mul__`, the comparison budget for `__eq__` and `__contains__`, the integer limit for
`__pow__`...) and then Python's own method, so its answer is Python's, NotImplemented included
(`(3).__add__(4.0)`). Everything else that starts with '__' stays refused (`__class__` and
`__dict__` are the gate's views; `__reduce__`, `__init__`, `__getattribute__`, `__sizeof__`,
`__subclasses__`... reach Python's machinery or skip a limit).
"""


import types
from collections import Counter, OrderedDict, defaultdict, deque

from . import comparing, nesting
from ..syntax.compiler import PYTHON_SPECIAL_METHODS
from .pybuiltins import MAX_POW_MOD_WORK, _round as python_round
from .limits import (LimitError, MAX_ITEMS, check_items, collect, check_length, check_text_size, int_like,
                     percent_format, _check_int_bits, check_spec, shown_as_kind)

__all__ = ["SPECIAL_NAMES", "SPECIAL_TYPES", "special_method"]

# the special methods, each the operator or builtin that calls it anyway
TEXT = {"__repr__": "repr()", "__str__": "str()"}
UNARY = frozenset("""__len__ __bool__ __hash__ __iter__ __next__ __reversed__ __neg__ __pos__
    __abs__ __invert__ __float__ __int__ __index__ __trunc__ __floor__ __ceil__""".split())
COMPARE = frozenset("__eq__ __ne__ __lt__ __le__ __gt__ __ge__".split())
ITEMS = frozenset("__getitem__ __setitem__ __delitem__ __contains__".split())
ARITHMETIC = frozenset("""__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__
    __rtruediv__ __floordiv__ __rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __divmod__
    __rdivmod__ __lshift__ __rlshift__ __rshift__ __rrshift__ __and__ __rand__ __or__ __ror__
    __xor__ __rxor__""".split())
SPECIAL_NAMES = frozenset(TEXT) | {"__format__", "__round__"} | UNARY | COMPARE | ITEMS \
    | ARITHMETIC
assert SPECIAL_NAMES == PYTHON_SPECIAL_METHODS  # (the compiler lets a program write these)

_ITERATORS = (type(iter([])), type(iter(())), type(iter("")), type(iter(b"")),
              type(iter(range(0))), type(iter(range(1 << 64))), type(iter({})),
              type(iter({}.values())), type(iter({}.items())), type(iter(set())),
              type(reversed([])), type(reversed(range(0))), type(iter(bytearray())),
              type(reversed({})))
# the types whose special methods a program may call by name
SPECIAL_TYPES = frozenset((int, bool, float, complex, str, bytes, bytearray, list, tuple, dict,
                           set, frozenset, range, Counter, deque, OrderedDict, defaultdict,
                           type(None), types.GeneratorType, *_ITERATORS))
_SEQUENCES = (str, bytes, bytearray, list, tuple, deque)
_TEXTS = (str, bytes, bytearray)
_SETS = (set, frozenset, dict, type({}.keys()), type({}.items()))


def _limit_sum(a, b, what):
    """`a + b` of two sequences within the limits (list + list, str + str)."""
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        if isinstance(a, _TEXTS):
            check_length(len(a) + len(b), what)
        else:
            check_items(len(a) + len(b), what)


def _repeat_count(seq, times, what):
    """The count `seq * times` repeats by (read once through __index__, as the count used),
    checked against the limits; `times` as it is when it is no integer (Python's answer)."""
    if isinstance(times, int) or hasattr(type(times), "__index__"):
        times = int_like(times)
        if times > 0:
            n = len(seq) * times
            if isinstance(seq, _TEXTS):
                check_length(n, what)
            elif n > MAX_ITEMS:
                check_items(n, what)
    return times


def _checked_operands(name, a, b):
    """The operands of `a.name(b)` after the check its operator makes (b may be read once)."""
    reflected = name.startswith("__r") and name not in ("__rshift__",)
    left, right = (b, a) if reflected else (a, b)
    what = "%s()" % name
    base = name.replace("__r", "__", 1) if reflected else name
    if base == "__add__":
        _limit_sum(left, right, what)
    elif base == "__mul__":
        if isinstance(a, _SEQUENCES):
            return _repeat_count(a, b, what)
        if type(a) is int and type(b) is int:
            _check_int_bits(a.bit_length() + b.bit_length(), what)
    elif base == "__pow__":
        power_check(left, right)
    elif base == "__lshift__":
        if type(left) is int and type(right) is int and left and right > 0:
            _check_int_bits(left.bit_length() + right, what)
    elif base in ("__or__", "__xor__") and isinstance(a, _SETS) and isinstance(b, _SETS):
        check_items(len(a) + len(b), what)
    return b


def pow_mod_check(exp, mod):
    """pow(a, exp, mod)'s work within pybuiltins' limit (exp's bits times mod's squared)."""
    work = abs(exp).bit_length() * max(mod.bit_length(), 64) ** 2
    if work > MAX_POW_MOD_WORK:
        raise LimitError("pow() with an exponent of %d bits modulo a number of %d bits is past "
                         "gradsh's limit on work; use smaller numbers"
                         % (abs(exp).bit_length(), mod.bit_length()))


def power_check(a, b):
    """`a ** b` of ints within the integer limit (limits.power's check)."""
    if type(a) in (int, bool) and type(b) in (int, bool) and b > 0 and abs(a) > 1:
        _check_int_bits(a.bit_length() * b, "__pow__()")


@shown_as_kind
class NoSpecialMethod(AttributeError):
    """Python's AttributeError for a special method the value's type does not have."""

    gradsh_kind = "AttributeError"


def _python(obj, name):
    """Python's method `name` of obj's type, bound to obj (None for a list's __hash__)."""
    for base in type(obj).__mro__:  # (not getattr of the class: `str.__or__` is type's)
        if name in base.__dict__:
            found = base.__dict__[name]
            break
    else:
        raise NoSpecialMethod("'%s' object has no attribute '%s'" % (type(obj).__name__,
                                                                     name), name=name)
    if found is None:
        return None

    def method(*args):  # (found.__get__(None) would be the unbound method: `None.__repr__`)
        return found(obj, *args)
    return _named(method, name, found)


def special_method(obj, name):
    """`obj.name` for a special method a program may call by name: the check its operator or
    builtin makes, then Python's own method (AttributeError as Python's when the type has
    none)."""
    method = _python(obj, name)
    if method is None:
        return None
    if name in TEXT:
        def text():
            check_text_size(obj, TEXT[name], repr if name == "__repr__" else None)
            out = method()
            check_length(len(out), TEXT[name])
            return out
        return _named(text, name, method)
    if name == "__format__":
        def format_(spec, /):
            if isinstance(spec, str):
                check_spec(spec)
                check_text_size(obj, "format()")
            out = method(spec)
            check_length(len(out), "format()")
            return out
        return _named(format_, name, method)
    if name == "__hash__":
        def hash_():
            nesting.check_tuple_depth(obj, "hash()'s tuple")
            return method()
        return _named(hash_, name, method)
    if name in COMPARE:
        def compare(other, /):
            comparing.check_pair(obj, other, "'%s'" % name)
            return method(other)
        return _named(compare, name, method)
    if name == "__contains__":
        def contains(item, /):
            comparing.check_member(item, obj, "'in'")
            return method(item)
        return _named(contains, name, method)
    if name == "__setitem__" and isinstance(obj, (list, bytearray)):
        def setitem(key, value, /):
            if isinstance(key, slice):
                if not isinstance(value, (list, tuple, str, bytes, bytearray, dict)):
                    value = collect(value, "a slice assignment")  # (as `x[a:b] = value`)
                if value is obj:
                    value = bytes(value) if isinstance(obj, bytearray) else list(value)
                removed = len(range(*key.indices(len(obj))))
                (check_length if isinstance(obj, bytearray) else check_items)(
                    len(obj) - removed + len(value), "a slice assignment")
            return method(key, value)
        return _named(setitem, name, method)
    if name == "__mod__" and isinstance(obj, _TEXTS):
        return _named(lambda args, /: percent_format(obj, args), name, method)
    if name == "__pow__":
        def pow_(exp, mod=None, /):
            if mod is None:
                power_check(obj, exp)
                return method(exp)
            if type(exp) is int and type(mod) is int:  # (pow(a, b, m)'s work limit)
                pow_mod_check(exp, mod)
            return method(exp, mod)
        return _named(pow_, name, method)
    if name == "__round__" and type(obj) is int:
        # round(n, -10**10) of an int: 0 without computing 10 ** 10**10 (pybuiltins._round)
        return _named(lambda *ndigits: python_round(obj, *ndigits), name, method)
    if name in ARITHMETIC:
        def binary(other, /):
            return method(_checked_operands(name, obj, other))
        return _named(binary, name, method)
    # __len__, __iter__, __getitem__...: as the operator, which checks nothing; a Python
    # function (_python), so a chain of them (`defaultdict(f).__getitem__` as the next
    # factory) meets Python's recursion limit rather than the C stack
    return method


def _named(fn, name, method):
    fn.__name__ = name
    fn.__qualname__ = getattr(method, "__qualname__", name)
    fn.__doc__ = getattr(method, "__doc__", None)
    return fn
