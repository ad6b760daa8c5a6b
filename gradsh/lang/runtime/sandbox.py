"""The attribute gate: what a program may reach.

Every attribute a program reads or writes passes through `Gate.load` / `Gate.store`. The rule is
an allowlist decided per (type, name) and cached: the provider's classes (Tensor, dtype, Size,
autograd nodes...) offer their public names minus a deny list; Python's str, list, dict, tuple,
int, float, range offer a short explicit list; everything else (functions, modules, classes,
generators, numpy objects...) offers nothing. No name starting with "_" is ever reachable.
"""

import types

from .limits import MAX_ITEMS, LimitError
from .namespaces import Namespace
from .strmethods import STR_WRAPPERS

__all__ = ["Gate", "GateError", "PYTHON_ALLOWED", "DENIED", "RESTRICTED", "TENSOR_SETTABLE"]


class GateError(AttributeError):
    """An attribute a program may not read or write."""

    gradsh_kind = "AttributeError"


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
                return STR_WRAPPERS.get(name) if cls is str else None
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
            return _checked_tolist if name == "tolist" else None
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
            or how is _checked_tolist or how in STR_WRAPPERS.values()

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


def _checked_tolist(obj, name):
    """tensor.tolist() within the item limit: a tensor of 10**9 numbers would become a list of
    tens of gigabytes (torch.Tensor.tolist is handed out checked too)."""
    method = getattr(obj, name)

    def tolist(*args, **kwargs):
        tensor = args[0] if isinstance(obj, type) and args else obj
        if not isinstance(tensor, type):
            n = tensor.numel()
            if n > MAX_ITEMS:
                raise LimitError("tolist() of a tensor of %d numbers is more than gradsh's "
                                 "limit of %d items" % (n, MAX_ITEMS))
        return method(*args, **kwargs)

    tolist.__name__ = "tolist"
    tolist.__doc__ = getattr(method, "__doc__", None)
    return tolist


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
        raise GateError("'%s' object has no attribute '%s'" % (cls.__name__, attr), name=attr,
                        obj=obj)

    return refuse


def _denied(cls, name):
    def refuse(obj, attr):
        raise GateError("%s.%s is not available in gradsh: %s" % (cls.__name__, attr, DENIED[attr]))

    return refuse


def _missing(cls, name):
    def refuse(obj, attr):
        raise GateError("'%s' object has no attribute '%s'" % (cls.__name__, attr), name=attr,
                        obj=obj)

    return refuse
