"""The Python builtins a program gets, some of them wrapped.

Only these names exist; `eval`, `exec`, `open`, `globals`... are simply not defined (a NameError
says they are not available); `type`, `getattr`, `setattr`... are gradsh's own (classes.py). Wrapped: `print` (writes to the session's
stream, never interprets markup), `help` (signature and first paragraph, no pager), `list`,
`tuple`, `sorted`, `dict` (refuse to materialise more than MAX_ITEMS items), `sum` (joins lists
in one pass, within the limit) and `round` (no huge powers of ten).
"""

import builtins
import functools
import operator
import types
import typing

from .builtinfns import builtin, builtin_function_or_method, one_argument, with_python_refusals
from .containermethods import sort_list
from .namespaces import Namespace
from .limits import (MAX_INT_BITS, MAX_ITEMS, LimitError, check_length, check_text_size,
                     collect, mapping_args, power)
from . import comparing, nesting
from ...core.dtypes import STAND_INS
from ...core.tensor import Tensor

PLAIN = ("range", "len", "abs", "float", "bool", "reversed", "iter", "next", "callable", "chr",
         "ord", "divmod", "hex", "oct", "bin", "complex",
         # an object's identity: no more than `hash(obj)` and the `at 0x...` of reprs tell
         "id")

# Python builtins a program cannot use; a NameError on them says so. (`type`, `dir`, `super`,
# `object`... are gradsh's own: see classes.py.)
FORBIDDEN = frozenset("""eval exec open __import__ locals
    breakpoint compile input memoryview exit quit
    """.split())


def _list(iterable=()):
    return collect(iterable, "list()")


def _tuple(iterable=()):
    return nesting.check_tuple(tuple(collect(iterable, "tuple()")))


def _set(iterable=()):
    if type(iterable) in _HELD_UNIQUE:
        return set(iterable)  # within the limits already
    return set(collect(iterable, "set()"))


def _frozenset(iterable=()):
    if type(iterable) in _HELD_UNIQUE:
        return frozenset(iterable)
    return frozenset(collect(iterable, "frozenset()"))


_HELD_UNIQUE = (set, frozenset, dict, str)


# pow(base, exp, mod): Python's square-and-multiply makes exp.bit_length() products of numbers
# as long as mod; this many bit-products (about a second) is gradsh's limit
MAX_POW_MOD_WORK = 10**11


def _pow(base, exp, mod=None):
    if mod is None:
        return power(base, exp)
    if type(exp) is int and type(mod) is int:  # a negative exp inverts base first, then as +
        work = abs(exp).bit_length() * max(mod.bit_length(), 64) ** 2
        if work > MAX_POW_MOD_WORK:
            raise LimitError("pow() with an exponent of %d bits modulo a number of %d bits is "
                             "past gradsh's limit on work; use smaller numbers"
                             % (abs(exp).bit_length(), mod.bit_length()))
    return pow(base, exp, mod)


def _str(*args, **kwargs):
    if args:
        check_text_size(args[0], "str()")
    return _checked(str(*args, **kwargs), "str()")


def _checked(text, what):
    """text, within MAX_STR: check_text_size's walk is a lower bound (a float may print as 24
    characters), so the text it let through is measured too."""
    check_length(len(text), what)
    return text


def _int(*args, **kwargs):
    """Python's int, within the integer limit (int('f' * 10**7, 16) has no digit limit of
    Python's own: hexadecimal text converts in linear time)."""
    value = int(*args, **kwargs)
    if value.bit_length() > MAX_INT_BITS:
        raise LimitError("int() would make an integer of %d bits (gradsh's limit is %d)"
                         % (value.bit_length(), MAX_INT_BITS))
    return value


def _repr(*args, **kwargs):
    obj = one_argument("repr", args, kwargs)
    check_text_size(obj, "repr()", repr)
    return _checked(repr(obj), "repr()")


def _ascii(*args, **kwargs):
    obj = one_argument("ascii", args, kwargs)
    check_text_size(obj, "ascii()", ascii)
    return _checked(ascii(obj), "ascii()")


def _sorted(*args, **kwargs):
    if len(args) != 1:  # `sorted(xs, key_function)`: Python's words
        raise TypeError("sorted expected 1 argument, got %d" % len(args))
    iterable, = args
    items = collect(iterable, "sorted()")
    sort_list(items, **kwargs)  # (Python's sorted calls list.sort: its words for key=, reverse=)
    return items


def _extreme(real):
    """min or max, after checking that comparing the items (or their keys) stays within the
    comparison budget (comparing.py). An iterator is read first (within the item limit); a
    range or a string, whose items are no containers, is Python's lazily."""
    what = "%s()" % real.__name__

    def extreme(*args, **kwargs):
        # (Python's words, in its order: the positional arguments, then how many keywords)
        if not args:
            raise TypeError("%s expected at least 1 argument, got 0" % real.__name__)
        if len(kwargs) > 2:
            raise TypeError("%s takes at most 2 keyword arguments (%d given)"
                            % (what, len(kwargs)))
        for name in kwargs:
            if name not in ("key", "default"):
                raise TypeError("'%s' is an invalid keyword argument for %s" % (name, what))
        key = kwargs.pop("key", None)
        if kwargs and len(args) > 1:
            raise TypeError("Cannot specify a default for %s with multiple positional arguments"
                            % what)
        items = args[0] if len(args) == 1 else args
        if type(items) is range and key is None and items:  # Python reads every item
            return items[-1] if (items.step > 0) == (real is max) else items[0]
        if not args or type(items) in (range, str):
            return real(*nesting.bounded_args(args, what), key=key, **kwargs)
        if type(items) not in (list, tuple):
            items = collect(items, what)
        keys = items if key is None else [key(x) for x in items]
        comparing.check_items(keys, what)
        if key is None or not items:
            return real(items, **kwargs)
        return items[real(range(len(items)), key=keys.__getitem__)]
    extreme.__name__ = extreme.__qualname__ = real.__name__
    extreme.__doc__ = real.__doc__
    return extreme


def _dict(*args, **kwargs):
    return dict(*mapping_args(args, "dict()"), **kwargs)


def _sum(iterable, /, start=0):
    """Python's sum; lists and tuples are joined in one pass (Python's sum copies the running
    total at every step: sum([[0]] * 10**7, []) would run for hours), within the item limit.
    An int sum of a range is its closed form (Python's answer, without reading 10**18 items);
    other lazy iterables are read within the reading budget (nesting.bounded)."""
    if type(start) not in (list, tuple):
        if type(iterable) is range and type(start) in (int, bool):
            return start + _range_total(iterable)
        return sum(nesting.bounded(iterable, "sum()"), start)
    kind = type(start)
    out = list(start)
    for item in iterable:
        if type(item) is not kind:
            return kind(out) + item  # Python's own TypeError for list + tuple and the like
        out.extend(item)
        if len(out) > MAX_ITEMS:
            raise LimitError("sum() would make a %s of more than %d items (gradsh's limit)"
                             % (kind.__name__, MAX_ITEMS))
    return out if kind is list else tuple(out)


def _range_total(r):
    """sum(r) for a range r, from its length (len() raises OverflowError past sys.maxsize),
    first item and step."""
    n = max(0, (r.stop - r.start + r.step - (1 if r.step > 0 else -1)) // r.step)
    return n * r.start + r.step * (n * (n - 1) // 2)


def _round(number, ndigits=None):
    """Python's round, without computing 10 ** -ndigits when that power dwarfs the number (the
    answer is 0 then): round(10**1000, -10**10) would otherwise run for minutes."""
    if type(number) is int and isinstance(ndigits, int) and ndigits < 0:
        if number.bit_length() * 0.30103 + 1 < -ndigits:
            return 0
    return round(number) if ndigits is None else round(number, ndigits)


# Python's words for their arguments' errors ("list expected at most 1 argument, got 2",
# "isinstance() takes no keyword arguments"): builtinfns.python_refusal
_list, _tuple, _dict, _sum, _round, _str, _int, _set, _frozenset, _pow = (
    with_python_refusals(fn, real) for fn, real in (
        (_list, list), (_tuple, tuple), (_dict, dict), (_sum, sum), (_round, round), (_str, str),
        (_int, int), (_set, set), (_frozenset, frozenset), (_pow, pow)))
for _fn, _real in ((_list, list), (_tuple, tuple), (_sorted, sorted), (_dict, dict), (_sum, sum),
                   (_round, round), (_str, str), (_repr, repr), (_ascii, ascii), (_int, int),
                   (_set, set),
                   (_frozenset, frozenset),
                   (_pow, pow)):
    _fn.__name__ = _real.__name__
    _fn.__qualname__ = _real.__name__
    _fn.__doc__ = _real.__doc__

REAL_TYPES = {_list: list, _tuple: tuple, _dict: dict, _str: str, _int: int, _set: set,
              _frozenset: frozenset}
STAND_INS[_int] = int  # `dtype=int` is torch.int64


def stand_for(fn, real):
    """Record that the program's builtin `fn` stands for Python's type `real` (isinstance,
    `type(x) == fn`, `fn.method` unbound) and return fn."""
    REAL_TYPES[fn] = real
    from .classes import stand_in
    stand_in(real, fn)
    return fn


def _real_classinfo(classinfo, who):
    if isinstance(classinfo, tuple):
        nesting.check_tuple_depth(classinfo, who + "()'s class tuple")
        return _real_types(classinfo)
    return _real_type(classinfo)


def _real_types(classes):
    # Python reads tuples nested in the tuple too: isinstance(x, (str, (float, int)))
    return tuple(_real_types(c) if isinstance(c, tuple) else _real_type(c) for c in classes)


def _class_operand(x):
    """The class `x` stands for in a union (`int | None`: None stands for its own type), or
    None when x is no class."""
    if x is None:
        return type(None)
    kind = type(x)
    if kind is types.FunctionType:  # the program's `int`, `list`...: Python's type
        return REAL_TYPES.get(x)
    if kind.__qualname__ == "TypeView":  # what `type(x)` gave
        return x.cls
    if kind.__qualname__ == "GenericAliasView":  # `torch.Tensor | list[float]` (an annotation)
        return _real_type(x)
    return x if isinstance(x, (type, types.UnionType)) else None


def union_or(or_):
    """The program's `|`: a class with a class or None makes Python's union (PEP 604: `int |
    None`, read by isinstance and issubclass) of the real classes the program's `int` or
    `type(x)` stand for; everything else is `or_` (numbers, tensors and sets first)."""
    def checked(a, b):
        if type(a) not in _OPERANDS and (a is not None or b is not None):
            x, y = _class_operand(a), _class_operand(b)
            if x is not None and y is not None:
                return x | y
        return or_(a, b)
    checked.__name__ = or_.__name__
    return checked


_OPERANDS = frozenset((int, bool, float, set, frozenset, dict))


def _isinstance(obj, classinfo):
    if type(obj).__qualname__ == "TypeView":  # `isinstance(int, type)`: the class it shows
        obj = obj.cls
    return isinstance(obj, _real_classinfo(classinfo, "isinstance"))


def _issubclass(cls, classinfo):
    return issubclass(_real_type(cls), _real_classinfo(classinfo, "issubclass"))


def _real_type(c):
    if type(c).__qualname__ == "GenericAliasView":  # `list[int]`: Python's, for its error
        return types.GenericAlias(c.view.cls, tuple(
            a.cls if type(a).__qualname__ == "TypeView" else a for a in c.args))
    if type(c).__hash__ is None:  # (adv13c) `isinstance(1, [int])`: Python's own TypeError
        return c
    c = REAL_TYPES.get(c, c)
    if type(c).__qualname__ == "TypeView":
        return c.cls
    if typing.get_origin(c) is typing.Union:
        # `Optional[int]` of the program's `int` (a stand-in, equal to int: typing's cache may
        # give a Union of it for Union[int, None] too): the union of the real classes
        return functools.reduce(operator.or_, map(_real_type, typing.get_args(c)))
    return c


def _format(value, format_spec=""):
    """format(value, spec): as Python's, within gradsh's width limit."""
    from .strmethods import safe_format_value
    return safe_format_value(value, format_spec, None)


_format.__name__ = "format"


def _hash(*args, **kwargs):
    obj = one_argument("hash", args, kwargs)
    nesting.check_tuple_depth(obj, "hash()'s tuple")
    return hash(obj)


_hash.__name__ = "hash"
_hash.__doc__ = hash.__doc__
_format.__doc__ = format.__doc__
_format = with_python_refusals(_format, format)


_isinstance = with_python_refusals(_isinstance, isinstance)
_isinstance.__doc__ = isinstance.__doc__
_issubclass = with_python_refusals(_issubclass, issubclass)
_issubclass.__doc__ = issubclass.__doc__


# the values whose str() runs no program code (a program's class, a container holding one, a
# tensor subclass's __torch_function__ may print)
_PURE_TEXT = frozenset((str, int, float, bool, type(None), Tensor))


def make_print(write):
    """print() writing through `write(text)` (the session's stdout, capped if asked).

    Python's print writes each argument's text as it goes, so a `__str__` or `__repr__` that
    prints, or raises, finds the arguments before it written. This one joins the texts and
    writes once (the common case: one write); the texts of the print() calls whose arguments
    are being turned into text wait in `running`, and are written before anything a `__str__`
    prints, or when one raises."""
    running = []

    def write_running():
        for out, pieces in running:  # (each to its print's stream: file=sys.stderr)
            if pieces:
                out("".join(pieces))
                pieces.clear()

    def print_(*args, sep=" ", end="\n", file=None, flush=False, **unknown):
        if unknown:
            raise TypeError("'%s' is an invalid keyword argument for print()" % next(iter(unknown)))
        out = write
        if file is not None:  # sys.stdout and sys.stderr only (runtime/sysmodule.py)
            if type(file) in PRINT_FILES:
                out = file.gradsh_stream
            else:
                raise TypeError("print(file=...) is not supported in gradsh: output goes to "
                                "stdout (or file=sys.stdout, file=sys.stderr)")
        if sep is None:
            sep = " "
        elif not isinstance(sep, str):
            raise TypeError("sep must be None or a string, not %s" % type(sep).__name__)
        if end is None:
            end = "\n"
        elif not isinstance(end, str):
            raise TypeError("end must be None or a string, not %s" % type(end).__name__)
        for a in args:
            check_text_size(a, "print()")
            if type(a) not in _PURE_TEXT:
                break
        else:  # (the common case: texts no program code makes, joined and written once)
            text = _checked(sep.join([str(a) for a in args]), "print()")
            if running:
                write_running()  # a __str__ printing: its caller's arguments so far come first
            out(text + end)
            return
        pieces = []
        running.append((out, pieces))
        try:
            for i, a in enumerate(args):
                if i:
                    pieces.append(sep)
                check_text_size(a, "print()")
                pieces.append(str(a))
        except BaseException:
            write_running()  # (Python wrote the arguments before the one that raised)
            raise
        finally:
            running.pop()
        if running:
            write_running()
        out(_checked("".join(pieces), "print()") + end)

    return builtin_function_or_method(
        print_, "print", "print(*values, sep=' ', end='\\n')\n\nPrints the values to the "
        "output, separated by sep and followed by end.")


def make_help(write, show=None):
    """help(obj); `show(text)` displays its text (default: written as print would)."""
    def help_(obj=None):
        text = describe(obj)
        if show is not None:
            # (a screen's help reflows its text, which drops the empty line pydoc's ends with)
            body = text.rstrip("\n")
            show(body)
            for _ in range(len(text) - len(body)):
                show("")
        else:
            write(text + "\n")

    # Python's help is an object whose repr says how to use it
    return builtin_function_or_method(
        help_, "help", "help(obj)\n\nShows the signature and the first paragraph of obj's "
        "documentation.",
        "Type help() for interactive help, or help(object) for help about object.")


def describe(obj):
    """The text help(obj) prints."""
    if obj is None:
        return ("gradsh runs a subset of Python with torch's autograd. help(f) shows a "
                "function's signature and documentation; e.g. help(torch.ones), help(x.backward).")
    if isinstance(obj, Namespace):
        names = obj.names()
        return "%s: %d names, e.g. %s" % (obj.name, len(names), ", ".join(names[:12]))
    import inspect

    if type(obj) is types.FunctionType and obj.__module__ == "__main__":
        return _pydoc_function(obj)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if name is None or not callable(obj):
        name = type(obj).__name__
        plain = isinstance(obj, (int, float, str, list, dict, tuple))
        doc = None if plain else type(obj).__doc__
        return name + ("\n\n" + _first_paragraph(doc) if doc else "")
    signature = _signature(obj)
    doc = inspect.getdoc(obj)
    text = name + signature
    if doc:
        first = _first_paragraph(doc)
        if first.startswith(name.split(".")[-1] + "("):
            text = first
        else:
            text += "\n\n" + first
    return text


def _pydoc_function(fn):
    """Python's help() text of a program's function (pydoc's plain text, without the new line
    help() writes after it): its title, `name(signature)` and the docstring indented by four."""
    import inspect
    name, signature = fn.__name__, str(inspect.signature(fn))
    head = "<lambda> lambda " + signature[1:-1] if name == "<lambda>" else name + signature
    doc = inspect.getdoc(fn)
    body = "\n".join("    " + line for line in doc.split("\n")).rstrip() + "\n" if doc else ""
    return "Help on function %s in module __main__:\n\n%s\n%s" % (name, head, body)


def _signature(obj):
    """inspect's signature, where the tensor a torch function takes first is `input`, as in
    PyTorch's documentation (`sum(input, dim=None, ...)`): gradsh's module-level function is
    also the Tensor method, whose first parameter is `self`. Methods defined in a class
    (`Tensor.backward`, a program's own) keep their `self`, as Python's help shows them."""
    import inspect
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    params = list(signature.parameters.values())
    # (a torch function a program holds is shown as a builtin, of module 'builtins': its op's)
    op = obj.func if isinstance(obj, functools.partial) else obj
    if params and params[0].name == "self" and "." not in getattr(obj, "__qualname__", ".") \
            and (getattr(op, "__module__", None) or "").startswith("gradsh."):
        params = [params[0].replace(name="input")] + params[1:]
        signature = signature.replace(parameters=params)
    every = [p for p in params if repr(p.default) == "<all dims>"]
    if every:
        # a dim that PyTorch's signatures leave out (every dim: t.sum()) or require, with the
        # keepdim that comes with it: PyTorch's two overloads, as its documentation shows them
        # (`sum(input, *, dtype=None)`, then `sum(input, dim, keepdim=False, *, dtype=None)`)
        dim = every[0]
        short = signature.replace(parameters=[p for p in params
                                              if p is not dim and p.name != "keepdim"])
        try:
            full = signature.replace(parameters=[
                p.replace(default=inspect.Parameter.empty) if p is dim else p for p in params])
        except ValueError:  # (a parameter without default after it: leave it as it is)
            return str(signature)
        return f"{short}\n{getattr(op, '__name__', '')}{full}"
    return str(signature)


def _first_paragraph(doc):
    paragraphs = doc.strip().split("\n\n")
    return paragraphs[0].strip() if paragraphs else ""


def _slice(*args):
    """Python's slice, of numbers, tensors and None only: a slice holding slices (or containers
    holding them) would nest without bound for repr, == and hash to walk in C."""
    from ...core.tensor import Tensor
    for a in args:
        if not (a is None or type(a) in (int, bool, float) or isinstance(a, Tensor)):
            raise TypeError("slice() in gradsh takes numbers, tensors or None, not '%s'"
                            % type(a).__name__)
    return slice(*args)


_slice = stand_for(with_python_refusals(_slice, slice), slice)


# the types of the files print(file=...) writes to: sys.stdout and sys.stderr (sysmodule.py)
PRINT_FILES = set()


def python_builtins(write):
    """The Python part of a program's builtins."""
    out = {name: getattr(builtins, name) for name in PLAIN}
    out.update(min=_extreme(min), max=_extreme(max), any=nesting.reading(any, "any()"),
               all=nesting.reading(all, "all()"))
    out.update(slice=_slice, list=_list, tuple=_tuple, set=_set, frozenset=_frozenset, str=_str,
               int=_int, dict=_dict, zip=nesting.zip, enumerate=nesting.enumerate,
               map=nesting.map, filter=nesting.filter,
               print=make_print(write), help=make_help(write))
    # (the names standing for types, `int`, `list`..., are replaced by the classes as `type()`
    # shows them: classes.make_class_builtins)
    for fn in (_pow, _repr, _ascii, _sorted, _sum, _round, _isinstance, _issubclass, _format,
               _hash):
        out[fn.__name__] = builtin(fn)
    for name in ("min", "max", "any", "all"):
        out[name] = builtin(out[name], name)
    return out
