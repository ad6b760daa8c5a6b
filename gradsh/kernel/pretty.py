"""A value's text/plain as IPython's kernel shows it (`Out[n]`), written here from what a real
IPython 9 kernel was observed to show (tests/data/notebook_display.json), not from its source.

What differs from repr:
- a list, tuple, dict, set, frozenset or OrderedDict (or a subclass that keeps the base's repr)
  whose text would run past 79 columns is broken after every comma, one item per line; the items
  are indented by the nesting of the brackets around them (1 per `[`, `(`, `{`, 12 for
  `OrderedDict(`), not by the column the bracket is in. A container breaks only when its own text,
  with what follows it up to the next place a line can break, does not fit; the outer containers
  are tried first. A value whose own text has several lines (a 2-d tensor) breaks every container
  around it, and its later lines are indented as the item is;
- sets are sorted (by their items' str when the items do not compare);
- a container of more than 1000 items shows the first 1000, then `...`;
- an object showing Python's default `<mod.Foo object at 0x...>` is `<mod.Foo at 0x...>`;
- a class is `mod.Foo` (`int`, `torch.Tensor`), a function `<function mod.name(signature)>`
  (`<function __main__.<lambda>(v)>`, `<function len(obj, /)>`, `<function max>`), a
  PyTorch builtin `<function torch._VariableFunctionsClass.add>`, a tensor's method
  `<function Tensor.sum>`.
Strings, numbers, tensors and everything else are their repr.
"""

import builtins
import inspect
import itertools
import re
from collections import OrderedDict

from gradsh import Tensor

WIDTH = 79
MAX_ITEMS = 1000  # a longer container shows its first 1000 items, then `...`

_DEFAULT_REPR = re.compile(r"<([\w.]+) object at (0x[0-9a-fA-F]+)>\Z")
_CLASS_REPR = re.compile(r"<class '([^']+)'>\Z")
_BUILTIN_FUNCTION = re.compile(r"<built-in function (\w+)>\Z")
_TORCH_BUILTIN = re.compile(r"<built-in method (\w+) of type object at 0x[0-9a-fA-F]+>\Z")


# ------------------------------------------------------------------ the layout
# A document is a list of pieces: a str (text), BREAK (a space, or a new line when the group
# holding it is broken), HARD (always a new line) or a Group (indent, pieces).
BREAK, HARD = object(), object()


class Group:
    __slots__ = ("indent", "pieces")

    def __init__(self, indent, pieces):
        self.indent = indent
        self.pieces = pieces


def _fits(room, work):
    """Does the text from here to the next line break fit in `room` columns? `work` holds
    (indent, flat, piece) entries, the next one last."""
    work = list(work)
    while work:
        if room < 0:
            return False
        indent, flat, piece = work.pop()
        if isinstance(piece, str):
            room -= len(piece)
        elif piece is BREAK:
            if not flat:
                return True
            room -= 1
        elif piece is HARD:
            return not flat
        else:
            work.extend((indent + piece.indent, flat, p) for p in reversed(piece.pieces))
    return room >= 0


def layout(pieces, width=WIDTH):
    out, column = [], 0
    work = [(0, False, p) for p in reversed(pieces)]
    while work:
        indent, flat, piece = work.pop()
        if isinstance(piece, str):
            out.append(piece)
            column += len(piece)
        elif piece is BREAK or piece is HARD:
            if flat and piece is BREAK:
                out.append(" ")
                column += 1
            else:
                out.append("\n" + " " * indent)
                column = indent
        else:
            inner = indent + piece.indent
            keep_flat = flat or _fits(width - column, work + [
                (inner, True, p) for p in reversed(piece.pieces)])
            work.extend((inner, keep_flat, p) for p in reversed(piece.pieces))
    return "".join(out)


# ------------------------------------------------------------------ values as documents
def _sorted_items(items):
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=str)


def _first(items, count):
    """The items shown: all, or MAX_ITEMS and one more (which _sequence shows as `...`)."""
    return list(itertools.islice(items, min(count, MAX_ITEMS + 1)))


def _keeps_repr(obj, base):
    return isinstance(obj, base) and type(obj).__repr__ is base.__repr__


def _sequence(opening, items, closing, one_comma=False):
    if len(items) > MAX_ITEMS:
        items = items[:MAX_ITEMS] + [["..."]]
    pieces = [opening]
    for k, item in enumerate(items):
        if k:
            pieces += [",", BREAK]
        pieces += item
    if one_comma and len(items) == 1:
        pieces.append(",")
    return [Group(len(opening), pieces + [closing])]


def _document(obj, seen, text_of):
    if id(obj) in seen:
        for base, text in ((list, "[...]"), (tuple, "(...)"), (dict, "{...}"),
                           (set, "{...}"), (frozenset, "frozenset({...})")):
            if isinstance(obj, base):
                return [text]
    if _keeps_repr(obj, OrderedDict):
        seen = seen | {id(obj)}
        items = [_sequence("(", [_document(k, seen, text_of), _document(v, seen, text_of)],
                           ")", True) for k, v in _first(obj.items(), len(obj))]
        if not items:
            return ["%s()" % type(obj).__name__]
        return _sequence(type(obj).__name__ + "(", [_sequence("[", items, "]")], ")")
    if _keeps_repr(obj, dict):
        seen = seen | {id(obj)}
        items = [_document(k, seen, text_of) + [": "] + _document(v, seen, text_of)
                 for k, v in _first(obj.items(), len(obj))]
        return _sequence("{", items, "}")
    for base, opening, closing, empty in ((list, "[", "]", "[]"), (tuple, "(", ")", "()"),
                                          (set, "{", "}", "set()"),
                                          (frozenset, "frozenset({", "})", "frozenset()")):
        if _keeps_repr(obj, base):
            if not obj:
                return [empty]
            seen = seen | {id(obj)}
            values = _sorted_items(obj) if isinstance(obj, (set, frozenset)) else obj
            items = [_document(v, seen, text_of) for v in _first(values, len(obj))]
            return _sequence(opening, items, closing, base is tuple)
    lines = text_of(obj).split("\n")
    pieces = [lines[0]]
    for line in lines[1:]:
        pieces += [HARD, line]
    return pieces


def pretty(obj, text_of=None, width=WIDTH):
    """IPython's text/plain for `obj`; `text_of` gives the text of one value that is not a
    container (default: `leaf_text`)."""
    return layout(_document(obj, frozenset(), text_of or leaf_text), width)


# ------------------------------------------------------------------ one value's text
def _qualified(obj):
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", "?")
    return name if module in (None, "builtins") else "%s.%s" % (module, name)


def _signature(fn):
    try:
        return str(inspect.signature(fn))
    except (TypeError, ValueError):
        return ""


def leaf_text(obj):
    text = repr(obj)
    m = _CLASS_REPR.match(text)  # a class, or what type(x) gives in gradsh (shown as one)
    if m:
        return m.group(1)
    m = _DEFAULT_REPR.match(text)
    if m:
        return "<%s at %s>" % m.groups()
    if inspect.isfunction(obj) and text.startswith("<function "):
        # the program's own function (a lambda is wrapped by the call counter)
        code = getattr(obj, "__wrapped__", obj)
        if getattr(code, "__module__", None) == "__main__":
            return "<function %s%s>" % (_qualified(code), _signature(obj))
        return text
    m = _BUILTIN_FUNCTION.match(text)
    if m:
        real = getattr(builtins, m.group(1), None)
        if inspect.isbuiltin(real):
            return "<function %s%s>" % (m.group(1), _signature(real))
        return "<function %s>" % m.group(1)
    m = _TORCH_BUILTIN.match(text)
    if m:  # PyTorch's C++ functions of `torch` are methods of this one class
        return "<function torch._VariableFunctionsClass.%s>" % m.group(1)
    if inspect.ismethod(obj) and isinstance(obj.__self__, Tensor):
        return "<function Tensor.%s>" % obj.__name__
    return text
