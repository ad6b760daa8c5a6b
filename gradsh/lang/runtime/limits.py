"""Limits on the Python values a program builds, and the checked operators that enforce them.

`2 ** 10 ** 10`, `"a" * 10 ** 10`, `[0] * 10 ** 10` would hang or exhaust memory; these helpers
refuse them at once with a LimitError. Generated code calls them for `+ * ** % <<` (and their
augmented forms); tensors and numbers take a fast path to Python's own operator.
"""

import collections.abc as _abc
import functools
import itertools
import operator
import warnings
from collections import Counter, OrderedDict, defaultdict, deque
import re
import sys

from ...core.dtypes import out_of_time, read_bounded
from ...core.tensor import Tensor

__all__ = ["LimitError", "make_operators", "check_spec", "check_length", "check_text_size",
           "check_items", "int_like", "collect", "unpacked", "fstring", "MAX_STR",
           "MAX_ITEMS", "MAX_INT_BITS", "MAX_WIDTH", "MAX_SOURCE_BYTES", "percent_format"]

MAX_STR = 100_000_000  # characters in a string built by one operation
MAX_ITEMS = 10_000_000  # items in a list or tuple built by one operation
MAX_INT_BITS = 1_000_000  # bits of an int built by one operation (about 300,000 digits)
MAX_WIDTH = 1_000_000  # widths and precisions in format specs
MAX_SOURCE_BYTES = 16 << 20  # a program's text (readers stop there: /dev/zero is not a program)


class LimitError(Exception):
    """A Python value that would be too big to build (it would hang or exhaust memory)."""

    gradsh_kind = "LimitError"


def shown_as_kind(cls):
    """Class decorator: gradsh's exception class `cls` shows itself as the Python exception it
    stands for (`repr(e)` is `AttributeError('...')`, as Python's own error would print)."""
    cls.__name__ = cls.__qualname__ = cls.gradsh_kind
    return cls


def int_like(value):
    """An int argument as Python's functions read it: an int as it is, any other object with
    __index__ (a numpy integer, a program's class) read once through it, so that the number a
    limit checks is the number used (an `isinstance(n, int)` check alone let
    `math.factorial(np.int64(10**7))` through); anything else as it is, for Python's own
    TypeError."""
    if isinstance(value, int) or not hasattr(type(value), "__index__"):
        return value
    return operator.index(value)


def check_length(n, what):
    if n > MAX_STR:
        raise LimitError("%s would make a string of %d characters (gradsh's limit is %d)"
                         % (what, n, MAX_STR))


def check_items(n, what):
    if n > MAX_ITEMS:
        raise LimitError("%s would make %d items (gradsh's limit is %d)" % (what, n, MAX_ITEMS))


_CONTAINERS = {list, tuple, dict, set, frozenset, OrderedDict, defaultdict, Counter, deque}

# Python's tuple and the program's named-tuple classes (stdlib.namedtuple and the program's
# subclasses of them): the walks that tell tuples by their exact type (text sizes here, tuple
# depths in nesting.py, comparisons in comparing.py) know them all
TUPLE_CLASSES = {tuple}
MAX_TUPLE_CLASSES = 1000  # named-tuple classes a process makes (each is kept in these tables)
_ON_TUPLE_CLASS = []  # the other tables' registrations (comparing.py)


def add_tuple_class(cls):
    if len(TUPLE_CLASSES) > MAX_TUPLE_CLASSES:
        raise LimitError("more than %d named-tuple classes (gradsh's limit): make the class once "
                         "and reuse it" % MAX_TUPLE_CLASSES)
    TUPLE_CLASSES.add(cls)
    _CONTAINERS.add(cls)
    for add in _ON_TUPLE_CLASS:
        add(cls)
_DIGITS_PER_BIT = 0.30103


def check_text_size(value, what, shown=None):
    """Refuse the text of a list, tuple or dict (str(), repr(), print, f-strings, formats) that
    would pass MAX_STR characters, before building it. A walk adds up a lower bound of its
    length (two characters an item, a string's length, an int's digits) and stops as soon as
    it passes the limit: `str([[0] * 10**7] * 10**7)` fails after a few rows, not after
    filling memory. Each container is walked once: one shared by several others adds the
    length found the first time at each place (its text is written at each), one met again
    inside itself counts as Python shows it (`[...]`). So `l = [l, l]` sixty times (2**60
    items of text) fails at once. Lists of numbers only are counted at C speed. Containers
    nested deeper than the recursion limit fail as Python's repr would, without walking the
    rest of the chain (`x = [x]` a million times took seconds to walk).
    A string inside a container shows as its repr; `shown` (repr or ascii) says the value itself
    is shown so (repr(), ascii(), `!r`, `%a`): such a string is measured as it will be written,
    its escapes counted a slice at a time (issue 16, round 15: `ascii()` of 10^8 non-ASCII
    characters built 600 MB before its length was refused)."""
    if type(value) is str:
        if shown is not None and escaped_length(value, shown) > MAX_STR:
            _too_long(what)
        return
    if type(value) is bytes or type(value) is bytearray:
        if bytes_text_length(value) > MAX_STR:  # (its text is its repr, escapes and all)
            _too_long(what)
        return
    if type(value) not in _CONTAINERS:
        if type(value) in _PLAIN_TEXT:
            return
        value = shown_parts(value)
        if value is None:
            return
    done = {}  # id of a container walked -> the lower bound of its text
    path = set()  # the containers being walked: an item among them is a cycle
    frames = []  # [id, iterator over its items, length so far] per container being walked
    size = _enter(value, path, frames)
    while frames:
        frame = frames[-1]
        total = frame[2]
        for item in frame[1]:
            kind = type(item)
            if kind not in _CONTAINERS and kind not in _PLAIN_TEXT:
                parts = shown_parts(item)  # ValueError([l, l]) shows its args
                if parts is not None:
                    item, kind = parts, tuple
            if kind in _CONTAINERS:
                key = id(item)
                if key in done:
                    total += done[key]
                elif key in path:
                    total += 5  # [...]
                else:
                    if total + 2 * len(item) > MAX_STR:
                        _too_long(what)  # before reading its items
                    if len(frames) > sys.getrecursionlimit():
                        _too_deep()
                    known = _enter(item, path, frames)
                    if known is None:
                        break  # walk the container just entered first
                    done[key] = known
                    total += known
            elif kind is str:
                total += escaped_length(item, ascii if shown is ascii else repr, MAX_STR - total)
            elif kind is int:
                total += int(item.bit_length() * _DIGITS_PER_BIT)
            elif kind is bytes or kind is bytearray:
                total += bytes_text_length(item)
            if total > MAX_STR:
                _too_long(what)
        else:
            frames.pop()
            path.discard(frame[0])
            done[frame[0]] = total
            if frames:
                frames[-1][2] += total
            else:
                size = total
            continue
        frame[2] = total
    if size > MAX_STR:
        _too_long(what)


_PLAIN_TEXT = frozenset((str, int, float, bool, complex, type(None), bytes, bytearray, range))


def shown_parts(value):
    """The values whose text the text of `value` shows, as a tuple (the same tuple each time
    for an exception: its args), or None for a value that shows none: an exception shows its
    args, a dict's view its keys, values or pairs, `itertools.repeat` its object,
    `functools.partial` its function and arguments (round 8: each was a way to print a list
    shared at every level, 2**60 characters, past the walk)."""
    if isinstance(value, BaseException):
        return value.args
    if isinstance(value, (_abc.KeysView, _abc.ValuesView, _abc.ItemsView)):
        return tuple(value)
    if type(value) is functools.partial:
        return (value.func, value.args, value.keywords)
    if isinstance(value, itertools.repeat):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return value.__reduce__()[1][:1]
        except Exception:  # noqa: BLE001 - a Python without it: the object stays unmeasured
            return None
    return None


def _too_deep():
    """Python's own error for the text of containers nested deeper than the recursion limit,
    raised before walking a million levels Python's repr would never reach."""
    raise RecursionError("maximum recursion depth exceeded while getting the repr of an object")


def _too_long(what):
    raise LimitError("%s would make a string of more than %d characters (gradsh's limit is %d)"
                     % (what, MAX_STR, MAX_STR))


_SLICE = 1 << 16
# the bytes a bytes repr shows as themselves; the others as escapes
_SHOWN_AS_IS = bytes(range(0x20, 0x7F))


def bytes_text_length(data):
    r"""len(repr(data)) of bytes or a bytearray, give or take its quotes, counted in C without
    making it: each byte shown as itself is one character, an escape two (\\, \t, \n, \r) or
    four (\xNN)."""
    escaped = len(data.translate(None, _SHOWN_AS_IS))
    short = data.count(b"\t") + data.count(b"\n") + data.count(b"\r")
    text = len(data) + 3 * escaped - 2 * short + data.count(b"\\") + 3
    return text + (12 if type(data) is bytearray else 0)


def escaped_length(text, shown, room=MAX_STR):
    """len(shown(text)) for shown repr or ascii, give or take its quotes' escapes, without
    making more than a slice of it: a printable ASCII string is its length, its quotes and its
    backslashes; another is measured a slice at a time, stopping once past `room`."""
    if text.isascii() and text.isprintable():
        return len(text) + 2 + text.count("\\")
    total = 2
    for start in range(0, len(text), _SLICE):
        total += len(shown(text[start:start + _SLICE])) - 2
        if total > room:
            break
    return total


def _enter(container, path, frames):
    """Start walking a container: a lower bound of its text when its items are all numbers
    (the digits of ints counted at C speed), else None, and the container is pushed."""
    items = _items_of(container)
    size = 2 * len(container)
    kinds = set(map(type, items))
    if kinds <= _INTS:
        return size + int(sum(map(int.bit_length, items)) * _DIGITS_PER_BIT)
    if kinds <= _NUMBERS:
        return size
    path.add(id(container))
    frames.append([id(container), iter(items), size])
    return None


_INTS = frozenset((int, bool))
_NUMBERS = frozenset((int, float, bool, type(None)))


def _items_of(container):
    if isinstance(container, dict):
        return [*container.keys(), *container.values()]
    return container


def fstring(text):
    """An f-string's value, within MAX_STR (each field is measured before it is formatted; this
    is their total)."""
    check_length(len(text), "an f-string")
    return text


def unpacked(iterable):
    """What `*iterable` unpacks in a display, a call or an assignment: a list, tuple, str or
    dict as it is (their size is within the limits already), anything else read into a list
    within MAX_ITEMS (`[*range(10**9)]` fails at once)."""
    if type(iterable) in (list, tuple, str, dict) or not _iterable_type(type(iterable)):
        # not iterable: handed on as it is, for Python's own error where it is unpacked
        # ("print() argument after * must be an iterable, not int", "Value after * must be an
        # iterable, not int", "cannot unpack non-iterable int object")
        return iterable
    return collect(iterable, "unpacking with *")


def _iterable_type(cls):
    """Would iter() accept an instance of cls (its __iter__, or a sequence's __getitem__)?"""
    return getattr(cls, "__iter__", None) is not None or hasattr(cls, "__getitem__")


def collect(iterable, what):
    """list(iterable), refused with a LimitError beyond MAX_ITEMS items: at once when the length
    is known (or hinted, as for reversed(range(...))), else after MAX_ITEMS + 1 items were read
    or reading took too long (core.dtypes.read_bounded): an endless generator stops there
    rather than filling memory or running for many seconds."""
    n = _length(iterable)
    if n > MAX_ITEMS:
        raise LimitError("%s of %d items is more than gradsh's limit of %d"
                         % (what, n, MAX_ITEMS))
    items, late = read_bounded(iterable, MAX_ITEMS)  # a hint is only a hint
    if late:
        raise LimitError(out_of_time(what, items))
    if len(items) > MAX_ITEMS:
        raise LimitError("%s stopped at %d items: more than gradsh's limit of %d"
                         % (what, MAX_ITEMS + 1, MAX_ITEMS))
    return items


def mapping_args(args, what):
    """The positional arguments of a dict-like constructor or update: one that is not a
    mapping (pairs from a generator, a zip...) is read within MAX_ITEMS first, and a mapping
    that is not a dict as `unpacked_mapping` reads it."""
    if len(args) == 1 and not isinstance(args[0], dict):
        if not hasattr(args[0], "keys"):
            return (collect(args[0], what),)
        return (unpacked_mapping(args[0], what),)
    return args


def unpacked_mapping(mapping, what="unpacking with **"):
    """What `**mapping` unpacks in a call or a dict display (and what dict() and update() read
    from a mapping): a dict as it is (its size is within the limits already); any other
    object with keys() read as Python reads it, its keys() then each key's item, but the keys
    within MAX_ITEMS (Python reads them in C: a keys() giving range(10**9) or an endless
    generator filled the memory). Anything else as it is: Python's own TypeError."""
    if isinstance(mapping, dict) or not hasattr(mapping, "keys"):
        return mapping
    return {key: mapping[key] for key in collect(mapping.keys(), what)}


def _length(iterable):
    """How many items iterable will give, or -1 if unknown; zip and enumerate are seen
    through (their own objects give no hint), so list(zip(range(10**10), ...)) fails at once."""
    try:
        n = operator.length_hint(iterable, -1)
    except (OverflowError, ValueError):  # a range longer than sys.maxsize
        return MAX_ITEMS + 1
    if n < 0 and isinstance(iterable, (zip, enumerate)):  # or gradsh's subclasses (nesting.py)
        inner = iterable.__reduce__()[1]
        lengths = [_length(it) for it in (inner if isinstance(iterable, zip) else inner[:1])]
        if lengths and min(lengths) >= 0:
            n = min(lengths)
    return n


_SPEC_NUMBER = re.compile(r"\d+")


def check_spec(spec):
    """Refuse format specs whose width or precision would build a huge string."""
    if spec:
        for number in _SPEC_NUMBER.findall(spec):
            if len(number) > 7 or int(number) > MAX_WIDTH:
                raise LimitError("format width or precision %s is too large (gradsh's limit is %d)"
                                 % (number, MAX_WIDTH))


_PERCENT_SPEC = re.compile(r"%(?:\(([^)]*)\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.?)", re.S)


def _check_percent(fmt, args):
    """Refuse %-format widths (given or taken from the arguments by '*') that are too large."""
    values = args if isinstance(args, tuple) else (args,)
    used = 0
    text = 0  # a lower bound of the fields' text so far
    measured = {}  # (key, conversion) -> its field's text, for a mapping's fields
    for m in _PERCENT_SPEC.finditer(fmt):
        key, width, precision, conversion = m.groups()
        for number in (width, precision):
            if number == "*":
                number = values[used] if used < len(values) else None
                used += 1
                if not isinstance(number, int):
                    continue
                number = str(abs(number))
            if number is not None and (len(number) > 7 or int(number) > MAX_WIDTH):
                raise LimitError("format width or precision %s is too large (gradsh's limit is %d)"
                                 % (number, MAX_WIDTH))
        if conversion != "%":
            if key is not None and type(args) is dict:
                # `'%(a)s' * 10**6 % {'a': long_text}`: every field of a mapping shows its
                # value again, so each is counted, each key measured once (a missing key is
                # Python's KeyError, later)
                if (key, conversion) not in measured:
                    measured[key, conversion] = (
                        _field_text(args[key], conversion) if key in args else 0)
                text += measured[key, conversion]
            elif not isinstance(args, dict) and used < len(values):
                text += _field_text(values[used], conversion)
            if text > MAX_STR:
                _too_long("%-formatting")
            used += 1


def _field_text(value, conversion):
    """A lower bound of the text a %-field makes of value (`%r` and `%a` a string's escapes),
    refusing a value whose own text is too long."""
    shown = {"r": repr, "a": ascii}.get(conversion)
    if type(value) is str:
        return len(value) if shown is None else escaped_length(value, shown)
    if type(value) in (bytes, bytearray):
        return len(value) if shown is None else 4 * len(value)  # %r of bytes: \xNN
    check_text_size(value, "%-formatting", shown)
    return 0


def _percent(fmt, args):
    """fmt % args within the limits: widths, the text of the arguments (each as its field shows
    it), the result's length (of a str, or of bytes: `b"%d" % n`)."""
    _check_percent(fmt if isinstance(fmt, str) else bytes(fmt).decode("latin-1"), args)
    if not isinstance(args, tuple):
        check_text_size(args, "%-formatting")
    text = fmt % args
    check_length(len(text), "%-formatting")
    return text


# (bytes and bytearray measured as strings)
_SEQUENCES = (str, list, tuple, deque, bytes, bytearray)
_TEXTS = (str, bytes, bytearray)
percent_format = _percent


def check_counts(counts, more, what):
    """Before Python's Counter code adds `more`'s values to `counts`' (c + d, c += d,
    c.update(d)): counts are numbers, but a Counter may hold strings or lists, which that code
    would concatenate past the limits."""
    for key, value in more.items():
        mine = counts.get(key)
        if isinstance(value, _SEQUENCES) and isinstance(mine, _SEQUENCES):
            n = len(mine) + len(value)
            if isinstance(value, str):
                check_length(n, what)
            else:
                check_items(n, what)


def _repeat_count(times):
    """How many times a sequence is repeated: an int, or an object Python reads as one through
    its __index__ (a program's class: `'a' * A()`), read once here so that the count checked
    is the count used (a second call could answer differently); None when the object's own
    __mul__/__rmul__ decides."""
    if isinstance(times, int):
        return times
    kind = type(times)
    if kind is Tensor:  # PyTorch's `*` gives way to the sequence's repetition (t.__index__())
        return times.__index__()
    if hasattr(kind, "__index__") and not hasattr(kind, "__mul__") \
            and not hasattr(kind, "__rmul__"):
        return operator.index(times)
    return None


def _check_repeat(seq, times, seq_left=True):
    """How `seq * times` (or `times * seq`) is made, as Python makes it: an object with its own
    `*` is asked first (`'ab' * x` calls x.__rmul__('ab')), and its answer is the result; when
    it declines (NotImplemented, as a numpy number does for a str), Python repeats the sequence
    by the object's __index__. Returns (answer, None), or (NotImplemented, count) after checking
    the repeated sequence's size against the limits."""
    count = _repeat_count(times)
    if count is None:
        if isinstance(times, _SEQUENCES):  # their `*` is the repetition itself
            raise TypeError("can't multiply sequence by non-int of type '%s'"
                            % type(times).__name__)
        method = getattr(type(times), "__rmul__" if seq_left else "__mul__", None)
        answer = NotImplemented if method is None else method(times, seq)
        if answer is not NotImplemented:
            return answer, None
        if not hasattr(type(times), "__index__"):
            raise TypeError("can't multiply sequence by non-int of type '%s'"
                            % type(times).__name__)
        count = operator.index(times)
    if count > 0:
        n = len(seq) * count
        if isinstance(seq, _TEXTS):
            check_length(n, "repeating a string" if isinstance(seq, str) else "repeating bytes")
        elif n > MAX_ITEMS:
            raise LimitError("repeating a %s would make %d items (gradsh's limit is %d)"
                             % (type(seq).__name__, n, MAX_ITEMS))
    return NotImplemented, count


def _repeat(a, b):
    """a * b with a or b a sequence, within the limits."""
    if isinstance(a, _SEQUENCES):
        answer, count = _check_repeat(a, b)
        return a * count if answer is NotImplemented else answer
    answer, count = _check_repeat(b, a, seq_left=False)
    return count * b if answer is NotImplemented else answer


def _check_int_bits(bits, what):
    if bits > MAX_INT_BITS:
        raise LimitError("%s would make an integer of about %d bits (gradsh's limit is %d)"
                         % (what, bits, MAX_INT_BITS))


def power(a, b):
    """a ** b (and pow(a, b)), within the integer limit."""
    if type(a) in (int, bool) and type(b) in (int, bool) and b > 0 and abs(a) > 1:
        _check_int_bits(a.bit_length() * b, "%d ** %d" % (a, b) if b < 10**12 else "this power")
    return a ** b


_VIEWS = (type({}.keys()), type({}.items()))
_SET_LIKE = (set, frozenset, dict, *_VIEWS)


def add_set_like(cls):
    """A view the language gives instead of Python's (dict.items()'s): sized as sets are."""
    global _VIEWS, _SET_LIKE
    _VIEWS += (cls,)
    _SET_LIKE += (cls,)


def _check_set_result(a, b, symmetric, symbol):
    """The size of `a | b` (or `a ^ b`) of two set-like values, counted without making it."""
    common = sum(1 for x in b if x in a)
    n = len(a) + len(b) - (2 if symmetric else 1) * common
    if n > MAX_ITEMS:
        raise LimitError("'%s' would make %d items (gradsh's limit is %d)" % (symbol, n, MAX_ITEMS))


def make_operators(tensor_type):
    """The checked operator helpers for generated code; plain Python operators on the fast path."""
    fast = frozenset((tensor_type, float, int, bool))
    sequences = _SEQUENCES

    def add_check(a, b):
        if isinstance(a, Counter) and isinstance(b, Counter):
            check_counts(a, b, "adding Counters")
        elif isinstance(a, sequences) and isinstance(b, sequences):
            n = len(a) + len(b)
            if isinstance(a, _TEXTS):
                check_length(n, "concatenating strings" if isinstance(a, str) else
                             "concatenating bytes")
            elif n > MAX_ITEMS:
                raise LimitError("concatenating would make %d items (gradsh's limit is %d)"
                                 % (n, MAX_ITEMS))

    def add(a, b):
        if type(a) in fast and type(b) in fast:
            return a + b
        add_check(a, b)
        return a + b

    def mul(a, b):
        ta, tb = type(a), type(b)
        if ta in fast and tb in fast:
            if ta is int and tb is int:
                _check_int_bits(a.bit_length() + b.bit_length(), "this multiplication")
            return a * b
        if isinstance(a, sequences) or isinstance(b, sequences):
            return _repeat(a, b)
        return a * b

    def mod(a, b):
        if isinstance(a, _TEXTS):
            return _percent(a, b)
        return a % b

    def lshift(a, b):
        if isinstance(a, int) and isinstance(b, int) and a:
            _check_int_bits(a.bit_length() + b, "this shift")
        return a << b

    # the in-place forms run the same checks, then Python's in-place operator (tensors mutate)
    def iadd(a, b):
        if type(a) in fast and type(b) in fast:
            a += b
            return a
        if type(a) in (list, deque) and not isinstance(b, sequences):
            what = "%s +=" % type(a).__name__
            b = collect(b, what)  # a range, a generator...: as list.extend
            check_items(len(a) + len(b), what)
        add_check(a, b)
        if b is a and type(a) is bytearray:
            b = bytes(b)  # (`b += b`: CPython resizes a bytearray it exports to itself only
            # while its spare room lasts, then raises BufferError)
        a += b
        return a

    def imul(a, b):
        ta, tb = type(a), type(b)
        if ta is int and tb is int:
            _check_int_bits(a.bit_length() + b.bit_length(), "this multiplication")
        elif isinstance(a, sequences):
            answer, count = _check_repeat(a, b)
            if answer is not NotImplemented:
                return answer
            b = count
        elif isinstance(b, sequences):
            return _repeat(a, b)
        a *= b
        return a

    def ipow(a, b):
        if type(a) in (int, bool) and type(b) in (int, bool) and b > 0 and abs(a) > 1:
            _check_int_bits(a.bit_length() * b, "this power")
        a **= b
        return a

    def imod(a, b):
        if isinstance(a, _TEXTS):
            return _percent(a, b)
        a %= b
        return a

    def ilshift(a, b):
        if isinstance(a, int) and isinstance(b, int) and a:
            _check_int_bits(a.bit_length() + b, "this shift")
        a <<= b
        return a

    # `|` and `&` of two Counters compare their counts in Python's code (`count < other`),
    # which may be lists shared at every level: within the comparison budget first
    from .comparing import check_pair

    def counted(operation, symbol):
        def checked(a, b):
            if type(a) not in fast and isinstance(a, Counter) and isinstance(b, Counter):
                check_pair(a, b, "Counter %s" % symbol)
            return operation(a, b)
        checked.__name__ = operation.__name__
        return checked

    def sized(operation, symbol, symmetric):
        """`a | b`, `a ^ b` (and in place) of sets, dicts and dict views: the result may hold
        both operands' items, so each within the item limit could make twice it (round 8).
        Its size is counted before it is made; a dict view's other operand (any iterable, as
        Python takes it) is read within the limit first."""
        def checked(a, b):
            ta, tb = type(a), type(b)
            if ta in fast and tb in fast:
                return operation(a, b)
            if ta in _VIEWS or tb in _VIEWS:
                if not isinstance(a, _SET_LIKE):
                    a = collect(a, "'%s'" % symbol)
                if not isinstance(b, _SET_LIKE):
                    b = collect(b, "'%s'" % symbol)
            if isinstance(a, _SET_LIKE) and isinstance(b, _SET_LIKE) \
                    and len(a) + len(b) > MAX_ITEMS:
                _check_set_result(a, b, symmetric, symbol)
            return operation(a, b)
        checked.__name__ = operation.__name__
        return checked

    or_ = counted(sized(operator.or_, "|", False), "|")
    and_ = counted(operator.and_, "&")
    xor = sized(operator.xor, "^", True)
    ixor = sized(operator.ixor, "^=", True)
    iand = counted(operator.iand, "&=")
    counted_ior = counted(sized(operator.ior, "|=", False), "|=")

    def ior(a, b):
        # `d |= pairs` reads any iterable of pairs, as dict.update does: within the item limit
        if isinstance(a, dict) and not isinstance(a, Counter) and not isinstance(b, dict):
            b, = mapping_args((b,), "dict |=")
            check_items(len(a) + len(b), "dict |=")
        return counted_ior(a, b)
    in_place_ops = {
        "+=": iadd, "*=": imul, "**=": ipow, "%=": imod, "<<=": ilshift,
        "-=": operator.isub, "/=": operator.itruediv, "//=": operator.ifloordiv,
        "@=": operator.imatmul, "&=": iand, "|=": ior, "^=": ixor,
        ">>=": operator.irshift,
    }
    return {"add": add, "mul": mul, "pow": power, "mod": mod, "lshift": lshift, "iadd": iadd,
            "imul": imul, "ipow": ipow, "imod": imod, "ilshift": ilshift, "or": or_,
            "and": and_, "ior": ior, "iand": iand, "xor": xor, "ixor": ixor,
            "in_place": in_place_ops}
