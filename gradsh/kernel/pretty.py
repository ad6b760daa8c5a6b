"""A value's text/plain as IPython's kernel shows it (`Out[n]`), written here from what a real
IPython 9 kernel was observed to show (tests/data/notebook_display.json), not from its source.

What differs from repr:
- a list, tuple, dict, set, frozenset or OrderedDict (or a subclass that keeps the base's repr)
  whose text would run past 79 columns is broken after every comma, one item per line; the items
  are indented by the nesting of the brackets around them (1 per `[`, `(`, `{`, 12 for
  `OrderedDict(`), not by the column the bracket is in. A container breaks only when its own text,
  with what follows it up to the next place a line can break, does not fit; the outer containers
  are tried first. A value whose own text has several lines (a 2-d tensor) breaks the outermost
  container that has an undecided break before it (and the containers around it that have none);
  the other undecided breaks become spaces and their containers stay on one line, however long;
  the value's later lines are indented as the item is;
- sets are sorted (by their items' str when the items do not compare, whatever the error);
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

# where IPython's notebook builtin `display` lives: the kernel's `display` (display.py) says so
# too, so a cell showing it shows what IPython shows (`<function IPython.core...display(...)>`)
DISPLAY_MODULE = "IPython.core.display_functions"

WIDTH = 79
MAX_ITEMS = 1000  # a longer container shows its first 1000 items, then `...`

_DEFAULT_REPR = re.compile(r"<([\w.]+) object at (0x[0-9a-fA-F]+)>\Z")
_CLASS_REPR = re.compile(r"<class '([^']+)'>\Z")
_BUILTIN_FUNCTION = re.compile(r"<built-in function (\w+)>\Z")
# a tensor's method as a .grad program holds it (PyTorch's C++ method, language.md)
_TENSOR_METHOD = re.compile(r"<built-in method (\w+) of \w+ object at 0x[0-9a-fA-F]+>\Z")
_TORCH_BUILTIN = re.compile(r"<built-in method (\w+) of type object at 0x[0-9a-fA-F]+>\Z")


# ------------------------------------------------------------------ the layout
class _Enough(Exception):
    """More text is laid out than the caller will show."""


class _Open:
    """A group being laid out: broken (its breaks are new lines) or not yet decided."""
    __slots__ = ("depth", "broken", "pending")

    def __init__(self, depth):
        self.depth, self.broken, self.pending = depth, False, 0


class _Printer:
    """Lays text out left to right, holding back the text since the first undecided break.
    When that text runs past the width, the outermost group holding an undecided break is
    broken (a group with none, outside it, is broken too), and so on while it does not fit.
    A new line inside a value breaks the outermost group holding an undecided break; the other
    undecided breaks become spaces, and their groups stay on one line from then on."""

    def __init__(self, width, limit=None):
        self.width, self.limit = width, limit
        self.out, self.column, self.indent = [], 0, 0
        self.length = 0    # of the text written to `out`
        self.held, self.held_width = [], 0   # text and (group, indent) breaks not yet written
        self.open = []     # the groups around the current piece
        self.waiting = []  # groups that may still break, in the order they opened

    def begin(self, indent):
        group = _Open(len(self.open))
        self.open.append(group)
        self.waiting.append(group)
        self.indent += indent

    def end(self, indent):
        group = self.open.pop()
        self.indent -= indent
        if not group.pending and group in self.waiting:
            self.waiting.remove(group)

    def text(self, text):
        if not self.held:
            self._put(text)
            self.column += len(text)
            return
        self.held.append(text)
        self.held_width += len(text)
        self._fit()

    def soft_break(self):
        group = self.open[-1]
        if group.broken:
            self._write_held()
            self._newline(self.indent)
        elif group in self.waiting:
            group.pending += 1
            self.held.append((group, self.indent))
            self.held_width += 1
            self._fit()
        else:  # a group kept on one line: its breaks are spaces
            self.text(" ")

    def hard_break(self):
        self._break_outermost()
        self._write_held()
        self._newline(self.indent)

    def result(self):
        self._write_held()
        return "".join(self.out)

    def _put(self, text):
        self.out.append(text)
        self.length += len(text)

    def _newline(self, indent):
        # stopping only at a new line, a text of one line (a long string) is always whole
        if self.limit is not None and self.length > self.limit:
            raise _Enough
        self._put("\n" + " " * indent)
        self.column = indent

    def _break_outermost(self):
        """Break the outermost group with an undecided break (those with none outside it
        break too); None when there is none."""
        for depth in sorted({g.depth for g in self.waiting}):
            here = [g for g in self.waiting if g.depth == depth]
            holding = [g for g in here if g.pending]
            chosen = holding[-1:] or here
            for group in chosen:
                group.broken = True
                self.waiting.remove(group)
            if holding:
                return holding[-1]
        return None

    def _write(self, piece):
        if isinstance(piece, str):
            self.held_width -= len(piece)
            self.column += len(piece)
            self._put(piece)
            return
        group, indent = piece
        group.pending -= 1
        self.held_width -= 1
        if group.broken:
            self._newline(indent)
        else:
            self.column += 1
            self._put(" ")
            if not group.pending and group in self.waiting:
                self.waiting.remove(group)  # written on one line: it stays so

    def _write_held(self):
        for piece in self.held:
            self._write(piece)
        self.held = []

    def _fit(self):
        while self.held and self.column + self.held_width > self.width:
            group = self._break_outermost()
            if group is None:
                return
            while self.held and group.pending:
                self._write(self.held.pop(0))
            while self.held and isinstance(self.held[0], str):
                self._write(self.held.pop(0))


# ------------------------------------------------------------------ values
def _sorted_items(items):
    """Sorted; by str when the items do not compare (any error: a set of 2-element tensors
    raises "Boolean value of Tensor ... is ambiguous")."""
    try:
        return sorted(items)
    except Exception:  # noqa: BLE001 - IPython falls back for any failure too
        return sorted(items, key=str)


def _first(items, count):
    """The items shown: all, or MAX_ITEMS and one more (which _sequence shows as `...`)."""
    return list(itertools.islice(items, min(count, MAX_ITEMS + 1)))


def _keeps_repr(obj, base):
    return isinstance(obj, base) and type(obj).__repr__ is base.__repr__


def _show(obj, printer, text_of, seen=frozenset()):
    """Lay `obj` out on the printer: a container item by item, any other value as its text."""
    def show(value):
        return lambda: _show(value, printer, text_of, seen)

    if id(obj) in seen:
        for base, text in ((list, "[...]"), (tuple, "(...)"), (dict, "{...}"),
                           (set, "{...}"), (frozenset, "frozenset({...})")):
            if isinstance(obj, base):
                return printer.text(text)
    if _keeps_repr(obj, OrderedDict):
        if not obj:
            return printer.text("%s()" % type(obj).__name__)
        seen = seen | {id(obj)}
        pairs = [lambda k=k, v=v: _sequence(printer, "(", [show(k), show(v)], ")", True)
                 for k, v in _first(obj.items(), len(obj))]
        return _sequence(printer, type(obj).__name__ + "(",
                         [lambda: _sequence(printer, "[", pairs, "]")], ")")
    if _keeps_repr(obj, dict):
        seen = seen | {id(obj)}

        def pair(k, v):
            show(k)()
            printer.text(": ")
            show(v)()
        return _sequence(printer, "{", [lambda k=k, v=v: pair(k, v)
                                        for k, v in _first(obj.items(), len(obj))], "}")
    for base, opening, closing, empty in ((list, "[", "]", "[]"), (tuple, "(", ")", "()"),
                                          (set, "{", "}", "set()"),
                                          (frozenset, "frozenset({", "})", "frozenset()")):
        if _keeps_repr(obj, base):
            if not obj:
                return printer.text(empty)
            seen = seen | {id(obj)}
            values = _sorted_items(obj) if isinstance(obj, (set, frozenset)) else obj
            return _sequence(printer, opening, [show(v) for v in _first(values, len(obj))],
                             closing, base is tuple)
    lines = text_of(obj).split("\n")
    printer.text(lines[0])
    for line in lines[1:]:
        printer.hard_break()
        printer.text(line)


def _sequence(printer, opening, items, closing, one_comma=False):
    """A bracketed group of items (each a function laying one out), `...` after MAX_ITEMS."""
    printer.begin(len(opening))
    printer.text(opening)
    for k, item in enumerate(items[:MAX_ITEMS]):
        if k:
            printer.text(",")
            printer.soft_break()
        item()
    if len(items) > MAX_ITEMS:
        printer.text(",")
        printer.soft_break()
        printer.text("...")
    if one_comma and len(items) == 1:
        printer.text(",")
    printer.text(closing)
    printer.end(len(opening))


def pretty(obj, text_of=None, width=WIDTH):
    """IPython's text/plain for `obj`; `text_of` gives the text of one value that is not a
    container (default: `leaf_text`)."""
    printer = _Printer(width)
    _show(obj, printer, text_of or leaf_text)
    return printer.result()


def pretty_start(obj, max_chars):
    """(text, whole): IPython's text/plain for `obj`, or only its first max_chars and a little
    more when it is longer (`whole` false): a container of a million numbers is not laid out
    in full to show its first 20,000 characters."""
    printer = _Printer(WIDTH, max_chars)
    try:
        _show(obj, printer, leaf_text)
        return printer.result(), True
    except _Enough:
        return "".join(printer.out), False


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
        if getattr(code, "__module__", None) in ("__main__", DISPLAY_MODULE):
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
    m = _TENSOR_METHOD.match(text)
    if m and isinstance(getattr(obj, "args", None), tuple) and \
            isinstance(getattr(getattr(obj, "func", None), "__self__", None), Tensor):
        return "<function Tensor.%s>" % m.group(1)
    return text
