"""The attribute gate and the size limits: what a program may reach, and how big it may build.

Every attribute a program reads or writes passes through `Gate.load` / `Gate.store`. The rule is
an allowlist decided per (type, name) and cached: the provider's classes (Tensor, dtype, Size,
autograd nodes...) offer their public names minus a deny list; Python's str, list, dict, tuple,
int, float, range offer a short explicit list; everything else (functions, modules, classes,
generators, numpy objects...) offers nothing. No name starting with "_" is ever reachable.
"""

import operator
import re
import types

from .namespaces import Namespace, UnavailableError

__all__ = ["Gate", "GateError", "LimitError", "make_operators", "safe_format_value",
           "MAX_STR", "MAX_ITEMS", "MAX_INT_BITS", "MAX_WIDTH"]

MAX_STR = 100_000_000  # characters in a string built by one operation
MAX_ITEMS = 10_000_000  # items in a list or tuple built by one operation
MAX_INT_BITS = 1_000_000  # bits of an int built by one operation (about 300,000 digits)
MAX_WIDTH = 1_000_000  # widths and precisions in format specs


class GateError(AttributeError):
    """An attribute a program may not read or write."""

    gradsh_kind = "AttributeError"


class LimitError(Exception):
    """A Python value that would be too big to build (it would hang or exhaust memory)."""

    gradsh_kind = "LimitError"


# Python's own types: the methods and attributes a program may use.
_STR_NAMES = frozenset("""capitalize casefold center count endswith find format index isalnum
    isalpha isascii isdecimal isdigit isidentifier islower isnumeric isspace istitle isupper join
    ljust lower lstrip partition removeprefix removesuffix replace rfind rindex rjust rpartition
    rsplit rstrip split splitlines startswith strip swapcase title upper zfill""".split())
_LIST_NAMES = frozenset(
    "append clear copy count extend index insert pop remove reverse sort".split())
_DICT_NAMES = frozenset("clear copy get items keys pop popitem setdefault update values".split())
_TUPLE_NAMES = frozenset("count index".split())
_INT_NAMES = frozenset("""real imag numerator denominator conjugate bit_length bit_count
    as_integer_ratio is_integer""".split())
_FLOAT_NAMES = frozenset("real imag conjugate is_integer as_integer_ratio hex".split())
_COMPLEX_NAMES = frozenset("real imag conjugate".split())
_RANGE_NAMES = frozenset("start stop step count index".split())
PYTHON_ALLOWED = {
    str: _STR_NAMES, list: _LIST_NAMES, dict: _DICT_NAMES, tuple: _TUPLE_NAMES,
    int: _INT_NAMES, bool: _INT_NAMES, float: _FLOAT_NAMES, complex: _COMPLEX_NAMES,
    range: _RANGE_NAMES, slice: frozenset(("start", "stop", "step")),
}

# Public names of provider classes that programs never get, and why.
DENIED = {
    "numpy": ("numpy arrays are not available in gradsh programs; use .tolist() to get Python "
              "numbers"),
    "untyped_storage": "storages are not available in gradsh programs",
    "storage": "storages are not available in gradsh programs",
    "np": "numpy objects are not available in gradsh programs",
    "tofile": "gradsh programs cannot write files",
    "ctypes": "raw memory is not available in gradsh programs",
    "set_": "raw storages are not available in gradsh programs",
}
# Provider classes whose public names are more than PyTorch documents (the core's own
# machinery): only PyTorch's names for them, found by the name of a class in their MRO.
RESTRICTED = {
    "Node": frozenset(("name", "next_functions", "metadata", "register_hook", "register_prehook",
                       "requires_grad", "variable")),
    "Generator": frozenset(("manual_seed", "seed", "initial_seed", "device")),
}
# Attributes a program may assign, on tensors only.
TENSOR_SETTABLE = frozenset(("grad", "requires_grad", "data"))

_METHOD_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
                 types.WrapperDescriptorType, types.ClassMethodDescriptorType, classmethod,
                 staticmethod)
_SAFE_VALUE_TYPES = frozenset((int, float, bool, complex, str, type(None), tuple, list, dict,
                               range, slice, Namespace))


class Gate:
    """Decides, once per (type, attribute name), whether and how a program may use an attribute."""

    def __init__(self, provider):
        self.provider = provider
        self._exposed_classes = None

    # ------------------------------------------------------------ loads
    def make_load(self):
        """The `.ga(obj, name)` function called by generated code for every attribute read."""
        cache = {}
        decide = self._decide_load

        def ga(obj, name):
            key = (type(obj), name)
            try:
                how = cache[key]
            except KeyError:
                how = cache[key] = decide(key[0], name)
            if how is None:
                return getattr(obj, name)
            return how(obj, name)

        return ga

    def _decide_load(self, cls, name):
        if name.startswith("_"):
            return _deny_private
        if cls is Namespace:
            return _namespace_get
        if cls is type:
            return self._class_attribute
        if cls in PYTHON_ALLOWED:
            allowed = PYTHON_ALLOWED[cls]
            if name in allowed:
                return _STR_WRAPPERS.get(name) if cls is str else None
            return _python_refusal(cls, name)
        if self.provider.owns_type(cls):
            return self._decide_provider(cls, name)
        return _python_refusal(cls, name)

    def _decide_provider(self, cls, name):
        if name in DENIED:
            return _denied(cls, name)
        for base in cls.__mro__:
            allowed = RESTRICTED.get(base.__name__)
            if allowed is not None and name not in allowed:
                if _class_lookup(cls, name) is _MISSING:
                    return _missing(cls, name)
                return _python_refusal(cls, name)
        found = _class_lookup(cls, name)
        if found is _MISSING:
            return _missing(cls, name)
        if isinstance(found, _METHOD_TYPES):
            return None
        return self._guarded

    def _guarded(self, obj, name):
        """A data attribute of a provider object: hand out only values a program may hold."""
        value = getattr(obj, name)
        cls = type(value)
        if cls in _SAFE_VALUE_TYPES or self.provider.owns_type(cls):
            return value
        raise GateError("%s.%s is not available in gradsh programs (it is a %s)"
                        % (type(obj).__name__, name, cls.__name__))

    def _class_attribute(self, cls_obj, name):
        """`torch.Tensor.add`, `torch.dtype`...: provider classes expose what their instances do."""
        if not self.provider.owns_type(cls_obj):
            raise GateError("type object '%s' attribute '%s' is not available in gradsh"
                            % (cls_obj.__name__, name))
        how = self._decide_provider(cls_obj, name)
        if how is None:
            return getattr(cls_obj, name)
        if how == self._guarded:
            raise GateError("type object '%s' attribute '%s' is not available in gradsh"
                            % (cls_obj.__name__, name))
        return how(cls_obj, name)

    # ------------------------------------------------------------ questions (completion)
    def allows(self, obj, name):
        """Would `obj.name` be handed to a program (rather than refused)?"""
        cls = type(obj)
        if cls is type:
            if not self.provider.owns_type(obj):
                return False
            cls = obj
        how = self._decide_load(cls, name) if cls is not obj else self._decide_provider(cls, name)
        return how is None or how == self._guarded or how is _namespace_get \
            or how in _STR_WRAPPERS.values()

    def attribute_names(self, obj):
        """The attribute names a program may use on `obj`, sorted."""
        if isinstance(obj, Namespace):
            return sorted(obj.names())
        candidates = PYTHON_ALLOWED.get(type(obj)) or dir(obj)
        return sorted(n for n in candidates if not n.startswith("_") and self.allows(obj, n))

    # ------------------------------------------------------------ stores
    def make_store(self):
        """The `.sa(obj, name, value)` function called for every attribute assignment."""
        cache = {}
        tensor_type = self.provider.tensor_type

        def sa(obj, name, value):
            key = (type(obj), name)
            try:
                allowed = cache[key]
            except KeyError:
                allowed = cache[key] = (name in TENSOR_SETTABLE and isinstance(obj, tensor_type))
            if allowed:
                setattr(obj, name, value)
                return
            _refuse_store(obj, name)

        return sa


def _refuse_store(obj, name):
    if name.startswith("_"):
        _deny_private(obj, name)
    if isinstance(obj, Namespace):
        raise GateError("cannot assign %s.%s: the %s namespace is read-only"
                        % (obj.name, name, obj.name))
    raise GateError("cannot assign attribute '%s' of a '%s' object in gradsh (a program can "
                    "assign only a tensor's grad, requires_grad and data)"
                    % (name, type(obj).__name__))


_MISSING = object()


def _class_lookup(cls, name):
    for base in cls.__mro__:
        if base is object:
            break
        if name in base.__dict__:
            return base.__dict__[name]
    return _MISSING


def _deny_private(obj, name):
    raise GateError("'%s' is not accessible: gradsh never gives access to names starting with '_'"
                    % name)


def _namespace_get(ns, name):
    return ns.get(name)


def _python_refusal(cls, name):
    """The error for an attribute of a Python (non-provider) object; Python's own if missing."""
    exists = hasattr(cls, name)

    def refuse(obj, attr):
        if exists:
            raise GateError("'%s' object attribute '%s' is not available in gradsh"
                            % (cls.__name__, attr))
        raise GateError("'%s' object has no attribute '%s'" % (cls.__name__, attr))

    return refuse


def _denied(cls, name):
    def refuse(obj, attr):
        raise GateError("%s.%s is not available in gradsh: %s" % (cls.__name__, attr, DENIED[attr]))

    return refuse


def _missing(cls, name):
    def refuse(obj, attr):
        raise GateError("'%s' object has no attribute '%s'" % (cls.__name__, attr))

    return refuse


# ---------------------------------------------------------------- str methods that can explode

def _check_len(n, what):
    if n > MAX_STR:
        raise LimitError("%s would make a string of %d characters (gradsh's limit is %d)"
                         % (what, n, MAX_STR))


def _width_method(name):
    method = getattr(str, name)

    def checked(s, width, *fill):
        if isinstance(width, int):
            _check_len(width, "str.%s()" % name)
        return method(s, width, *fill)

    checked.__name__ = name
    checked.__doc__ = method.__doc__
    return checked


def _join(sep, iterable):
    items = list(iterable)
    total = len(sep) * max(len(items) - 1, 0)
    for item in items:
        if isinstance(item, str):
            total += len(item)
    _check_len(total, "str.join()")
    return sep.join(items)


def _replace(s, old, new, count=-1):
    if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        n = s.count(old) if old else len(s) + 1
        if isinstance(count, int) and count >= 0:
            n = min(n, count)
        _check_len(len(s) + n * (len(new) - len(old)), "str.replace()")
    return s.replace(old, new, count)


_FORMATTER = None


def _formatter():
    """str.format without attribute or index fields ("{0.__class__}" reaches anything)."""
    global _FORMATTER
    if _FORMATTER is None:
        import string  # only programs that call str.format pay for it

        class SafeFormatter(string.Formatter):
            def get_field(self, field_name, args, kwargs):
                if "." in field_name or "[" in field_name:
                    raise GateError("format fields with attributes or indexes ('{0.x}', '{0[1]}') "
                                    "are not allowed in gradsh; format the value itself: "
                                    "'{}'.format(x.y)")
                return super().get_field(field_name, args, kwargs)

            def format_field(self, value, format_spec):
                check_spec(format_spec)
                return format(value, format_spec)

        _FORMATTER = SafeFormatter()
    return _FORMATTER


def _format(s, *args, **kwargs):
    return _formatter().vformat(s, args, kwargs)


_format.__doc__ = str.format.__doc__


def _bound(fn):
    def bind(s, name):
        def method(*args, **kwargs):
            return fn(s, *args, **kwargs)
        method.__name__ = name
        method.__doc__ = getattr(str, name).__doc__
        return method
    return bind


_STR_WRAPPERS = {
    "format": _bound(_format), "join": _bound(_join), "replace": _bound(_replace),
    "center": _bound(_width_method("center")), "ljust": _bound(_width_method("ljust")),
    "rjust": _bound(_width_method("rjust")), "zfill": _bound(_width_method("zfill")),
}

_SPEC_NUMBER = re.compile(r"\d+")


def check_spec(spec):
    """Refuse format specs whose width or precision would build a huge string."""
    if spec:
        for number in _SPEC_NUMBER.findall(spec):
            if len(number) > 7 or int(number) > MAX_WIDTH:
                raise LimitError("format width or precision %s is too large (gradsh's limit is %d)"
                                 % (number, MAX_WIDTH))


def safe_format_value(value, spec, conversion):
    """What an f-string field `{value!conversion:spec}` becomes."""
    if conversion is not None:
        convert = {"r": repr, "s": str, "a": ascii}[conversion]
        value = convert(value)
    if spec:
        check_spec(spec)
    return format(value, spec)


# ---------------------------------------------------------------- operators that build values

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.?)", re.S)


def _check_percent(fmt, args):
    """Refuse %-format widths (given or taken from the arguments by '*') that are too large."""
    values = args if isinstance(args, tuple) else (args,)
    used = 0
    for m in _PERCENT_SPEC.finditer(fmt):
        width, precision, conversion = m.groups()
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
            used += 1


def _check_repeat(seq, times):
    if isinstance(times, int) and times > 0:
        n = len(seq) * times
        if isinstance(seq, str):
            _check_len(n, "repeating a string")
        elif n > MAX_ITEMS:
            raise LimitError("repeating a %s would make %d items (gradsh's limit is %d)"
                             % (type(seq).__name__, n, MAX_ITEMS))


def _check_int_bits(bits, what):
    if bits > MAX_INT_BITS:
        raise LimitError("%s would make an integer of about %d bits (gradsh's limit is %d)"
                         % (what, bits, MAX_INT_BITS))


def make_operators(tensor_type):
    """The checked operator helpers for generated code; plain Python operators on the fast path."""
    fast = frozenset((tensor_type, float, int, bool))
    sequences = (str, list, tuple)

    def add_check(a, b):
        if isinstance(a, sequences) and isinstance(b, sequences):
            n = len(a) + len(b)
            if isinstance(a, str):
                _check_len(n, "concatenating strings")
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
        if isinstance(a, sequences):
            _check_repeat(a, b)
        elif isinstance(b, sequences):
            _check_repeat(b, a)
        return a * b

    def pow_(a, b):
        if type(a) in (int, bool) and type(b) in (int, bool) and b > 0 and abs(a) > 1:
            _check_int_bits(a.bit_length() * b, "%d ** %d" % (a, b) if b < 10**12 else "this power")
        return a ** b

    def mod(a, b):
        if isinstance(a, str):
            _check_percent(a, b)
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
        add_check(a, b)
        a += b
        return a

    def imul(a, b):
        ta, tb = type(a), type(b)
        if ta is int and tb is int:
            _check_int_bits(a.bit_length() + b.bit_length(), "this multiplication")
        elif isinstance(a, sequences):
            _check_repeat(a, b)
        elif isinstance(b, sequences):
            _check_repeat(b, a)
        a *= b
        return a

    def ipow(a, b):
        if type(a) in (int, bool) and type(b) in (int, bool) and b > 0 and abs(a) > 1:
            _check_int_bits(a.bit_length() * b, "this power")
        a **= b
        return a

    def imod(a, b):
        if isinstance(a, str):
            _check_percent(a, b)
        a %= b
        return a

    def ilshift(a, b):
        if isinstance(a, int) and isinstance(b, int) and a:
            _check_int_bits(a.bit_length() + b, "this shift")
        a <<= b
        return a

    in_place_ops = {
        "+=": iadd, "*=": imul, "**=": ipow, "%=": imod, "<<=": ilshift,
        "-=": operator.isub, "/=": operator.itruediv, "//=": operator.ifloordiv,
        "@=": operator.imatmul, "&=": operator.iand, "|=": operator.ior, "^=": operator.ixor,
        ">>=": operator.irshift,
    }
    return {"add": add, "mul": mul, "pow": pow_, "mod": mod, "lshift": lshift, "iadd": iadd,
            "imul": imul, "ipow": ipow, "imod": imod, "ilshift": ilshift,
            "in_place": in_place_ops}
