"""The Python builtins a program gets, some of them wrapped.

Only these names exist; `getattr`, `eval`, `exec`, `open`, `type`, `globals`... are simply not
defined (a NameError says they are not available). Wrapped: `print` (writes to the session's
stream, never interprets markup), `help` (signature and first paragraph, no pager), and `list`,
`tuple`, `sorted` (refuse to materialise more than MAX_ITEMS items).
"""

import builtins

from .namespaces import Namespace
from .limits import MAX_ITEMS, LimitError

PLAIN = ("range", "len", "abs", "min", "max", "sum", "round", "float", "int", "bool", "str",
         "dict", "enumerate", "zip", "reversed", "repr", "any", "all")

# Python builtins a program cannot use; a NameError on them says so.
FORBIDDEN = frozenset("""getattr setattr delattr hasattr eval exec open __import__ globals locals
    breakpoint type vars dir compile input memoryview bytearray bytes object super classmethod
    staticmethod property exit quit iter next id hash callable format map filter chr ord
    issubclass frozenset set pow divmod""".split())


def _check_size(iterable, what):
    try:
        n = len(iterable)
    except (TypeError, OverflowError):
        if isinstance(iterable, range):
            n = MAX_ITEMS + 1
        else:
            return
    if n > MAX_ITEMS:
        raise LimitError("%s() of %d items is more than gradsh's limit of %d"
                         % (what, n, MAX_ITEMS))


def _list(iterable=()):
    _check_size(iterable, "list")
    return list(iterable)


def _tuple(iterable=()):
    _check_size(iterable, "tuple")
    return tuple(iterable)


def _sorted(iterable, *, key=None, reverse=False):
    _check_size(iterable, "sorted")
    return sorted(iterable, key=key, reverse=reverse)


for _fn, _real in ((_list, list), (_tuple, tuple), (_sorted, sorted)):
    _fn.__name__ = _real.__name__
    _fn.__qualname__ = _real.__name__
    _fn.__doc__ = _real.__doc__

_REAL_TYPES = {_list: list, _tuple: tuple}


def _isinstance(obj, classinfo):
    if isinstance(classinfo, tuple):
        classinfo = tuple(_REAL_TYPES.get(c, c) for c in classinfo)
    else:
        classinfo = _REAL_TYPES.get(classinfo, classinfo)
    return isinstance(obj, classinfo)


_isinstance.__name__ = "isinstance"
_isinstance.__doc__ = isinstance.__doc__


def make_print(write):
    """print() writing through `write(text)` (the session's stdout, capped if asked)."""

    def print_(*args, sep=" ", end="\n", file=None, flush=False):
        if file is not None:
            raise TypeError("print(file=...) is not supported in gradsh: output goes to stdout")
        if sep is None:
            sep = " "
        elif not isinstance(sep, str):
            raise TypeError("sep must be None or a string, not %s" % type(sep).__name__)
        if end is None:
            end = "\n"
        elif not isinstance(end, str):
            raise TypeError("end must be None or a string, not %s" % type(end).__name__)
        write(sep.join([str(a) for a in args]) + end)

    print_.__name__ = "print"
    print_.__doc__ = ("print(*values, sep=' ', end='\\n')\n\nPrints the values to the output, "
                      "separated by sep and followed by end.")
    return print_


def make_help(write):
    def help_(obj=None):
        write(describe(obj) + "\n")

    help_.__name__ = "help"
    help_.__doc__ = ("help(obj)\n\nShows the signature and the first paragraph of obj's "
                     "documentation.")
    return help_


def describe(obj):
    """The text help(obj) prints."""
    if obj is None:
        return ("gradsh runs a subset of Python with torch's autograd. help(f) shows a "
                "function's signature and documentation; e.g. help(torch.ones), help(x.backward).")
    if isinstance(obj, Namespace):
        names = obj.names()
        return "%s: %d names, e.g. %s" % (obj.name, len(names), ", ".join(names[:12]))
    import inspect

    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if name is None or not callable(obj):
        name = type(obj).__name__
        plain = isinstance(obj, (int, float, str, list, dict, tuple))
        doc = None if plain else type(obj).__doc__
        return name + ("\n\n" + _first_paragraph(doc) if doc else "")
    try:
        signature = str(inspect.signature(obj))
    except (TypeError, ValueError):
        signature = "(...)"
    doc = inspect.getdoc(obj)
    text = name + signature
    if doc:
        first = _first_paragraph(doc)
        if first.startswith(name.split(".")[-1] + "("):
            text = first
        else:
            text += "\n\n" + first
    return text


def _first_paragraph(doc):
    paragraphs = doc.strip().split("\n\n")
    return paragraphs[0].strip() if paragraphs else ""


def python_builtins(write):
    """The Python part of a program's builtins."""
    out = {name: getattr(builtins, name) for name in PLAIN}
    out.update(list=_list, tuple=_tuple, sorted=_sorted, isinstance=_isinstance,
               print=make_print(write), help=make_help(write))
    return out
