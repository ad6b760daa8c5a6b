"""bytes and bytearray in programs: the constructors and the methods that make larger values,
size-checked as str's are (strmethods.py), and `str.encode`, `int.to_bytes`, `int.from_bytes`.

A bytes value is measured as a string (MAX_STR bytes made by one operation); a bytearray is a
mutable one. Nothing here reads memory that is not a program's value: `bytes(x)` of anything
but an int, a str, bytes or a bytearray reads x's items (as an iterable of ints, within the
item limit), never the buffer of an object that has one (no memoryview exists in programs).
"""

import operator

from .builtinfns import bound_wrapper, with_python_refusals
from .limits import (MAX_INT_BITS, MAX_STR, LimitError, check_items, check_length, collect,
                     int_like)

__all__ = ["BYTES_NAMES", "BYTEARRAY_NAMES", "BYTES_WRAPPERS", "BYTEARRAY_WRAPPERS",
           "checked_bytes", "checked_bytearray", "encode", "to_bytes", "from_bytes"]

BYTES_NAMES = frozenset("""capitalize center count decode endswith expandtabs find hex index
    isalnum isalpha isascii isdigit islower isspace istitle isupper join ljust lower lstrip
    partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip
    split splitlines startswith strip swapcase title translate upper zfill""".split())
BYTEARRAY_NAMES = BYTES_NAMES | frozenset("append clear copy extend insert pop remove "
                                          "reverse".split())
# the error handlers whose text is at most one character per byte (decode) or that keep a
# character's encoding (encode); `backslashreplace` and `xmlcharrefreplace` write escapes
_SHORT_ERRORS = frozenset(("strict", "ignore", "replace", "surrogateescape", "surrogatepass"))
_SLICE = 1 << 16


def _what(obj, name):
    return "%s.%s()" % (type(obj).__name__, name)


def _source(value, what):
    """What bytes(value) or bytearray(value) may read: bytes, a bytearray, a count, or the
    items of any other iterable, read within the item limit (a buffer is never read as
    memory)."""
    if isinstance(value, (bytes, bytearray)):
        return value
    if not isinstance(value, str) and hasattr(type(value), "__index__"):
        try:  # a count; as Python's, an object whose __index__ refuses is read as items
            value = operator.index(value)
        except TypeError:
            pass
    if isinstance(value, int):
        if value > MAX_STR:
            check_length(value, what)
        return value
    if isinstance(value, str):
        raise TypeError("string argument without an encoding")
    if not (hasattr(type(value), "__iter__") or hasattr(type(value), "__getitem__")):
        raise TypeError("cannot convert '%s' object to %s" % (type(value).__name__,
                                                              what.rstrip("()")))
    items = collect(value, what)
    check_items(len(items), what)
    return items


def checked_bytes(source=b"", encoding=None, errors=None):
    """bytes(...) within the string limit."""
    if encoding is not None or errors is not None:
        if not isinstance(source, str):
            raise TypeError("encoding without a string argument")
        return encode(source, "utf-8" if encoding is None else encoding,
                      "strict" if errors is None else errors)
    return bytes(_source(source, "bytes()"))


def checked_bytearray(source=b"", encoding=None, errors=None):
    """bytearray(...) within the string limit."""
    if encoding is not None or errors is not None:
        if not isinstance(source, str):
            raise TypeError("encoding without a string argument")
        return bytearray(encode(source, "utf-8" if encoding is None else encoding,
                                "strict" if errors is None else errors))
    return bytearray(_source(source, "bytearray()"))


def encode(s, encoding="utf-8", errors="strict"):
    """str.encode within the string limit: a text whose encoding could pass MAX_STR bytes (4 per
    character at most, more with escaping error handlers) is measured a slice at a time."""
    if isinstance(s, str) and isinstance(encoding, str) and isinstance(errors, str):
        most = 10 if errors not in _SHORT_ERRORS else 4
        if len(s) * most > MAX_STR and not (s.isascii() and errors in _SHORT_ERRORS):
            size = 0
            for start in range(0, len(s), _SLICE):
                size += len(s[start:start + _SLICE].encode(encoding, errors))
                check_length(size, "str.encode()")
    out = s.encode(encoding, errors)
    check_length(len(out), "str.encode()")
    return out


def _decode(b, encoding="utf-8", errors="strict"):
    if isinstance(errors, str) and errors not in _SHORT_ERRORS:
        check_length(4 * len(b), _what(b, "decode"))  # \xNN for each byte at most
    return b.decode(encoding, errors)


def to_bytes(n, length=1, byteorder="big", *, signed=False):
    """int.to_bytes within the string limit."""
    length = int_like(length)
    if isinstance(length, int):
        check_length(length, "int.to_bytes()")
    return n.to_bytes(length, byteorder, signed=signed)


def from_bytes(data, byteorder="big", *, signed=False):
    """int.from_bytes within the integer limit (the bytes' items read first when they are no
    bytes: a list of ints, a generator)."""
    if isinstance(data, (int, str)):  # (Python's bytes() would take them; from_bytes does not)
        raise TypeError("cannot convert '%s' object to bytes" % type(data).__name__)
    if not isinstance(data, (bytes, bytearray)):
        data = checked_bytes(data)
    if len(data) * 8 > MAX_INT_BITS:
        raise LimitError("int.from_bytes() would make an integer of up to %d bits (gradsh's "
                         "limit is %d)" % (len(data) * 8, MAX_INT_BITS))
    return int.from_bytes(data, byteorder, signed=signed)


def _width(name):
    def checked(b, width, *fill):
        width = int_like(width)
        if isinstance(width, int):
            check_length(width, _what(b, name))
        return getattr(b, name)(width, *fill)
    return checked


def _join(sep, iterable):
    items = collect(iterable, _what(sep, "join"))
    total = len(sep) * max(len(items) - 1, 0)
    for item in items:
        if isinstance(item, (bytes, bytearray)):
            total += len(item)
    check_length(total, _what(sep, "join"))
    return sep.join(items)


def _replace(b, old, new, count=-1):
    count = int_like(count)
    if isinstance(old, (bytes, bytearray)) and isinstance(new, (bytes, bytearray)) \
            and len(new) > len(old):
        n = b.count(old) if old else len(b) + 1
        if isinstance(count, int) and count >= 0:
            n = min(n, count)
        check_length(len(b) + n * (len(new) - len(old)), _what(b, "replace"))
    return b.replace(old, new, count)


def _expandtabs(b, tabsize=8):
    tabsize = int_like(tabsize)
    if isinstance(tabsize, int) and tabsize > 0:
        check_length(len(b) + b.count(b"\t") * tabsize, _what(b, "expandtabs"))
    return b.expandtabs(tabsize)


def _hex(b, *args, **kwargs):
    check_length(3 * len(b), _what(b, "hex"))
    return b.hex(*args, **kwargs)


def _splitting(name):
    def checked(b, *args, **kwargs):
        parts = getattr(b, name)(*args, **kwargs)
        check_items(len(parts), _what(b, name))
        return parts
    return checked


def _extend(ba, iterable):
    """bytearray.extend: bytes, or the items of an iterable (read within the item limit), each
    refused in Python's words (adv13c: a str's items are no ints; a number is no iterable)."""
    kind = type(iterable)
    if isinstance(iterable, (bytes, bytearray)):
        more = iterable
    elif not (hasattr(kind, "__iter__") or hasattr(kind, "__getitem__")):
        raise TypeError("can't extend bytearray with %s" % kind.__name__)
    else:
        more = collect(iterable, "bytearray.extend()")
    check_length(len(ba) + len(more), "bytearray.extend()")
    ba.extend(more)


_GROWING = {"join": _join, "replace": _replace, "expandtabs": _expandtabs, "hex": _hex,
            "decode": _decode,
            **{name: _width(name) for name in ("center", "ljust", "rjust", "zfill")},
            **{name: _splitting(name) for name in ("split", "rsplit", "splitlines")}}
BYTES_WRAPPERS = {name: bound_wrapper(fn) for name, fn in _GROWING.items()}
BYTEARRAY_WRAPPERS = {**BYTES_WRAPPERS, "extend": bound_wrapper(_extend)}


# Python's words for their arguments' errors ("bytes() takes at most 3 arguments (4 given)",
# "'foo' is an invalid keyword argument for encode()"): builtinfns.python_refusal
checked_bytes = with_python_refusals(checked_bytes, bytes)
checked_bytearray = with_python_refusals(checked_bytearray, bytearray)
encode = with_python_refusals(encode, str.encode, method=True)
to_bytes = with_python_refusals(to_bytes, int.to_bytes, method=True)
from_bytes = with_python_refusals(from_bytes, int.from_bytes)
