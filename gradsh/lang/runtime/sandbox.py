"""The attribute gate: what a program may reach.

Every attribute a program reads or writes passes through `Gate.load` / `Gate.store`. The rule is
an allowlist decided per (type, name) and cached: the provider's classes (Tensor, dtype, Size,
autograd nodes...) offer their public names minus a deny list; Python's str, list, dict, tuple,
int, float, range offer a short explicit list; everything else (functions, modules, classes,
generators, numpy objects...) offers nothing. No name starting with "_" is ever reachable.
"""

import abc
import inspect
import types
import typing
import weakref
from collections import Counter, OrderedDict, defaultdict, deque
import dataclasses
import functools

from ..syntax.mangling import is_private
from .tracebacks import TRACEBACK_NAMES, ProgramTraceback, traceback_of, with_traceback
from ..syntax.compiler import (ALLOWED_DUNDERS, CLASS_MACHINERY, CLASS_TUPLES, DOCUMENTED_PRIVATE,
                               FUNCTION_DATA,
                               EXCEPTION_CHAIN, OBJECT_PROTOCOL, TYPING_DATA)
from .builtinfns import builtin, builtin_function_or_method, builtin_method, with_python_refusals
from .torch_builtins import TENSOR_METHODS
from .classes import (ABC_STAND_INS, ProgramClasses, ProgramKeyboardInterrupt, TypeView,
                      is_uncatchable, view_new)
from .classhooks import SET_NAME
from .abcmodules import MIXIN_NAMES
from .limits import MAX_ITEMS, LimitError, shown_as_kind
from .namespaces import Namespace
from ..importable import PRIVATE_BASES
from .instancedict import INSTANCE_DICT_NAMES, InstanceDict, instance_dict
from .classdict import CLASS_DICT_NAMES, ClassDict
from .torchprivate import (MODULE_STATE, MODULE_STATE_NAMES, PRIVATE_FUNCTION_NAMES, REFUSED,
                           ModuleState, module_state, program_data, scheduler_data,
                           scheduler_names, torch_private_names)
from .moduledict import MODULE_CHILDREN_NAMES, ModuleChildren, is_module_class, module_children
from .containermethods import (checked_dict_init, COUNTER_WRAPPERS, DEQUE_WRAPPERS, DICT_WRAPPERS, LIST_WRAPPERS,
                               SET_WRAPPERS, FROZENSET_WRAPPERS, TUPLE_WRAPPERS)
from .strmethods import STR_WRAPPERS, format_method
from .bytesmethods import (BYTEARRAY_NAMES, BYTEARRAY_WRAPPERS, BYTES_NAMES, BYTES_WRAPPERS,
                           encode, from_bytes, to_bytes)
from .specialmethods import SPECIAL_NAMES, SPECIAL_TYPES, special_method
from . import nesting

# the names starting with '_' a tensor offers (PyTorch documents them): `t._version`, `t._base`,
# and the methods `t._is_view()` and a sparse tensor's `_nnz()`, `_indices()`, `_values()`
_TENSOR_PRIVATE_METHODS = frozenset(("_is_view", "_nnz", "_indices", "_values"))
_TENSOR_PRIVATE = frozenset(("_version", "_base")) | _TENSOR_PRIVATE_METHODS

__all__ = ["Gate", "GateError", "PYTHON_ALLOWED", "DENIED", "RESTRICTED", "TENSOR_SETTABLE"]


def _exception_data(cls, name):
    """The data attributes of Python's exceptions a program may read: `args`, the `value`
    a generator's `return` gives its StopIteration, an OSError's numbers and file names (its
    constructor's arguments), the `name` a NameError or AttributeError reports (a string; not
    AttributeError's `obj`)."""
    return name == "args" or name == "value" and issubclass(cls, StopIteration) or \
        name in _UNICODE_DATA and issubclass(cls, UnicodeError) or \
        name in _OSERROR_DATA and issubclass(cls, OSError) or \
        name == "name" and issubclass(cls, (NameError, AttributeError))


_OSERROR_DATA = frozenset(("errno", "strerror", "filename", "filename2"))
# a UnicodeDecodeError's or UnicodeEncodeError's codec, text (str or bytes), span and reason
_UNICODE_DATA = frozenset(("encoding", "object", "start", "end", "reason"))


# an exception group's parts (Python 3.11): its message and exceptions (exceptions, or groups),
# and the methods that split it by a type or a predicate
_GROUP_NAMES = frozenset(("message", "exceptions", "subgroup", "split", "derive"))
# an exception's chain a program may assign, as Python's code does (branch lang22)
_CHAIN_STORES = frozenset(("__cause__", "__context__", "__suppress_context__"))


def _exception_method(cls, name):
    """How a program gets an exception's method: `e.add_note(text)` (checked), a group's
    parts; None if `name` is not one of them."""
    if name == "add_note":
        return _checked_add_note
    if name == "with_traceback":
        return with_traceback  # None only: the program's views are not tracebacks
    if name in _GROUP_NAMES and issubclass(cls, BaseExceptionGroup):
        return nesting.checked_split if name in ("split", "subgroup") else _plain
    return None


def _plain(obj, name):
    return getattr(obj, name)


def _checked_add_note(exc, name):
    """e.add_note(note), within the item limit: a loop adding notes grows a list."""
    add = exc.add_note

    def add_note(note, /):
        notes = getattr(exc, "__notes__", None)
        if isinstance(notes, list) and len(notes) >= MAX_ITEMS:
            raise LimitError("add_note(): an exception with %d notes is at gradsh's limit of "
                             "%d items" % (len(notes), MAX_ITEMS))
        return add(note)

    add_note.__doc__ = add.__doc__
    return add_note


# what binding to an instance runs no code of the program's
_BINDS_WITHOUT_CODE = (types.FunctionType, staticmethod, classmethod)


def _registered_state(module, name):
    """A torch module's parameter, buffer or child registered under a '_' name (the spectral
    norm's `_u` and `_v`, which named_buffers() lists too); its other '_' names stay refused."""
    for store in ("_parameters", "_buffers", "_modules"):
        found = object.__getattribute__(module, store)
        if name in found:
            return found[name]
    return _deny_private(module, name)


# the types of a torch class's constants a program may read from the class itself (their values
# are immutable: `prune.L1Unstructured.PRUNING_TYPE`, `nn.Linear.call_super_init`)
_CLASS_CONSTANTS = frozenset((str, int, float, bool, type(None)))


@shown_as_kind
class GateError(AttributeError):
    """An attribute a program may not read or write."""

    gradsh_kind = "AttributeError"


def _pythons_refusal(exc):
    """Re-raise an AttributeError from setattr/delattr on a program's object. One raised by
    Python's own C code right there (a name its class's `__slots__` lacks, a property with no
    setter, a missing attribute deleted) is the program's error, as in Python (round 19 of issue
    16: it was reported as an internal error); one from deeper down (a program's `__setattr__`,
    a descriptor) keeps its own place."""
    if exc.__traceback__.tb_next is not None or isinstance(exc, GateError):
        raise exc
    raise GateError(*exc.args) from None


# Python's own types: the methods and attributes a program may use.
_STR_NAMES = frozenset("""capitalize casefold center count endswith find format index isalnum
    isalpha isascii isdecimal isdigit isidentifier islower isnumeric isspace istitle isupper join
    expandtabs format_map ljust lower lstrip partition removeprefix removesuffix replace rfind rindex rjust rpartition
    rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill
    encode""".split()) | {"isprintable"}  # (adv13c)
_LIST_NAMES = frozenset(
    "append clear copy count extend index insert pop remove reverse sort".split())
_DICT_NAMES = frozenset("clear copy get items keys pop popitem setdefault update values".split())
_TUPLE_NAMES = frozenset("count index".split())
_SET_NAMES = frozenset("""add clear copy difference difference_update discard intersection
    intersection_update isdisjoint issubset issuperset pop remove symmetric_difference
    symmetric_difference_update union update""".split())
_FROZENSET_NAMES = frozenset("""copy difference intersection isdisjoint issubset issuperset
    symmetric_difference union""".split())
_COUNTER_NAMES = _DICT_NAMES | frozenset("most_common elements subtract total".split())
_DEQUE_NAMES = frozenset("""append appendleft clear copy count extend extendleft index insert
    maxlen pop popleft remove reverse rotate""".split())
_INT_NAMES = frozenset("""real imag numerator denominator conjugate bit_length bit_count
    as_integer_ratio is_integer to_bytes from_bytes""".split())
_FLOAT_NAMES = frozenset("real imag conjugate is_integer as_integer_ratio hex".split())
_COMPLEX_NAMES = frozenset("real imag conjugate".split())
_RANGE_NAMES = frozenset("start stop step count index".split())
# the methods of Python's types a program gets wrapped (size-checked), by type
_WRAPPERS = {str: {**STR_WRAPPERS, "encode": lambda s, name: _bind(encode, s, "str.encode")},
             int: {"to_bytes": lambda n, name: _bind(to_bytes, n, "int.to_bytes")},
             bool: {"to_bytes": lambda n, name: _bind(to_bytes, n, "int.to_bytes")},
             bytes: BYTES_WRAPPERS, bytearray: BYTEARRAY_WRAPPERS, list: LIST_WRAPPERS, tuple: TUPLE_WRAPPERS, dict: DICT_WRAPPERS,
             set: SET_WRAPPERS, frozenset: FROZENSET_WRAPPERS, Counter: COUNTER_WRAPPERS,
             deque: DEQUE_WRAPPERS,
             OrderedDict: DICT_WRAPPERS, defaultdict: DICT_WRAPPERS}
_WRAPPER_SET = frozenset(w for table in _WRAPPERS.values() for w in table.values())
PYTHON_ALLOWED = {
    str: _STR_NAMES, list: _LIST_NAMES, dict: _DICT_NAMES, tuple: _TUPLE_NAMES, set: _SET_NAMES,
    frozenset: _FROZENSET_NAMES, bytes: BYTES_NAMES, bytearray: BYTEARRAY_NAMES,
    int: _INT_NAMES, bool: _INT_NAMES, float: _FLOAT_NAMES, complex: _COMPLEX_NAMES,
    range: _RANGE_NAMES, slice: frozenset(("start", "stop", "step", "indices")),
    types.GeneratorType: frozenset(("send", "throw", "close")),  # a program's own generators
    # `@value.setter`; a property's functions when they are the program's (Gate._property_part)
    property: frozenset(("setter", "getter", "deleter", "fget", "fset", "fdel")),
    OrderedDict: _DICT_NAMES | {"move_to_end"},  # what Module.state_dict() returns, as PyTorch's
    Counter: _COUNTER_NAMES, deque: _DEQUE_NAMES,
    dataclasses.Field: frozenset("""name type default default_factory init repr hash compare
        metadata kw_only""".split()),  # what dataclasses.fields() gives
    # an optimiser's state, as PyTorch's (its default_factory: Gate._default_factory)
    defaultdict: _DICT_NAMES,
    # what the program gave partial(): its function, arguments and keywords
    functools.partial: frozenset(("func", "args", "keywords")),
    # a function under @lru_cache/@cache: its statistics (Python's own numbers) and clearing
    functools._lru_cache_wrapper: frozenset(("cache_info", "cache_clear", "cache_parameters")),
    functools._CacheInfo: _TUPLE_NAMES | frozenset(("hits", "misses", "maxsize", "currsize")),
    InstanceDict: INSTANCE_DICT_NAMES,  # vars(obj) of a program's instance
    ClassDict: CLASS_DICT_NAMES,  # C.__dict__ of a program's class (classdict.py)
    # module._parameters, _forward_hooks... (torchprivate.py)
    **{cls: MODULE_STATE_NAMES for cls in (ModuleState, *ModuleState.__subclasses__())},
    ModuleChildren: MODULE_CHILDREN_NAMES,  # module._modules (moduledict.py)
    **MIXIN_NAMES,  # a program class under collections.abc's Sequence, Mapping... (adv14c)
}

# Public names of provider classes that programs never get, and why.
DENIED = {
    "numpy": ("numpy arrays are not available in gradsh programs; use .tolist() to get Python "
              "numbers"),
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
    "Generator": frozenset(("manual_seed", "seed", "initial_seed", "device", "get_state",
                            "set_state")),
    # what t.untyped_storage() and t.storage() give: read-only looks at a tensor's memory
    "UntypedStorage": frozenset(("size", "nbytes", "element_size", "data_ptr", "tolist", "device",
                                 "is_shared")),
    "TypedStorage": frozenset(("size", "nbytes", "element_size", "data_ptr", "tolist", "device",
                               "is_shared", "dtype", "untyped")),
    # what grad_fn._raw_saved_<name> gives
    "SavedTensor": frozenset(("register_hooks",)),
    "HookedSavedTensor": frozenset(("register_hooks",)),
}
# A custom Function's ctx (its backward node, as in PyTorch): the node's names, the ctx API and
# the attributes the program's forward sets on it (`ctx.constant = c`).
CTX_NAMES = RESTRICTED["Node"] | frozenset((
    "save_for_backward", "save_for_forward", "saved_tensors", "mark_dirty",
    "mark_non_differentiable", "set_materialize_grads", "needs_input_grad"))
# The special methods a tensor offers by name (`w.__setitem__(i, v)`, as PyTorch code writes
# them): bound methods of the tensor, each the operator it implements. Not `__format__` (its
# width would skip the format-spec check), `__init__` or `__getattr__`.
TENSOR_SPECIAL_METHODS = ALLOWED_DUNDERS - {"__format__", "__init__", "__getattr__", "__repr__",
                                            "__str__", "__class_getitem__",
                                            # (a classmethod in PyTorch, not a tensor's method;
                                            # refused on the class as before)
                                            "__torch_function__"} - OBJECT_PROTOCOL \
    - CLASS_MACHINERY  # (`p.__init_subclass__()` would run Parameter's on the shared class)
# ... and the text of a tensor, any other of torch's objects and an exception, as repr(x),
# str(x) and format(x, spec) make it (the spec checked)
_TEXT_METHODS = frozenset(("__repr__", "__str__", "__format__"))
# The special methods a class decorator may set on (or delete from) a program's class after its
# class statement (`cls.__repr__ = __repr__`, branch adv14c): those a class body may define,
# except the ones gradsh wraps or replaces when the class is made (runtime/classes.py,
# _with_program_protocols, and classhooks.py), which set later would skip their checks, and
# `__init__` (a dict subclass's checked one would be deleted or replaced)
CLASS_SETTABLE_DUNDERS = ALLOWED_DUNDERS - CLASS_MACHINERY - frozenset((
    "__init__", "__exit__", "__getattr__", "__setattr__", "__delattr__", "__torch_function__",
    "__class_getitem__"))
# Attributes a program may assign, on tensors only.
TENSOR_SETTABLE = frozenset(("grad", "requires_grad", "data"))


def _bind(fn, obj, qualname):
    """fn with obj first, named as Python's method (its argument errors name it)."""
    def method(*args, **kwargs):
        return fn(obj, *args, **kwargs)
    method.__name__ = qualname.rpartition(".")[2]
    method.__qualname__ = qualname
    return builtin_method(method, method.__name__, obj)  # (adv13c) as Python shows it


def _shown_base(cls):
    """A class in a __mro__ or __bases__ as the program knows it: the program's
    KeyboardInterrupt stands for Python's (whose own class is Ctrl-C's), so it sits where
    Python's would, right under BaseException."""
    if cls.__dict__.get("gradsh_stands_for") is not None:  # collections.abc's (abcmodules.py)
        return cls.gradsh_stands_for
    return BaseException if cls is KeyboardInterrupt else cls


def _is_ctx(cls):
    return any(base.__name__ == "FunctionCtx" for base in cls.__mro__[1:]) \
        and any(base.__name__ == "Node" for base in cls.__mro__)

# the parts of a method-like object the gate hands out (Gate._method_part)
_METHOD_PARTS = {types.MethodType: ("__self__", "__func__"), classmethod: ("__func__",),
                 staticmethod: ("__func__",),
                 functools.cached_property: ("func", "attrname")}

_METHOD_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
                 types.WrapperDescriptorType, types.ClassMethodDescriptorType, classmethod,
                 staticmethod)
_SAFE_VALUE_TYPES = frozenset((int, float, bool, complex, str, type(None), tuple, list, dict, set,
                               frozenset, bytes, bytearray,
                               defaultdict, OrderedDict, Counter, deque,
                               range, slice, Namespace))


class Gate:
    """Decides, once per (type, attribute name), whether and how a program may use an attribute."""

    def __init__(self, provider):
        self.provider = provider
        self._exposed_classes = None
        self.program_classes = ProgramClasses()
        # decisions for attributes of program classes themselves (`Model.count`): the load
        # cache is keyed by type(obj), which is `type` for every class (emptied when large, so
        # classes made in a loop are not kept alive)
        self._class_cache = {}
        self.class_view = None  # how a program holds a class (set with the builtins: classes.py)
        self.type_of = None  # the program's `type(x)` (likewise): what `x.__class__` gives
        self.registry = None  # the program's code objects (tracing.CodeRegistry; set by Runtime)
        self._traceback = traceback_of(self)  # `e.__traceback__` (tracebacks.py)
        # the attributes a program set on its own functions (`wrapper.calls = 0`): only those
        # are read back; functools.wraps also copies the wrapped object's __dict__ (a torch
        # class's methods, with wraps(torch.Tensor)), which is never handed out
        self._function_attrs = weakref.WeakKeyDictionary()
        self._tensor_specials = {}  # `torch.Tensor.__add__`: (class, name) -> its function
        # `text.format(...)`: its fields' attributes are read as `obj.name` in code would be
        self._str_format = format_method(self.load_once)

    checked_dict_init = staticmethod(checked_dict_init)  # a dict subclass's (classes.py)

    def is_uncatchable(self, exc):
        """Is `exc` one of gradsh's limits (or Ctrl-C), which no program may catch?"""
        return is_uncatchable(exc)

    # ------------------------------------------------------------ loads
    def make_load(self):
        """The `.gm(obj, name)` function called by generated code for an attribute read that is
        called at once (`t.sum()`)."""
        cache = {}
        decide = self._decide_load

        def gm(obj, name):
            key = (type(obj), name)
            try:
                how = cache[key]
            except KeyError:
                how = cache[key] = decide(key[0], name)
            if how is None:
                return getattr(obj, name)
            return how(obj, name)

        return gm

    def make_value_load(self):
        """The `.ga(obj, name)` function called by generated code for every other attribute
        read: `.gm`'s, except that a tensor's method that is a C++ method in PyTorch is held as
        one, shown as PyTorch shows it (`print(t.sum)`: `<built-in method sum of Tensor object
        at 0x...>`; Python's bound method would show `<bound method sum of tensor([...])>`)."""
        cache = {}
        decide = self._decide_load
        method = types.MethodType
        tensor_type = self.provider.tensor_type

        def ga(obj, name):
            key = (type(obj), name)
            try:
                how = cache[key]
            except KeyError:
                how = cache[key] = decide(key[0], name)
            if how is None:
                value = getattr(obj, name)
                if type(value) is method and name in TENSOR_METHODS and isinstance(
                        obj, tensor_type):
                    return self._builtin_method(value, obj, name)
                return value
            return how(obj, name)

        return ga

    def _builtin_method(self, bound, obj, name):
        """`bound` (obj's method `name`) as PyTorch's builtin method of obj's class."""
        shown = _name_of(self.type_of(obj), "__name__") if self.type_of else type(obj).__name__
        return builtin_function_or_method(bound, name, bound.__doc__, "<built-in method %s of %s "
                                          "object at 0x%x>" % (name, shown, id(obj)))

    def load_once(self, obj, name):
        """`obj.name` decided afresh, without the cache (getattr(obj, name) with a computed
        name: a program making names in a loop must not grow the cache)."""
        how = self._decide_load(type(obj), name)
        if how is not None:
            return how(obj, name)
        value = getattr(obj, name)
        if type(value) is types.MethodType and name in TENSOR_METHODS and isinstance(
                obj, self.provider.tensor_type):  # (as `.ga`'s: getattr, attrgetter, patterns)
            return self._builtin_method(value, obj, name)
        return value

    def _decide_load(self, cls, name):
        if name == "__name__":
            return _name_of
        if name == "__class__":
            return self._class_of
        if name == "__dict__":
            return self._instance_dict
        if name in CLASS_TUPLES and (issubclass(cls, type) or cls is TypeView):
            return self._classes
        if name == "_modules" and is_module_class(cls):
            return module_children  # a view of an nn.Module's children (moduledict.py)
        if name in MODULE_STATE and is_module_class(cls):
            return module_state(self)  # `m._forward_hooks`: read-only views (torchprivate.py)
        if name.startswith("_") and name in scheduler_names(cls):
            return scheduler_data  # `sched._schedulers`: a copy (torchprivate.py)
        if name == "__new__":  # `bool.__new__(x)`: Python's checks, the view's constructor
            return _value_new
        if name == "__traceback__" and issubclass(cls, BaseException):
            return self._traceback  # the program's frames only (tracebacks.py)
        if cls is ProgramTraceback:
            return None if name in TRACEBACK_NAMES else _python_refusal(cls, name)
        if cls in self.program_classes:
            return self._decide_program(cls.__mro__, name)
        if cls is super:
            return self._super_attribute
        if issubclass(cls, type) and (name in ALLOWED_DUNDERS or name in OBJECT_PROTOCOL):
            return self._class_attribute  # `C.__hash__`, `object.__setattr__`: per class
        if cls is types.FunctionType and name == "__get__":
            return self._function_get  # `fn.__get__(obj)`: the program's own functions only
        if cls is types.FunctionType and (name in FUNCTION_DATA or not name.startswith("_")):
            return self._function_attribute
        if issubclass(cls, type) and (name in _CLASS_TEXT or name in _CLASS_DATA):
            return self._class_attribute  # the program's own classes only (per class)
        if cls is types.MethodType and name in FUNCTION_DATA:
            return lambda method, name: self._function_attribute(method.__func__, name)
        if name in _METHOD_PARTS.get(cls, ()):
            return self._method_part  # `m.__self__`, `classmethod.__func__`: the program's only
        if cls is types.FunctionType and name == "__closure__":
            return self._closure
        if cls is types.CellType and name == "cell_contents":
            return None  # a cell the gate handed out: a variable of the program's function
        if cls is functools._lru_cache_wrapper and name == "__wrapped__":
            return self._method_part
        if cls is Namespace and name in PRIVATE_FUNCTION_NAMES:
            return _namespace_get   # `init._calculate_fan_in_and_fan_out` (torchprivate.py)
        if cls is Namespace and name in PRIVATE_BASES:
            return _namespace_get   # `torch.nn.modules.loss._Loss`, to subclass (importable.py)
        if cls is property and name == "__doc__":
            return _class_text  # its getter's docstring or the doc given: text only
        if cls is TypeView and name in ("__module__", "__qualname__"):
            return _view_attribute(self)  # `type(e).__module__`: as PyTorch and Python name it
        if name in TYPING_DATA and isinstance(cls, type) and cls.__module__ == "typing":
            return self._typing_data
        if name in SPECIAL_NAMES and cls is TypeView:
            return _view_attribute(self)  # `int.__add__`, unbound: each call as `x.__add__(y)`
        if name in SPECIAL_NAMES and cls in SPECIAL_TYPES:
            return special_method  # `x.__repr__()`, `(3).__add__(4)`: the operator's check first
        if name in _TEXT_METHODS and (issubclass(cls, BaseException) or self.provider.owns_type(
                cls)):
            return special_method  # `e.__str__()`, `t.__repr__()`, `m.__repr__()`: their text
        if name.startswith("_") and not (name[1:2] != "_" and issubclass(cls, type)):
            return self._documented_private(cls, name)
        if cls is Namespace:
            return _namespace_get
        if issubclass(cls, type):
            return self._class_attribute
        if cls is TypeView:
            return _view_attribute(self)
        if issubclass(cls, BaseException) and _exception_data(cls, name):
            return self._exception_args
        if issubclass(cls, BaseException) and _exception_method(cls, name) is not None:
            return _exception_method(cls, name)
        if cls is defaultdict and name == "default_factory":
            return self._default_factory
        if cls is str and name in ("format", "format_map"):
            return self._str_format
        if cls is property and name in ("fget", "fset", "fdel"):
            return self._property_part
        if (cls, name) in CLASS_METHODS:  # `{}.fromkeys(keys)`, `"".maketrans(...)`
            return lambda obj, name: CLASS_METHODS[type(obj), name]
        if cls in PYTHON_ALLOWED:
            allowed = PYTHON_ALLOWED[cls]
            if name in allowed:
                wrappers = _WRAPPERS.get(cls)
                return wrappers.get(name) if wrappers else None
            return _python_refusal(cls, name)
        if self.provider.owns_type(cls):
            return self._decide_provider(cls, name)
        return _python_refusal(cls, name)

    def _torch_special(self, cls_obj, name):
        """Is `C.__name__` (a special method read on a program's class) a torch base class's?
        Those stay refused unbound (on the class) as on torch's classes themselves: a torch
        class's special method called with any object first is torch's code on a foreign
        object. The program's own, and object's (`C.__hash__`, `C.__init__`), are readable."""
        for base in cls_obj.__mro__:
            if name in base.__dict__:
                if getattr(base.__dict__[name], "torch_function_dispatch", False):
                    continue  # Tensor's method, dispatching on the subclass (core/overrides.py)
                return base not in self.program_classes and self.provider.owns_type(base)
        return False

    def _typing_data(self, obj, name):
        """`T.__bound__`, `T.__constraints__`, `Dict[str, int].__args__`: typing's data, each
        class as the program holds classes (`type()`'s views), typing's own objects and plain
        values as they are; nothing else."""
        value = getattr(obj, name)
        if isinstance(value, tuple):
            return tuple(self._typing_item(obj, name, item) for item in value)
        return self._typing_item(obj, name, value)

    def _typing_item(self, obj, name, item):
        if isinstance(item, type):
            return self.class_view(item)
        cls = type(item)
        if item is None or cls in _SAFE_VALUE_TYPES or cls.__module__ == "typing":
            return item
        raise GateError("this %s's %s is not available in gradsh (it holds a %s)"
                        % (type(obj).__name__, name, cls.__name__))

    def _property_part(self, prop, name):
        """`Cls.prop.fget`: the program's own function (or None); a property of gradsh's
        classes holds gradsh's functions, which are not handed out."""
        fn = getattr(prop, name)
        if fn is None or self.is_program_function(fn):
            return fn
        raise GateError("'property' object attribute '%s' is not available in gradsh (the "
                        "property is not the program's own)" % name)

    def _method_part(self, obj, name):
        """A bound method's `__func__` and `__self__`, a classmethod's or staticmethod's
        `__func__`, a cached_property's `func` and `attrname`, an lru_cache wrapper's
        `__wrapped__`: handed out when the function is the program's own (torch's bound
        methods and gradsh's functions stay closed; `__self__` is then the program's object
        or class, as the method was found on it)."""
        if type(obj) is functools.cached_property and name == "attrname":
            return obj.attrname
        fn = obj.func if type(obj) is functools.cached_property else (
            obj.__wrapped__ if type(obj) is functools._lru_cache_wrapper else obj.__func__)
        owner = getattr(obj, "__self__", None) if name == "__self__" else None
        if self.is_program_function(fn) and (
                name != "__self__" or owner in self.program_classes
                or type(owner) in self.program_classes):
            return owner if name == "__self__" else fn
        _deny_private(obj, name)  # torch's or gradsh's function (or an object not the program's)

    def _closure(self, fn, name):
        """`f.__closure__`: the cells of the program's own function (None without any), whose
        `cell_contents` are the variables of the functions around it."""
        if not self.is_program_function(fn):
            _deny_private(fn, name)
        if fn.__code__ not in self.registry:  # a lambda's depth-counting wrapper (runtime.lam)
            fn = fn.__dict__["__wrapped__"]
        return fn.__closure__

    def is_program_function(self, fn):
        """Was `fn` compiled from the program (a `def`, or a lambda as the runtime wraps it)?"""
        if type(fn) is not types.FunctionType or self.registry is None:
            return False
        inner = fn.__dict__.get("__wrapped__")
        if type(inner) is types.FunctionType and fn.__code__.co_name == "counted":
            fn = inner
        return fn.__code__ in self.registry

    def _class_of(self, obj, name):
        """`x.__class__` is `type(x)`: the program's own class, or a view of any other
        (`self.__class__.__name__`, `e.__class__.__name__`)."""
        return self.type_of(obj)

    def _function_get(self, fn, name):
        """A program function's `__get__` (the descriptor protocol, branch lang22): the function
        itself for no instance, else a method binding it to the instance, as Python's; what the
        method then reads of `__self__` and `__func__` is decided as for any bound method."""
        if not self.is_program_function(fn):
            _deny_private(fn, name)

        def __get__(instance, owner=None, /):
            if instance is None and owner is None:
                raise TypeError("__get__(None, None) is invalid")
            return fn if instance is None else types.MethodType(fn, instance)
        return __get__

    def _function_attribute(self, fn, name):
        """A function's attributes: on the program's own functions, the ones it set
        (`wrapper.calls += 1`) and Python's data a decorator reads (`__doc__`, `__defaults__`,
        `__kwdefaults__`, `__qualname__`, `__module__`, and `__wrapped__` as functools.wraps
        set it); on the program's `str`, `list`..., their methods unbound."""
        if not name.startswith("_"):
            if name in self._function_attrs.get(fn, ()):
                return getattr(fn, name)
            return self._unbound_method(fn, name)
        if not self.is_program_function(fn):
            _deny_private(fn, name)
        # a lambda is the runtime's depth-counting wrapper of the compiled one (runtime.lam):
        # its own __wrapped__ would be a door past the call-depth limit
        wrapper = fn.__code__ not in self.registry
        if name == "__wrapped__":
            if wrapper or "__wrapped__" not in fn.__dict__:
                raise GateError("'function' object has no attribute '__wrapped__'", name=name,
                                obj=fn)
            return fn.__dict__["__wrapped__"]
        value = getattr(fn.__dict__["__wrapped__"] if wrapper else fn, name)
        if name in ("__doc__", "__qualname__", "__module__") \
                and not isinstance(value, (str, type(None))):
            raise GateError("this function's %s is not available in gradsh (it is a %s)"
                            % (name, type(value).__name__))
        return value

    def _unbound_method(self, fn, name):
        """`str.lower`, `set.union`, `list.append`: the program's `str`, `set`, `list`... are
        gradsh's functions (pybuiltins.py) standing for Python's types; their allowed methods
        are offered unbound, each call going through the gate as `obj.name(...)` would."""
        from .pybuiltins import REAL_TYPES
        real = REAL_TYPES.get(fn)
        if real is None:
            return _python_refusal(types.FunctionType, name)(fn, name)
        return self._unbound_of(real, fn, name)

    def _unbound_of(self, real, fn, name):
        """`real.name` for a Python type a program names (`str.lower`, `dict.fromkeys`)."""
        if (real, name) in CLASS_METHODS:  # `dict.fromkeys(keys, 0)`: no instance first
            return CLASS_METHODS[real, name]
        if name not in PYTHON_ALLOWED[real] and not (name in SPECIAL_NAMES
                                                     and real in SPECIAL_TYPES):
            if hasattr(real, name):
                raise GateError("type object '%s' attribute '%s' is not available in gradsh"
                                % (real.__name__, name))
            raise GateError("type object '%s' has no attribute '%s'" % (real.__name__, name),
                            name=name, obj=fn)
        return UnboundMethod(real, name, self.load_once)

    def _documented_private(self, cls, name):
        """`t._version` / `t._base` / `t._is_view()` on a tensor, `grad_fn._saved_self` / `_raw_saved_self` on an
        autograd node (PyTorch documents them); every other name starting with '_' is refused."""
        if name in EXCEPTION_CHAIN and issubclass(cls, BaseException):
            return None  # another exception or None
        if name == "_fields" and self.provider.owns_type(cls):
            return self._guarded  # a named tuple's names; torch.return_types have none (its error)
        if name in TENSOR_SPECIAL_METHODS and issubclass(cls, self.provider.tensor_type) \
                and isinstance(_class_lookup(cls, name), _METHOD_TYPES):
            return None  # `w.__setitem__(i, v)` is `w[i] = v`
        if DOCUMENTED_PRIVATE.fullmatch(name) and self.provider.owns_type(cls):
            on_tensor = issubclass(cls, self.provider.tensor_type)
            if (name in _TENSOR_PRIVATE) == on_tensor \
                    and (on_tensor or self.provider.is_node_type(cls)):
                return None if name in _TENSOR_PRIVATE_METHODS else self._guarded
        if name in ("__version__", "_assert") and cls is Namespace:
            return _namespace_get   # torch.__version__, torch._assert (namespaces.py: torch's alone)
        if cls is type(None) and not hasattr(cls, name):
            # `x.grad_fn._saved_self` of a leaf (grad_fn None): Python's error, as PyTorch's
            return _missing(cls, name)
        if name[1:2] != "_" and self.provider.owns_type(cls) and not issubclass(cls, type) \
                and name in torch_private_names(cls):
            return self._torch_private  # PyTorch's object has it: its data (torchprivate.py)
        if name[1:2] != "_" and is_module_class(cls):
            return _registered_state
        return _deny_private

    def _torch_private(self, obj, name):
        """`mha._qkv_same_embed_dim`, `hook._pruning_methods`: a private name PyTorch's object
        carries, handed out when its value is data a program may hold (a copy of a container);
        a callable, module or host object stays refused (torchprivate.py)."""
        try:
            value = getattr(obj, name)
        except AttributeError as e:
            raise GateError(str(e), name=name, obj=obj) from None
        data = program_data(self, value)
        if data is REFUSED:
            raise GateError("'%s' is not accessible: %s.%s holds a %s, and gradsh hands out only "
                            "the data of torch's private names" % (name, type(obj).__name__,
                                                                   name, type(value).__name__))
        return data

    def _decide_provider(self, cls, name):
        if name == "numpy" and issubclass(cls, self.provider.tensor_type) \
                and self.provider.root == "gradsh":
            return _tensor_numpy
        if name in DENIED:
            return _denied(cls, name)
        if _is_ctx(cls):
            found = _class_lookup(cls, name)
            if found is _MISSING:
                return None  # an attribute the program set (ctx.constant), or Python's error
            if name not in CTX_NAMES:
                return _python_refusal(cls, name)
            return None if isinstance(found, _METHOD_TYPES) or isinstance(found, property) \
                else self._guarded
        for base in cls.__mro__:
            allowed = RESTRICTED.get(base.__name__)
            if allowed is not None and name not in allowed:
                if _class_lookup(cls, name) is _MISSING:
                    return _missing(cls, name)
                return _python_refusal(cls, name)
        found = _class_lookup(cls, name)
        if found is _MISSING:
            if getattr(cls, "__dictoffset__", 0):
                # instance attributes (a module's weight, in_features, training; an optimiser's
                # param_groups): handed out only if they are values a program may hold
                return self._guarded
            return _missing(cls, name)
        if isinstance(found, _METHOD_TYPES):
            return _checked_tolist if name == "tolist" else None
        return self._guarded

    # ------------------------------------------------------------ program classes
    def _decide_program(self, mro, name):
        """An attribute of an instance of a program class (its class's MRO is `mro`): the
        program's own names and special methods; what a torch base class defines under the
        provider's rules; of Python's bases (object, the exceptions) only `args` and the
        special methods a class may define."""
        if name in EXCEPTION_CHAIN and issubclass(mro[0], BaseException):
            return None
        if name in _CLASS_TEXT:
            return _class_text  # `Net.__doc__`, `type(self).__qualname__`: the program's text
        if name == "__slots__":
            return _slots_of  # the names the program's class body gave (classhooks.py)
        if name == "__abstractmethods__":
            return _abstract_methods  # abc's names a subclass must define (frozenset of str)
        if name == "__set_name__":
            return _set_name_of  # kept where Python does not call it (classhooks.py)
        if name == "__annotations__":
            return _class_annotations  # its class body's `name: type` lines, evaluated
        if name in ("__members__", "__abstractmethods__", "__subclasses__"):
            return _class_members  # an enum's members, an ABC's abstract names (adv12c)
        if name == "__wrapped__" and not any(name in c.__dict__ for c in mro):
            return _wrapped_of  # functools.update_wrapper(self, fn) in a program's class
        if name.startswith("_abc_"):
            return _deny_private  # ABCMeta's state of a Protocol class (typing's)
        if name.startswith("_") and name not in ALLOWED_DUNDERS and name not in OBJECT_PROTOCOL:
            if self.own_private_name(mro, name):
                return None
            if name[1:2] != "_" and any(
                    name in torch_private_names(b) for b in mro
                    if b not in self.program_classes and self.provider.owns_type(b)):
                return self._torch_private  # a torch base's data (`self._qkv_same_embed_dim`)
            return _deny_private
        for base in mro:
            if name not in base.__dict__:
                continue
            if base in self.program_classes:
                if getattr(base.__dict__[name], "torch_function_dispatch", False):
                    continue  # a Tensor method's dispatch (core/overrides.py): Tensor's rules
                return None
            if name in OBJECT_PROTOCOL:  # object's or a torch base's: the checked version
                return self._object_protocol
            if self.provider.owns_type(base):
                return self._decide_provider(base, name)
            if base is dict and name == "__init__":  # `super().__init__(pairs)`: checked
                return _checked_dict_init
            if name in ALLOWED_DUNDERS:
                return None
            if name in PYTHON_ALLOWED.get(base, ()):  # tuple's count/index on a named tuple
                return _WRAPPERS[base].get(name) if base in _WRAPPERS else None
            if issubclass(base, BaseException) and _exception_data(base, name):
                return self._exception_args
            if issubclass(base, BaseException) and _exception_method(mro[0], name) is not None:
                return _exception_method(mro[0], name)
            return _python_refusal(base, name)
        return None  # an instance attribute (the program set it), or the class's __getattr__

    def _classes(self, cls, name):
        """`C.__mro__`, `C.__bases__`, `C.__base__`: each class as `type()` shows it, `object` and Python's
        classes as views (so `__subclasses__` and the unwrapped `str`, `list`, `int` stay out
        of reach)."""
        real = cls.cls if isinstance(cls, TypeView) else cls
        if name == "__base__":
            return None if real.__base__ is None else self.class_view(_shown_base(real.__base__))
        return tuple(self.class_view(_shown_base(c)) for c in getattr(real, name)
                     if not (c is KeyboardInterrupt and name == "__mro__"
                             and ProgramKeyboardInterrupt in real.__mro__)
                     and not (name == "__mro__" and "gradsh_stands_for" in c.__dict__))

    def own_private_name(self, mro, name):
        """Is `name` (one leading underscore) the program's own on objects of this MRO? Yes when
        a program class defines it, or when it is an instance attribute and no torch base class
        uses it: a torch base class's names (methods, slots, `_data`) are refused, and so are
        the instance attributes its own code sets, which a base that a program may extend
        declares (`nn.Module._gradsh_private_names`: `_parameters`, `_modules`...); under a torch
        base that declares none, every such name is refused."""
        if name.startswith("__") and not is_private(name):  # (`o.__x` outside a class body:
            return False                                   # a '_' name, syntax/mangling.py)
        reserved = set()
        declared = True
        for base in mro:
            if name in base.__dict__:
                return base in self.program_classes
            if base not in self.program_classes and base is not object:
                names = base.__dict__.get("_gradsh_private_names")
                if names is not None:
                    reserved.update(names)
                elif self.provider.owns_type(base) and not _declared_below(base):
                    declared = False
        return declared and name not in reserved

    def _default_factory(self, d, name):
        """A defaultdict's factory, when it is a value the program may hold: None, its own
        function, or a class as `type()` shows it (defaultdict(list) holds Python's list, whose
        call would skip the item limit; an optimiser's state holds gradsh's own factory)."""
        factory = d.default_factory
        if factory is None or type(factory) is TypeView or self.is_program_function(factory) \
                or factory in self.program_classes:
            return factory
        if isinstance(factory, type) and self.class_view is not None:
            view = self.class_view(factory)
            if isinstance(view, TypeView) and view.constructor is not None or view is factory:
                return view
        raise GateError("this defaultdict's default_factory is not available in gradsh")

    def vars_of(self, obj):
        """`vars(obj)`: the view of a program instance's attributes (instancedict.py), or of a
        program class's own names (classdict.py)."""
        if obj in self.program_classes:
            return ClassDict(obj, self)
        return instance_dict(self, obj)

    def _instance_dict(self, obj, name):
        """`obj.__dict__`: a view of a program instance's attributes (instancedict.py), or of a
        program class's own names (classdict.py)."""
        try:
            return self.vars_of(obj)
        except TypeError:
            if type(obj) in self.program_classes:  # a slotted instance: Python's own words
                raise GateError("'%s' object has no attribute '__dict__'" % type(obj).__name__,
                                name=name, obj=obj) from None
            raise GateError("'__dict__' is not accessible: gradsh never gives access to names "
                            "starting with '_' on torch's or Python's objects, nor a torch or "
                            "Python class's, a function's or a module's dict (vars() and "
                            "__dict__ are views of the program's own instances and classes "
                            "only)") from None

    def _super_attribute(self, obj, name):
        """`super().__init__(...)`, `super().forward(x)`: decided per call (one type, `super`,
        for every class)."""
        mro = obj.__self_class__.__mro__
        if name in CLASS_MACHINERY and obj.__self_class__ not in self.program_classes:
            # `super(torch.optim.SGD, opt).__init_subclass__()` would run Optimizer's hook on
            # torch's shared class
            _deny_private(obj, name)
        start = obj.__thisclass__
        rest = mro[mro.index(start) + 1:] if start in mro else ()
        how = self._decide_program(rest, name)
        if how == self._object_protocol:  # super().__setattr__(name, value)
            return ObjectProtocol(self, name, rest).bind(obj.__self__)
        return getattr(obj, name) if how is None else how(obj, name)

    def _object_protocol(self, obj, name):
        """`self.__setattr__` where object (or a torch base class) defines it: the checked
        version, bound to `self`."""
        return ObjectProtocol(self, name, type(obj).__mro__).bind(obj)

    def _exception_args(self, exc, name):
        """An exception's `args` (a StopIteration's `value`, an OSError's `errno`...), when
        they are values a program may hold."""
        args = exc.args if name == "args" else (getattr(exc, name),)
        for value in args:
            cls = type(value)
            if not (cls in _SAFE_VALUE_TYPES or self.provider.owns_type(cls)
                    or cls in self.program_classes):
                raise GateError("this exception's args are not available in gradsh (use str(e))")
        args = nesting.check_tuple(args)  # E(t).args wraps t: a route to a deep tuple chain
        return args if name == "args" else args[0]

    def _guarded(self, obj, name):
        """A data attribute of a provider object: hand out only values a program may hold."""
        try:
            value = getattr(obj, name)
        except AttributeError as e:  # a module's own message: "'Linear' object has no ..."
            raise GateError(str(e)) from None
        cls = type(value)
        if cls in _SAFE_VALUE_TYPES or self.provider.owns_type(cls):
            return value
        raise GateError("%s.%s is not available in gradsh programs (it is a %s)"
                        % (type(obj).__name__, name, cls.__name__))

    def _class_attribute(self, cls_obj, name):
        """`torch.Tensor.add`, `torch.dtype`...: provider classes expose what their instances do;
        a program's class its own attributes (`Net.count`, `MyFn.apply`)."""
        if name == "mro" and cls_obj in self.program_classes:
            return self._mro_method(cls_obj)
        if name in ("__module__", "__qualname__") and cls_obj not in self.program_classes \
                and self.class_view is not None:
            view = self.class_view(cls_obj)  # torch.nn.Linear.__module__, as PyTorch's
            text = view.text if isinstance(view, TypeView) else "torch." + cls_obj.__name__
            module, _, qualname = text.rpartition(".")
            return qualname if name == "__qualname__" else module or "builtins"
        if name == "__hash__" and cls_obj is object:
            return _object_hash  # `__hash__ = object.__hash__` beside an __eq__ (adv12c)
        if name in OBJECT_PROTOCOL and (cls_obj is object or cls_obj in self.program_classes):
            how = self._decide_program(cls_obj.__mro__, name)
            if how == self._object_protocol:  # `object.__setattr__`, `C.__setattr__` unbound
                return ObjectProtocol(self, name, cls_obj.__mro__)
            return getattr(cls_obj, name)  # the program's own __setattr__
        if cls_obj in self.program_classes:
            if name.startswith("__") and self._torch_special(cls_obj, name):
                _deny_private(cls_obj, name)
            if isinstance(cls_obj, abc.ABCMeta) and not name.startswith("__") \
                    and _class_lookup(cls_obj, name) is _MISSING and hasattr(type(cls_obj), name):
                # a Protocol class's metaclass (ABCMeta's register, _dump_registry...)
                raise GateError("type object '%s' attribute '%s' is not available in gradsh"
                                % (cls_obj.__name__, name))
            key = (cls_obj, name)
            how = self._class_cache.get(key, _MISSING)
            if how is _MISSING:
                if len(self._class_cache) > 10_000:
                    self._class_cache.clear()
                how = self._class_cache[key] = self._decide_program(cls_obj.__mro__, name)
            if how is None:
                return getattr(cls_obj, name)
            if how == self._guarded or how == self._exception_args:
                raise GateError("type object '%s' attribute '%s' is not available in gradsh"
                                % (cls_obj.__name__, name))
            return how(cls_obj, name)
        if name == "__abstractmethods__" and cls_obj in ABC_STAND_INS:
            return cls_obj.__abstractmethods__  # `Sequence.__abstractmethods__`: str names
        if name in TENSOR_SPECIAL_METHODS and issubclass(cls_obj, self.provider.tensor_type):
            return self._tensor_special(cls_obj, name)
        if name.startswith("_"):
            _deny_private(cls_obj, name)
        if cls_obj in _PLAIN_TYPES:  # `float.fromhex(s)`, `float.is_integer(x)`: as str's
            return self._unbound_of(cls_obj, cls_obj, name)
        if (cls_obj, name) in CLASS_METHODS:  # itertools.chain.from_iterable
            return CLASS_METHODS[cls_obj, name]
        if not self.provider.owns_type(cls_obj):
            raise GateError("type object '%s' attribute '%s' is not available in gradsh"
                            % (cls_obj.__name__, name))
        how = self._decide_provider(cls_obj, name)
        if how is None:
            return getattr(cls_obj, name)
        if how == self._guarded:
            member = cls_obj.__dict__.get(name)
            if type(member) is cls_obj:  # an enum's member (ProfilerActivity.CPU)
                return member
            member = _class_lookup(cls_obj, name)
            if type(member) in _CLASS_CONSTANTS:  # prune.L1Unstructured.PRUNING_TYPE: a constant
                return member
            raise GateError("type object '%s' attribute '%s' is not available in gradsh"
                            % (cls_obj.__name__, name))
        return how(cls_obj, name)

    def _tensor_special(self, cls_obj, name):
        """`torch.Tensor.__add__` (a `__torch_function__` comparing `func` with it, branch
        adv14c): the operator of a tensor given first, as `t.__add__` is offered; one function
        per class and name, so that `is` holds between two reads, as PyTorch's."""
        key = (cls_obj, name)
        made = self._tensor_specials.get(key)
        if made is None:
            def special(self, *args, **kwargs):
                if not isinstance(self, cls_obj):
                    raise TypeError("descriptor '%s' for 'torch._C.TensorBase' objects doesn't "
                                    "apply to a '%s' object" % (name, type(self).__name__))
                return getattr(self, name)(*args, **kwargs)
            special.__name__ = name
            special.__qualname__ = "%s.%s" % (cls_obj.__name__, name)
            made = self._tensor_specials[key] = special
        return made

    def _mro_method(self, cls_obj):
        """`C.mro()`: the classes of `C.__mro__`, as `type()` shows them (Python's own list
        would hand out the real `dict` or `tuple` of a program class's bases, whose calls skip
        gradsh's limits)."""
        def mro():
            return list(self._classes(cls_obj, "__mro__"))
        mro.__qualname__ = "type.mro"
        return mro

    # ------------------------------------------------------------ questions (completion)
    def allows(self, obj, name):
        """Would `obj.name` be handed to a program (rather than refused)?"""
        cls = type(obj)
        if cls in self.program_classes or obj in self.program_classes:
            mro = (obj if obj in self.program_classes else cls).__mro__
            how = self._decide_program(mro, name)
            return (how is None or how == self._guarded or how is _checked_tolist) \
                and (not name.startswith("_") or self.own_private_name(mro, name))
        if isinstance(obj, TypeView):
            obj = obj.cls
            cls = type(obj)
        if issubclass(cls, type):
            if not self.provider.owns_type(obj):
                return False
            cls = obj
        how = self._decide_load(cls, name) if cls is not obj else self._decide_provider(cls, name)
        return how is None or how == self._guarded or how is _namespace_get \
            or how is _checked_tolist or how is _tensor_numpy or how in _WRAPPER_SET \
            or how is self._str_format

    def attribute_names(self, obj, saved=False):
        """The attribute names a program may use on `obj`, sorted (with a node's saved values
        when `saved`, as dir() shows them; completion leaves them out)."""
        if isinstance(obj, Namespace):
            return sorted(obj.names())
        candidates = PYTHON_ALLOWED.get(type(obj)) or dir(obj)
        # (not the hidden names of generated code: a match in a class body stores `.m1`...)
        # dir() (saved=True) lists a node's saved values as PyTorch's dir() does (the autograd
        # mechanics note finds them with `dir(y.grad_fn)`); other private names stay hidden.
        saved = ("_saved_", "_raw_saved_") if saved and self.provider.is_node_type(type(obj)) \
            else ()
        return sorted(n for n in candidates
                      if (not n.startswith(("_", ".")) or saved and n.startswith(saved))
                      and self.allows(obj, n))

    def peek(self, obj, name, to_call=False):
        """obj.name without running a program's code (see Session.peek)."""
        owner = obj if obj in self.program_classes else type(obj)
        if owner not in self.program_classes:
            return getattr(obj, name)   # gradsh's own types run only gradsh's code
        found = inspect.getattr_static(obj, name)   # AttributeError: __getattr__ would decide
        binds = isinstance(found, _BINDS_WITHOUT_CODE)
        if not binds and not hasattr(type(found), "__get__") \
                or type(found) is types.MemberDescriptorType:
            return getattr(obj, name)   # a plain value, or a slot's (Python reads it)
        for base in owner.__mro__:
            if name in base.__dict__:
                # the program's property runs its code when read, its method when called
                if base in self.program_classes and (to_call or not binds):
                    raise AttributeError(name)
                break
        return getattr(obj, name)

    # ------------------------------------------------------------ stores
    def make_store(self):
        """The `.sa(obj, name, value)` function called for every attribute assignment."""
        cache = {}
        classes = self.program_classes
        decide = self._decide_store

        def sa(obj, name, value):
            key = (type(obj), name)
            try:
                allowed = cache[key]
            except KeyError:
                allowed = cache[key] = decide(key[0], name)
            if allowed is True or (allowed is _IF_PROGRAM_CLASS and obj in classes) or (
                    allowed is _IF_OWN_CLASS_NAME and self._own_class_name(obj, name)):
                try:
                    setattr(obj, name, value)
                except AttributeError as e:
                    _pythons_refusal(e)
                return
            if allowed is _IF_PROGRAM_FUNCTION and self.is_program_function(obj):
                self._set_function_attribute(obj, name, value)
                return
            if isinstance(obj, Namespace) and obj.assign(name, value):
                return
            _refuse_store(obj, name)

        return sa

    def _set_function_attribute(self, fn, name, value):
        setattr(fn, name, value)
        self._function_attrs.setdefault(fn, set()).add(name)

    def _own_class_name(self, cls_obj, name):
        return cls_obj in self.program_classes and self.own_private_name(cls_obj.__mro__, name)

    def store_once(self, obj, name, value):
        """`obj.name = value` decided afresh, without the cache (setattr with a computed name)."""
        allowed = self._decide_store(type(obj), name)
        if allowed is True or (allowed is _IF_PROGRAM_CLASS and obj in self.program_classes) or (
                allowed is _IF_OWN_CLASS_NAME and self._own_class_name(obj, name)):
            try:
                setattr(obj, name, value)
            except AttributeError as e:
                _pythons_refusal(e)
            return
        if allowed is _IF_PROGRAM_FUNCTION and self.is_program_function(obj):
            self._set_function_attribute(obj, name, value)
            return
        if isinstance(obj, Namespace) and obj.assign(name, value):
            return
        _refuse_store(obj, name)

    def make_delete(self):
        """The `.da(obj)` function of `del obj.name` (compiled `del .da(obj)["name"]`): a
        deletion is decided as an assignment of the same name (a program's own objects, a
        custom Function's ctx attributes, a tensor's grad; Python's and PyTorch's own
        deleters then run, or refuse with their errors)."""
        gate = self

        class Deleter:
            __slots__ = ("obj",)

            def __init__(self, obj):
                self.obj = obj

            def __delitem__(self, name):
                gate.delete_once(self.obj, name)

        return Deleter

    def delete_once(self, obj, name):
        """`del obj.name`, decided as `obj.name = ...` would be."""
        allowed = self._decide_store(type(obj), name)
        if allowed is True or (allowed is _IF_PROGRAM_CLASS and obj in self.program_classes) or (
                allowed is _IF_OWN_CLASS_NAME and self._own_class_name(obj, name)):
            try:
                delattr(obj, name)
            except AttributeError as e:
                _pythons_refusal(e)
            return
        if allowed is _IF_PROGRAM_FUNCTION and self.is_program_function(obj):
            if name not in self._function_attrs.get(obj, ()):
                raise GateError("'function' object has no attribute '%s'" % name)
            delattr(obj, name)
            self._function_attrs[obj].discard(name)
            return
        _refuse_store(obj, name, "delete", "its own objects, torch's modules and a tensor's grad")

    def _decide_store(self, cls, name):
        if name in _CHAIN_STORES and issubclass(cls, BaseException):
            return True  # `e.__cause__ = other`: Python's setters check the type (exception/None)
        if name == "__doc__" and (cls in self.program_classes or issubclass(cls, type)):
            # `self.__doc__ = fn.__doc__` (a descriptor wrapping a function): the program's
            # own objects and classes only
            return True if cls in self.program_classes else _IF_PROGRAM_CLASS
        if name in CLASS_SETTABLE_DUNDERS and issubclass(cls, type):
            return _IF_PROGRAM_CLASS  # `cls.__repr__ = __repr__` (a class decorator's)
        if name.startswith("_"):
            if cls in self.program_classes:
                return self.own_private_name(cls.__mro__, name)
            if issubclass(cls, type) and not name.startswith("__"):
                return _IF_OWN_CLASS_NAME  # `Model._count = 0`: decided per class
            return False
        if cls in self.program_classes:
            return True  # the program's own object (nn.Module's rules apply through it)
        if issubclass(cls, type):
            return _IF_PROGRAM_CLASS  # `Counter.count += 1`, on a program's class only
        if cls is types.FunctionType:
            return _IF_PROGRAM_FUNCTION  # `wrapper.calls = 0`, on a program's function only
        if issubclass(cls, BaseException) and name == "args":
            return True  # `e.args = (...)`: Python makes a tuple of it; read back checked
        if getattr(getattr(_class_lookup(cls, name), "fset", None), "program_assigns", False):
            return True  # a parametrized tensor (nn.utils.parametrize): its right_inverse runs
        if self.provider.owns_type(cls) and _is_ctx(cls):
            # ctx.constant = c; ctx.name = "..." shadows the node's name() as in PyTorch (whose
            # own texts, like gradsh's, never read it back from the instance)
            return _class_lookup(cls, name) is _MISSING or name == "name"
        if self.provider.is_module_type(cls):
            # torch's own modules, as a program's: `lin.weight = nn.Parameter(...)`,
            # `net.fc = nn.Linear(...)`, `m.scale = 2`; nn.Module's __setattr__ sorts them
            return True
        if not issubclass(cls, self.provider.tensor_type):
            return False
        # (a read-only attribute, t.shape = ...: its setter raises PyTorch's error)
        return name in TENSOR_SETTABLE or getattr(
            getattr(_class_lookup(cls, name), "fset", None), "refuses_assignment", False)


def _tensor_numpy(t, name):
    """`t.numpy()`: the program's numpy array sharing the tensor's memory
    (lang/runtime/numpymodule.py, loaded on first use)."""
    if isinstance(t, type):
        raise GateError("type object 'Tensor' attribute 'numpy' is not available in gradsh: "
                        "call t.numpy() on a tensor")
    from .numpymodule import tensor_numpy
    return tensor_numpy(t)


def _checked_tolist(obj, name):
    """tensor.tolist() within the item limit: a tensor of 10**9 numbers would become a list of
    tens of gigabytes (torch.Tensor.tolist is handed out checked too)."""
    method = getattr(obj, name)

    def tolist(*args, **kwargs):
        tensor = args[0] if isinstance(obj, type) and args else obj
        if not isinstance(tensor, type):
            if hasattr(type(tensor), "element_size") and not hasattr(type(tensor), "numel"):
                n = len(tensor)  # a storage: its elements (an untyped one's bytes)
            else:
                n = tensor.numel()
            if n > MAX_ITEMS:
                raise LimitError("tolist() of a tensor of %d numbers is more than gradsh's "
                                 "limit of %d items" % (n, MAX_ITEMS))
        return method(*args, **kwargs)

    tolist.__name__ = "tolist"
    tolist.__doc__ = getattr(method, "__doc__", None)
    return tolist


# Python's value types whose instances hold no attributes of their own: Python refuses every
# `x.name = value` and `del x.name` on them (AttributeError), so asking it is safe
_NO_ATTRIBUTES = frozenset((type(None), int, float, complex, bool, str, bytes, bytearray, list,
                            tuple, dict, set, frozenset, range, slice, object, type(...),
                            type(NotImplemented)))


def _refuse_store(obj, name, verb="assign",
                  whose="its own objects, torch's modules and a tensor's grad, requires_grad and "
                        "data"):
    """The refusal of `obj.name = ...` (or `del obj.name`, verb "delete")."""
    if name.startswith("_"):
        _deny_private(obj, name)
    if isinstance(obj, Namespace):
        raise GateError("cannot %s %s.%s: the %s namespace is read-only"
                        % (verb, obj.name, name, obj.name))
    if type(obj) in _NO_ATTRIBUTES:  # --- adv13c --- (None.x = 1): Python's own words
        try:
            setattr(obj, name, None) if verb == "assign" else delattr(obj, name)
        except AttributeError as refused:
            raise GateError(str(refused)) from None
    raise GateError("cannot %s attribute '%s' of a '%s' object in gradsh (a program can %s "
                    "attributes of %s)" % (verb, name, "type" if isinstance(obj, type)
                                           else type(obj).__name__, verb, whose))


_MISSING = object()
_IF_PROGRAM_CLASS = object()
_IF_OWN_CLASS_NAME = object()
_IF_PROGRAM_FUNCTION = object()


def _declared_below(cls):
    """Does a base of torch class `cls` declare the '_' names its instances use (so that
    `nn.Linear` inherits nn.Module's declaration)?"""
    return any("_gradsh_private_names" in base.__dict__ for base in cls.__mro__)


def _name_of(obj, name):
    """`type(e).__name__`, `fn.__name__`, `torch.__name__`: the name of a class, function or
    module (or of a subscripted generic, `Box[int].__name__`: its class's), a plain string."""
    if isinstance(obj, TypeView):
        obj = obj.cls
    if isinstance(obj, Namespace):
        return obj.name  # torch.nn.__name__ == "torch.nn", as a module's
    if isinstance(obj, type) or isinstance(obj, (types.FunctionType, types.BuiltinFunctionType,
                                                  types.MethodType, builtin_function_or_method,
                                                  typing.TypeVar, typing._BaseGenericAlias,
                                                  functools._lru_cache_wrapper,
                                                  types.GeneratorType)) \
            or type(obj).__dict__.get("gradsh_named"):  # a function-like object of gradsh's
        value = obj.__name__
        if isinstance(value, str):
            return value
    own = _wrapper_data(obj, "__name__")  # a program's object functools.update_wrapper named
    if isinstance(own, str):
        return own
    raise GateError("'%s' object has no attribute '__name__'" % type(obj).__name__)


def _wrapper_data(obj, name):
    """What functools.update_wrapper(obj, fn) stored in a program object's own __dict__
    (`__name__`, `__wrapped__`; branch adv12c), or None."""
    if type(obj).__dict__.get("__gradsh_program_class__") is not type(obj):
        return None
    own = getattr(obj, "__dict__", None)
    return own.get(name) if type(own) is dict else None


def _wrapped_of(obj, name):
    found = _wrapper_data(obj, name)
    if found is None:
        raise AttributeError("'%s' object has no attribute '%s'" % (type(obj).__name__, name))
    return found


def _view_attribute(gate):
    def load(view, name):
        if view.cls in PYTHON_ALLOWED and (not name.startswith("_") or name in SPECIAL_NAMES
                                           and view.cls in SPECIAL_TYPES
                                           and any(name in c.__dict__
                                                   for c in view.cls.__mro__)):
            return gate._unbound_of(view.cls, view, name)  # `str.lower`, `int` is `type(3)`
        return gate._class_attribute(view.cls, name)
    return load


def _checked_dict_init(obj, name):
    """dict.__init__ of a program's dict subclass (checked_dict_init), bound as found."""
    if type(obj) is super:
        obj = obj.__self__
    if isinstance(obj, type):
        return checked_dict_init
    return types.MethodType(checked_dict_init, obj)


def _class_lookup(cls, name):
    for base in cls.__mro__:
        if base is object:
            break
        if name in base.__dict__:
            return base.__dict__[name]
    return _MISSING


# the text Python keeps on a program's class (a function's are Gate._function_attribute's)
_CLASS_TEXT = frozenset(("__doc__", "__qualname__", "__module__"))


def _class_text(obj, name):
    value = getattr(obj, name)
    if isinstance(value, (str, type(None))):
        return value
    raise GateError("this class's %s is not available in gradsh (it is a %s)"
                    % (name, type(value).__name__))


# what a program's class body gave Python: its slots and its annotations
_CLASS_DATA = frozenset(("__slots__", "__annotations__", "__members__", "__abstractmethods__",
                         "__subclasses__"))  # (--- adv12c: the last three)
# an enum class's `__members__` (enums.py, registered there): a read-only view of its members
ENUM_MEMBERS = []


def _object_hash(self, /):
    """object.__hash__ as a program has it: the identity hash of any object (Python's)."""
    return object.__hash__(self)


_object_hash.__qualname__ = "object.__hash__"
_object_hash.__name__ = "__hash__"


def _subclasses_of(cls):
    """`C.__subclasses__()` of a program's class: its direct subclasses the program made (every
    subclass of a program class is one; gradsh's own never show)."""
    program = ProgramClasses()

    def __subclasses__():
        return [c for c in type.__subclasses__(cls) if c in program]
    return __subclasses__


def _class_members(obj, name):
    if not isinstance(obj, type):  # the metaclass's data: not an instance's
        raise AttributeError("'%s' object has no attribute '%s'" % (type(obj).__name__, name))
    if name == "__subclasses__":
        return _subclasses_of(obj)
    if name == "__abstractmethods__":  # the names classes.build_class recorded, as ABCMeta's
        found = type.__dict__["__abstractmethods__"].__get__(obj)
        return frozenset(found)
    for members in ENUM_MEMBERS:
        view = members(obj)
        if view is not None:
            return view
    raise GateError("type object '%s' has no attribute '%s'" % (obj.__name__, name))


def _abstract_methods(obj, name):
    """`C.__abstractmethods__` of a program class: the names abc counts as abstract (Python's
    AttributeError for a class abc never saw, and on an instance)."""
    if not isinstance(obj, type):
        raise GateError("'%s' object has no attribute '__abstractmethods__'"
                        % type(obj).__name__, name=name, obj=obj)
    try:
        value = type.__dict__["__abstractmethods__"].__get__(obj)
    except AttributeError:
        raise GateError("__abstractmethods__", name=name, obj=obj) from None
    return frozenset(n for n in value if type(n) is str)


def _class_annotations(obj, name):
    """`C.__annotations__`: the class's own `name: type` lines (Python 3.10's rule: a class
    without any gives an empty dict, not its base's), the values the program's class body
    computed."""
    cls = obj if isinstance(obj, type) else type(obj)
    found = cls.__dict__.get("__annotations__")
    return found if isinstance(found, dict) else {}


def _set_name_of(obj, name):
    """`d.__set_name__`, `super().__set_name__`: the program's own method, which classhooks.py
    keeps under a name Python does not call."""
    try:
        return getattr(obj, SET_NAME)
    except AttributeError:
        raise GateError("'%s' object has no attribute '__set_name__'" % type(obj).__name__,
                        name=name, obj=obj) from None


def _slots_of(obj, name):
    """`C.__slots__`: what the program's class body gave, read through `.slots` (names)."""
    value = getattr(obj, name)
    if isinstance(value, (str, tuple, dict)):
        return value
    raise GateError("this class's __slots__ is not available in gradsh (it is a %s)"
                    % type(value).__name__)


def _value_new(obj, name):
    """`bool.__new__`, `int.__new__`: Python's value types only (classes.view_new); every
    other class's `__new__` is refused."""
    new = view_new(obj, name)
    if new is None:
        _deny_private(obj, name)
    return new


def _deny_private(obj, name):
    raise GateError("'%s' is not accessible: gradsh never gives access to names starting with '_'"
                    " on torch's or Python's objects (a program's own objects and classes may "
                    "have them)" % name)


def _namespace_get(ns, name):
    return ns.get(name)


def _python_refusal(cls, name):
    """The error for an attribute of a Python (non-provider) object; Python's own if missing."""
    # (a program's numpy array names numpy's attributes it does not offer: numpymodule.py)
    exists = hasattr(cls, name) or hasattr(cls.__dict__.get("_stands_for"), name)

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


def _dict_fromkeys(iterable, value=None, /):
    """Python's dict.fromkeys, the keys read within the item limit as for dict() (a billion
    keys is gradsh's LimitError, not the host's memory)."""
    from .limits import collect
    if type(iterable) in (str, dict, set, frozenset):
        return dict.fromkeys(iterable, value)  # within the limits already
    return dict.fromkeys(collect(iterable, "dict.fromkeys()"), value)


_dict_fromkeys.__name__ = _dict_fromkeys.__qualname__ = "fromkeys"
_dict_fromkeys = with_python_refusals(_dict_fromkeys, dict.fromkeys)  # (adv13c: Python's words)
# the class methods of Python's types a program may call on its `dict`, `str`...
CLASS_METHODS = {(dict, "fromkeys"): _dict_fromkeys, (float, "fromhex"): float.fromhex,
                 (str, "maketrans"): str.maketrans,  # a dict no larger than its arguments
                 # (no larger than their arguments; an int within the integer limit)
                 (bytes, "fromhex"): bytes.fromhex, (bytearray, "fromhex"): bytearray.fromhex,
                 (bytes, "maketrans"): bytes.maketrans, (bytearray, "maketrans"): bytes.maketrans,
                 (int, "from_bytes"): from_bytes,
                 # --- adv13c --- (bool.from_bytes gives a bool, as a classmethod of bool)
                 (bool, "from_bytes"): lambda *args, **kwargs: bool(from_bytes(*args, **kwargs)),
                 (nesting.ITERTOOLS["chain"], "from_iterable"): nesting.chain_from_iterable,
                 # --- adv12c --- (the keys read as dict.fromkeys reads them)
                 (OrderedDict, "fromkeys"): lambda iterable, value=None, /: OrderedDict(
                     _dict_fromkeys(iterable, value))}
# --- adv13c --- gradsh's class methods shown as Python's C ones: <built-in method fromkeys of
# type object at 0x...> (the address is the class's)
CLASS_METHODS.update({(cls, name): builtin(fn, name, lambda name=name, cls=cls: "<built-in "
                                           "method %s of type object at %#x>" % (name, id(cls)))
                      for (cls, name), fn in CLASS_METHODS.items()
                      if type(fn) is types.FunctionType})
# Python's classes a program names as themselves (pybuiltins.PLAIN): their methods unbound
_PLAIN_TYPES = (float, bool, complex, range)


class UnboundMethod:
    # `str.lower` as a program sees it: called with the object first, shown as Python's

    __slots__ = ("cls", "name", "_load")

    def __init__(self, cls, name, load):
        self.cls, self.name, self._load = cls, name, load

    @property
    def __doc__(self):
        return getattr(self.cls, self.name).__doc__

    @property
    def __name__(self):  # what help() shows
        return "%s.%s" % (self.cls.__name__, self.name)

    @property
    def __signature__(self):
        import inspect
        return inspect.signature(getattr(self.cls, self.name))

    def __call__(self, *args, **kwargs):
        if not args:
            raise TypeError("unbound method %s.%s() needs an argument"
                            % (self.cls.__name__, self.name))
        obj, *args = args
        if not isinstance(obj, self.cls):
            raise TypeError("descriptor '%s' for '%s' objects doesn't apply to a '%s' object"
                            % (self.name, self.cls.__name__, type(obj).__name__))
        return self._load(obj, self.name)(*args, **kwargs)

    def __repr__(self):
        return "<method '%s' of '%s' objects>" % (self.name, self.cls.__name__)


class ObjectProtocol:
    """`object.__setattr__`, `object.__getattribute__`, `object.__delattr__` as a program
    calls them (`object.__setattr__(self, name, value)` inside its own `__setattr__`): the gate
    decides the name as it decides `self.name = value` (or `self.name`, `del self.name`) in
    the program's text, then the method of the first class after the program's own in `mro`
    runs (object's, or a torch base's such as nn.Module's), skipping the program's own
    `__setattr__`/`__getattr__` as in Python. Only instances of the program's own classes:
    Python's slot wrappers applied to any other object would skip the gate."""

    __slots__ = ("gate", "name", "mro")

    def __init__(self, gate, name, mro):
        self.gate, self.name, self.mro = gate, name, mro

    def bind(self, obj):
        """The method bound to `obj` (a closure: a partial would show its parts)."""
        def method(*args):
            return self(obj, *args)

        method.__name__ = method.__qualname__ = self.name
        return method

    def __repr__(self):
        return "<slot wrapper '%s' of 'object' objects>" % self.name

    def __call__(self, obj, *args):
        expected = 2 if self.name == "__setattr__" else 1
        if len(args) != expected:
            raise TypeError("expected %d argument%s, got %d"
                            % (expected, "s" if expected > 1 else "", len(args)))
        name = args[0]
        if not isinstance(name, str):
            raise TypeError("attribute name must be string, not '%s'" % type(name).__name__)
        gate = self.gate
        if type(obj) not in gate.program_classes:
            raise GateError("object.%s() applies in gradsh to instances of the program's own "
                            "classes, not to a '%s' object" % (self.name, type(obj).__name__))
        method = _class_lookup_any(self.mro, self.name, gate.program_classes)
        if self.name == "__getattribute__":
            how = gate._decide_load(type(obj), name)
            if how is None:
                return method(obj, name)
            return how(obj, name)
        allowed = gate._decide_store(type(obj), name)
        if allowed is not True:
            _refuse_store(obj, name, *(("delete", "its own objects, torch's modules and a "
                                        "tensor's grad") if self.name == "__delattr__" else ()))
        return method(obj, *args)


def _class_lookup_any(mro, name, program_classes):
    """The first definition of `name` in `mro` by a class that is not the program's (object's at
    the latest)."""
    for base in mro:
        found = base.__dict__.get(name)
        if found is not None and base not in program_classes:
            return found
    return getattr(object, name)
