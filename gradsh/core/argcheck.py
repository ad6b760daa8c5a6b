"""PyTorch's argument errors, from PyTorch's own signatures (issues 15 and 16).

PyTorch's C functions read their arguments with one parser (torch/csrc/utils/
python_arg_parser.cpp) against signature strings such as "mv(Tensor input, Tensor vec, *,
Tensor out=None)"; a call that matches none gets a TypeError worded by that parser (and by
invalid_arguments.cpp for several signatures). gradsh keeps PyTorch 2.13's strings for the
names it offers (signatures.txt, recorded by tools/record_signatures.py) and follows the same
rules, on the failure path only: `refusal` is asked after a call already failed, and its answer
replaces gradsh's exception only when the arguments match no signature.
"""

import functools
import operator
import os
import sys

import numpy as np

from .device import device as _Device
from .dtypes import Size as _Size
from .dtypes import dtype as _Dtype
from .errors import type_name
from .layout import layout as _Layout
from .layout import memory_format as _MemoryFormat
from .tensor import Tensor

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "signatures.txt")
# the table's mark of a C function that takes no arguments, before PyTorch's name of it
NO_ARGUMENTS = "|noargs "

# numpy's names for keywords, accepted by every signature (python_arg_parser.cpp)
NUMPY_NAMES = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"),
               "other": ("x2",)}
# the ops whose Tensor parameters take a Python number too
NUMBERS_AS_TENSORS = frozenset(
    n + suffix for n in ("add", "div", "divide", "mul", "multiply", "sub", "subtract",
                         "true_divide", "floor_divide") for suffix in ("", "_", "_out")
) | {"to", "_to_copy", "copy_"}


class ElementError(TypeError):
    """A list of tensors with another value in it: PyTorch refuses it at once, whichever
    signature it was checking ("expected Tensor as element 1 in argument 0, but got int")."""


# ----- what each type of parameter takes ----------------------------------------------------
def _is_long(x):
    return (type(x) is not bool and isinstance(x, (int, np.integer))) \
        and not isinstance(x, np.bool_)


def _is_double(x):
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, np.bool_)


def _is_generator(x):
    """isinstance(x, gradsh.core.random.Generator), without importing that module (and
    numpy.random, a tenth of the pipe's start-up) here: before it is loaded, no generator is."""
    random = sys.modules.get(__package__ + ".random")
    # torch.Generator (random_api's) holds its stream
    return random is not None and (isinstance(x, random.Generator) or
                                   isinstance(getattr(x, "_stream", None), random.Generator))


def _is_scalar(x):
    return isinstance(x, (int, float, complex, np.number, np.bool_))


_PLAIN_SCALARS = frozenset((int, float, complex, bool))


def _all_scalars(x):
    """Is every item of x a Scalar? The types of a list of plain numbers are judged in C (a
    list of 10**7 floats took seconds, one Python call an item)."""
    return set(map(type, x)) <= _PLAIN_SCALARS or all(map(_is_scalar, x))


def _is_index(x):
    """THPUtils_checkIndex: an int that is not a bool, or a value whose __index__ gives an int
    (a tensor of one integer element; a program's own class is asked, as PyTorch's parser asks
    it with PyNumber_Index: an __index__ that raises or returns another type does not match).
    Only on the failure path, after the call failed (refusal)."""
    if isinstance(x, (bool, np.bool_)):
        return False
    if _is_long(x):
        return True
    if isinstance(x, Tensor):
        return x._data.dtype.kind in "iub" and x._data.size == 1
    if not hasattr(type(x), "__index__") or type(x).__module__ in ("builtins", "numpy"):
        return False
    try:
        operator.index(x)
    except Exception:  # noqa: BLE001 - PyTorch clears the error: the value is not an index
        return False
    return True


def _is_list(x):
    """A list, a tuple or a torch.Size (not a program's subclass: its __len__ would run)."""
    return type(x) in (tuple, list) or isinstance(x, _Size)


def _tensor(p, x):
    return isinstance(x, Tensor) or (p.name_of_op in NUMBERS_AS_TENSORS and _is_scalar(x))


def _double(p, x):
    if _is_double(x) or isinstance(x, (complex, np.complexfloating)) and p.kind != "double":
        return True
    return isinstance(x, Tensor) and not x.requires_grad and x._data.ndim == 0


def _scalar(p, x):
    return _is_scalar(x) or _double(p, x)


def _int64(p, x):
    if _is_long(x):
        return True
    return isinstance(x, Tensor) and x._data.dtype.kind in "iu" and not x.requires_grad \
        and x._data.ndim == 0


def _int_list(p, x):
    if _is_list(x):
        return len(x) == 0 or _is_index(list(x[:1])[0])
    # one int for a list of a fixed size, or an integer tensor of one element (`sum(t[0])`)
    return p.size > 0 and (_is_long(x) or isinstance(x, Tensor) and _is_index(x))


def _sym_int_list(p, x):
    if _is_list(x):
        return len(x) == 0 or _is_index(list(x[:1])[0])
    return p.size > 0 and _is_index(x)


def _float_list(p, x):
    return _is_list(x) and (len(x) == 0 or _is_double(x[0]) or isinstance(x[0], complex))


def _tensor_list(p, x):
    if not _is_list(x):
        return False
    for i, item in enumerate(list(x)):
        if not isinstance(item, Tensor):
            raise ElementError("expected Tensor as element %d in argument %d, but got %s" % (
                i, p.index, type_name(item)))
    return True


def _optional_tensor_list(p, x):
    # index_put's indices: PyTorch's Python parser refuses a None in them all the same
    # ("expected Tensor as element 0 in argument 0, but got NoneType")
    return _tensor_list(p, x)


def _dimname(x):
    return x is None or isinstance(x, str)


def _dimname_list(p, x):
    if _is_list(x):
        return len(x) == 0 or _dimname(list(x[:1])[0])
    return p.size == 1 and _dimname(x)


_PY_SCALAR_TYPES = (float, int, bool, complex)

# raw type -> (PyTorch's name of it in messages, what it takes)
KINDS = {
    "Tensor": ("Tensor", _tensor),
    "Scalar": ("Number", _scalar),
    "int64_t": ("int", _int64),
    "SymInt": ("int", lambda p, x: _is_index(x)),
    "double": ("float", _double),
    "complex": ("complex", _double),
    "TensorList": ("tuple of Tensors", _tensor_list),
    "c10::List<::std::optional<Tensor>>": ("tuple of Tensors", _optional_tensor_list),
    "IntArrayRef": ("tuple of ints", _int_list),
    "SymIntArrayRef": ("tuple of ints", _sym_int_list),
    "ArrayRef<double>": ("tuple of floats", _float_list),
    "Generator": ("torch.Generator", lambda p, x: _is_generator(x)),
    "bool": ("bool", lambda p, x: type(x) is bool or isinstance(x, np.bool_)),
    "Storage": ("torch.Storage", lambda p, x: False),
    "PyObject*": ("object", lambda p, x: True),
    "ScalarType": ("torch.dtype", lambda p, x: isinstance(x, _Dtype)
                   or any(x is t for t in _PY_SCALAR_TYPES)),
    "Layout": ("torch.layout", lambda p, x: isinstance(x, _Layout)),
    "MemoryFormat": ("torch.memory_format", lambda p, x: isinstance(x, _MemoryFormat)),
    "QScheme": ("torch.qscheme", lambda p, x: False),
    "Device": ("torch.device",
               lambda p, x: _is_long(x) or isinstance(x, (str, _Device))),
    "Stream": ("torch.Stream", lambda p, x: False),
    "std::string": ("str", lambda p, x: isinstance(x, str)),
    "c10::string_view": ("str", lambda p, x: isinstance(x, str)),
    "Dimname": ("name", lambda p, x: _dimname(x)),
    "DimnameList": ("tuple of names", _dimname_list),
    "ScalarList": ("tuple of Scalars", lambda p, x: _is_list(x) and _all_scalars(x)),
}
# a parameter of one of PyTorch's Python functions (keywords.py's table): any value
KINDS["PyObject"] = ("object", lambda p, x: True)
KINDS["c10::List<std::optional<Tensor>>"] = KINDS["c10::List<::std::optional<Tensor>>"]
KINDS["c10::List<c10::optional<Tensor>>"] = KINDS["c10::List<::std::optional<Tensor>>"]
_LISTS = frozenset(("IntArrayRef", "SymIntArrayRef"))
_INTS = frozenset(("int64_t", "SymInt"))


class Param:
    """One parameter of a signature ("IntArrayRef[1]? dim", "bool keepdim=False")."""

    def __init__(self, text, keyword_only, index, op):
        kind, rest = text.split(" ", 1)
        self.allow_none = kind.endswith("?")
        kind = kind.rstrip("?")
        self.size = 0
        if "[" in kind:
            kind, size = kind[:-1].split("[")
            self.size = int(size)
        self.kind, self.keyword_only, self.index, self.name_of_op = kind, keyword_only, index, op
        self.name, eq, self.default = rest.partition("=")
        self.optional = bool(eq)
        self.allow_none = self.allow_none or self.default == "None"
        self.type_name, self.check = KINDS[kind]
        self.names = (self.name,) + NUMPY_NAMES.get(self.name, ())

    def __str__(self):
        text = self.type_name + " " + self.name
        return text + " = " + self.default if self.optional else text


class Signature:
    """One of an op's signatures, as PyTorch's FunctionSignature reads it."""

    def __init__(self, text):
        self.name, rest = text.split("(", 1)
        body, _, flag = rest.rpartition(")")
        self.hidden = flag in ("|deprecated", "|hidden")
        self.deprecated = flag == "|deprecated"
        self.params, keyword_only = [], False
        for part in body.split(", ") if body else ():
            if part == "*":
                keyword_only = True
            else:
                self.params.append(Param(part, keyword_only, len(self.params), self.name))
        self.min_args = sum(not p.optional for p in self.params)
        self.max_pos_args = sum(not p.keyword_only for p in self.params)

    def __str__(self):
        """PyTorch's FunctionSignature::toString, as its messages list it."""
        parts, starred = [], False
        for p in self.params:
            if p.keyword_only and not starred:
                parts.append("*")
                starred = True
            parts.append(str(p))
        return "(" + ", ".join(parts) + ")"

    def varargs_list(self):
        """expand(2, 3) for expand((2, 3)): one positional parameter, a list of ints."""
        return self.max_pos_args == 1 and self.params[0].kind in _LISTS

    def parse(self, args, kwargs, raising, bound=None):
        """Do args and kwargs match? With `raising`, the TypeError PyTorch gives when not;
        `bound` (a list) receives the (parameter, value) pairs of a match."""
        varargs = self.varargs_list()
        if len(args) > self.max_pos_args and not varargs:
            return raising and self._extra_args(len(args))
        position, remaining = 0, len(kwargs)
        for i, p in enumerate(self.params):
            by_keyword = False
            if position < len(args):
                if p.keyword_only:
                    return raising and self._extra_args(len(args))
                value, present = args[position], True
            else:
                by_keyword = True
                name = next((n for n in p.names if n in kwargs), None)
                present = name is not None
                value = kwargs.get(name)
            if (not present and p.optional) or (present and value is None and p.allow_none):
                pass
            elif not present:
                return raising and self._missing(i)
            elif p.check(p, value):
                if bound is not None:
                    bound.append((p, value))
            elif varargs and position == 0 and not by_keyword and p.check(p, tuple(args)):
                if bound is not None:
                    bound.append((p, tuple(args)))
                position = len(args)
                continue
            elif raising and len(args) > self.max_pos_args:
                return self._extra_args(len(args))  # reshape(1, 'a'): PyTorch 2.13's words
            elif raising:
                return self._wrong_type(p, value, by_keyword, position)
            else:
                return False
            if not by_keyword:
                position += 1
            elif present:
                remaining -= 1
        if remaining > 0:
            return raising and self._extra_kwargs(kwargs, len(args))
        return True

    def _extra_args(self, given):
        if self.min_args != self.max_pos_args:
            return "%s() takes from %d to %d positional arguments but %d were given" % (
                self.name, self.min_args, self.max_pos_args, given)
        return "%s() takes %d positional argument%s but %d %s given" % (
            self.name, self.max_pos_args, "" if self.max_pos_args == 1 else "s", given,
            "was" if given == 1 else "were")

    def _missing(self, start):
        missing = ['"%s"' % p.name for p in self.params[start:] if not p.optional]
        # PyTorch's plural test is upside down: "missing 1 required positional arguments"
        return "%s() missing %d required positional argument%s: %s" % (
            self.name, len(missing), "s" if len(missing) == 1 else "", ", ".join(missing))

    def _wrong_type(self, p, value, by_keyword, position):
        at = "" if by_keyword else " (position %d)" % (position + 1)
        if not by_keyword and p.kind in _LISTS and _is_list(value) and len(value):
            # the parser's check of a list of ints stops at its first element, and says so
            return "%s(): argument '%s'%s must be %s, but found element of type %s at pos 0" % (
                self.name, p.name, at, p.type_name, type_name(list(value)[0]))
        return "%s(): argument '%s'%s must be %s, not %s" % (
            self.name, p.name, at, p.type_name, type_name(value))

    def _extra_kwargs(self, kwargs, given):
        for key in kwargs:
            found = next((i for i, p in enumerate(self.params) if p.name == key), -1)
            if found < 0:
                return "%s() got an unexpected keyword argument '%s'" % (self.name, key)
            if found < given:
                return "%s() got multiple values for argument '%s'" % (self.name, key)
        return "invalid keyword arguments"


# ----- several signatures: invalid_arguments.cpp ---------------------------------------------
def _type_of(x):
    return type_name(x)


def _described(x):
    """A value as the listing shows it: 'int', 'list of [int, str]', 'tuple of (int,)'."""
    if _is_list(x):
        items = ", ".join(_type_of(i) for i in list(x))
        if isinstance(x, tuple):
            return "%s of (%s%s)" % (_type_of(x), items, "," if len(x) == 1 else "")
        return "%s of [%s]" % (_type_of(x), items)
    return _type_of(x)


def _ordered(kwargs):
    """The keywords in the order PyTorch's unordered_map gives them back: the last given first
    (libstdc++ puts each new key at the front; exact for up to two keywords)."""
    return list(reversed(list(kwargs.items())))


def _given(args, kwargs):
    text = "(" + "".join(_type_of(a) + ", " for a in args) + "".join(
        k + "=" + _type_of(v) + ", " for k, v in _ordered(kwargs))
    return (text[:-2] if args else text) + ")"


class _Option:
    """A listed signature, read back from its printed form as invalid_arguments.cpp does (its
    split at ', ' counts '*' as an argument and names a defaulted one by its default)."""

    def __init__(self, printed):
        inner = printed[1:-1]
        self.arguments = [self._argument(a) for a in inner.split(", ")]
        self.variadic = "..." in inner

    @staticmethod
    def _argument(text):
        nullable = text.startswith("[")
        if nullable:
            text = text[1:-len(" or None]")]
        cut = text.rfind(" ")
        return text[:cut] if cut >= 0 else text, text[cut + 1:], nullable

    def count_matches(self, args, kwargs):
        expected, got = len(self.arguments), len(args) + len(kwargs)
        return got == expected or (self.variadic and got > expected)

    def unmatched_keywords(self, kwargs):
        start = max(len(self.arguments) - len(kwargs), 0)
        names = [a[1] for a in self.arguments[start:]]
        return [k for k, _ in _ordered(kwargs) if k not in names]

    def marked(self, args, kwargs):
        """The given arguments with each mismatch between '!'s."""
        parts = []
        pairs = [(None, a) for a in args] + [(None, None)] * len(kwargs)
        for i, (_, value) in enumerate(pairs):
            keyword = i >= len(args)
            if keyword:
                name = self.arguments[i][1]
                if name not in kwargs:
                    raise LookupError(name)  # PyTorch's own lookup fails here
                value = kwargs[name]
            if i < len(self.arguments):
                matching = _matches(self.arguments[i], value)
            else:
                matching = self.variadic and _matches(self.arguments[-1], value)
            mark = "" if matching else "!"
            prefix = self.arguments[i][1] + "=" if keyword else ""
            parts.append(mark + prefix + _described(value) + mark + ", ")
        text = "(" + "".join(parts)
        return (text[:-2] if args else text) + ")"


def _matches(argument, value):
    """invalid_arguments.cpp's test: the printed type names the value's type exactly ('float'
    takes an int; 'Tensor', 'Number' and 'tuple of ints' take nothing it can name)."""
    kind, _, nullable = argument
    if nullable and value is None:
        return True
    accepted = {"float": ("float", "int", "long"), "int": ("int", "long")}.get(kind, (kind,))
    return _type_of(value) in accepted


def _listing(name, options, args, kwargs):
    message = name + "() received an invalid combination of arguments - got " + \
        _given(args, kwargs) + ", but expected one of:\n"
    for printed in options:
        option = _Option(printed)
        message += " * " + printed + "\n"
        if option.count_matches(args, kwargs):
            unmatched = option.unmatched_keywords(kwargs) if kwargs else []
            if unmatched:
                message += "      didn't match because some of the keywords were incorrect: " + \
                    ", ".join(unmatched) + "\n"
            else:
                message += "      didn't match because some of the arguments have invalid " \
                    "types: " + option.marked(args, kwargs) + "\n"
    return message


def _single_listing(name, printed, args, kwargs):
    option = _Option(printed)
    message = name + "() received an invalid combination of arguments - "
    unmatched = option.unmatched_keywords(kwargs) if kwargs else []
    if unmatched:
        return message + "got unrecognized keyword arguments: " + ", ".join(unmatched)
    given = option.marked(args, kwargs) if option.count_matches(args, kwargs) else \
        _given(args, kwargs)
    return message + "got " + given + ", but expected " + printed


# ----- the table ------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _table():
    table = {}
    with open(_TABLE, encoding="utf-8") as f:
        text = f.read()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, *texts = line.split("\t")
            table[key] = texts
    return table


@functools.lru_cache(maxsize=None)
def signatures(surface, name):
    """PyTorch's signatures of `name` on a surface ('torch', 'Tensor', 'F', 'linalg',
    'special'), the
    deprecated ones last as its parser orders them; () for a name not recorded."""
    texts = _table().get(surface + "." + name, ())
    if texts and texts[0].startswith(NO_ARGUMENTS):
        return (texts[0][len(NO_ARGUMENTS):],)
    parsed = [Signature(t) for t in texts]
    return tuple([s for s in parsed if not s.deprecated] + [s for s in parsed if s.deprecated])


def refusal(surface, name, args, kwargs):
    """PyTorch's TypeError message for a call whose arguments match none of the signatures of
    `name` (args without the tensor a method is called on), or None: they match one, or
    gradsh has no record of the name, or PyTorch's own wording cannot be reproduced."""
    if _tensor_like(args) or _tensor_like(kwargs.values()):
        return None  # PyTorch's parser takes it for a Tensor and calls its __torch_function__
    sigs = signatures(surface, name)
    if sigs and isinstance(sigs[0], str):
        return _no_arguments(sigs[0], args, kwargs)
    try:
        return _refusal(sigs, tuple(args), dict(kwargs)) if sigs else None
    except ElementError as e:
        return str(e)
    except LookupError:
        return None


def _tensor_like(values):
    """Is one of values (or an item of a list or tuple among them: one level, as PyTorch looks
    into a TensorList) an object whose class defines __torch_function__ and is not Tensor's
    own? (Never deeper: a list nested in itself, or `[x, x]` nested a thousand times, is
    walked once.)"""
    for x in values:
        if type(x) in (list, tuple):
            # each class once (a list of 10**7 floats is one class, looked at in C)
            if any(_is_tensor_like_class(kind) for kind in set(map(type, x))):
                return True
        elif _is_tensor_like_class(type(x)):
            return True
    return False


def _is_tensor_like_class(kind):
    return kind is not Tensor and hasattr(kind, "__torch_function__") and \
        not issubclass(kind, Tensor)


def _no_arguments(name, args, kwargs):
    """CPython's words for a C function of no arguments given some."""
    if kwargs:
        return "%s() takes no keyword arguments" % name
    return "%s() takes no arguments (%d given)" % (name, len(args)) if args else None


# PyTorch's words when it unpacks an int past int64 from an int parameter (a ValueError; inside
# a list of ints, the list's TypeError quotes them)
OVERFLOW = "Overflow when unpacking long long"
_LONG_MIN, _LONG_MAX = -2 ** 63, 2 ** 63 - 1


def as_exception(message):
    """PyTorch's exception for a refusal's message: a ValueError for an int past int64, else a
    TypeError."""
    return (ValueError if message == OVERFLOW else TypeError)(message)


def is_overflow(message):
    """Is a refusal's message PyTorch's for an int past int64 (alone or in a list)?"""
    return message is not None and message.endswith((OVERFLOW, OVERFLOW + '"'))


def _overflows(x):
    """Is x an int (or a program's index) that int64 cannot hold? Asked on the failure path only,
    of values the signature check took for ints."""
    if isinstance(x, (bool, np.bool_, Tensor)) or isinstance(x, np.integer):
        return False
    if not isinstance(x, int):
        try:
            x = operator.index(x)
        except Exception:  # noqa: BLE001 - not an index: the type check refuses it
            return False
    return not _LONG_MIN <= x <= _LONG_MAX


_PLAIN_INT = frozenset((int,))


def _unpacking(sig, bound):
    """PyTorch's refusal when it unpacks the matched signature's arguments, in order, or None:
    an int past int64 in an int parameter (OVERFLOW), a list of ints with another value after
    its first (the parser looks at the first only; reading the list refuses the rest) or an
    element past int64 (a bool after the first is read as an int)."""
    for p, value in bound:
        if p.kind in _LISTS and _is_list(value):
            items = list(value)
            if set(map(type, items)) <= _PLAIN_INT and (
                    not items or _LONG_MIN <= min(items) and max(items) <= _LONG_MAX):
                continue  # plain ints within int64, judged in C (a list of 10**7 took seconds)
            for i, item in enumerate(items):
                if i and not (_is_index(item) or isinstance(item, bool)):  # an int when read
                    return "%s(): argument '%s' failed to unpack the object at pos %d with " \
                        "error \"type must be tuple of ints,but got %s\"" % (
                            sig.name, p.name, i + 1, type_name(item))
                if _overflows(item):
                    return "%s(): argument '%s' failed to unpack the object at pos %d with " \
                        "error \"%s\"" % (sig.name, p.name, i + 1, OVERFLOW)
        elif p.kind in _INTS and _overflows(value) or p.kind in _LISTS and _overflows(value):
            return OVERFLOW
    return None


def _refusal(sigs, args, kwargs):
    bound = []
    if len(sigs) == 1:
        message = sigs[0].parse(args, kwargs, True, bound)
        return message if isinstance(message, str) else _unpacking(sigs[0], bound)
    for s in sigs:
        bound = []
        if s.parse(args, kwargs, False, bound):
            return _unpacking(s, bound)
    given = len(args) + len(kwargs)
    plausible = [s for s in sigs if s.min_args <= given <= len(s.params) and not s.hidden]
    if len(plausible) == 1:
        message = plausible[0].parse(args, kwargs, True)
        if isinstance(message, str):
            return message
    options = [str(s) for s in sigs if not s.hidden]
    if len(options) == 1:
        return _single_listing(sigs[0].name, options[0], args, kwargs)
    return _listing(sigs[0].name, options, args, kwargs)
