"""The `__torch_function__` protocol, and the Python operators giving way to an operand's class.

PyTorch calls `type(a).__torch_function__(func, types, args, kwargs)` when an argument `a` of a
torch function, a Tensor method or an operator is a Tensor-like object (its class defines
`__torch_function__`) or an instance of a Tensor subclass; `func` is the public function called.
gradsh keeps the plain tensor's path free of the test (issue 19: the per-op cost is counted), so
the protocol enters in three places only:

- the torch.* and torch.nn.functional functions (`function` below): one flag test per call;
  the arguments are scanned only after a Tensor subclass with its own handler was made, or when
  the call failed (an object no op takes: a Tensor-like, as `ScalarTensor` in PyTorch's docs);
- a Tensor subclass's own methods and operators (`install`, run when the subclass is made):
  wrappers set on the subclass, so a plain tensor's methods stay the op functions themselves;
- a plain tensor's forward and in-place binary operators (`binary_operator`): on an operand no
  op takes, the Tensor-like's handler, else NotImplemented when the operand's class has the
  reflected method, so that Python calls it (`t + money` reaches `Money.__radd__`), as
  PyTorch does.

When the first subclass with its own handler is made, a plain tensor's public methods become
the subclasses' wrappers (`t.add(s)` dispatches) and the nn layers' forwards call the public
dispatching functions (`F.linear`): `_dispatch_plain_methods`, `_dispatch_layer_functions`.
A plain tensor's method given a Tensor-like argument that is no Tensor subclass
(`t.add(scalar_tensor)`) is not dispatched (docs/autograd.md, "__torch_function__ and operator
deferral").
"""

import contextlib
import functools
import numbers
import sys
import types

import numpy as np

from . import errors, guarded, spare
from .dtypes import read_items
from .ops.aliases import as_subclass
from .return_types import ReturnType
from .sparse import SparseTensor
from .tensor import SUBCLASS_HOOKS, Tensor

__all__ = ["has_torch_function", "has_torch_function_unary", "has_torch_function_variadic",
           "handle_torch_function", "is_tensor_like", "get_default_nowrap_functions",
           "disabled_torch_function_impl", "DisableTorchFunctionSubclass"]

_subclasses = False  # a Tensor subclass with its own handler was made: torch.* calls scan args
_disabled = 0  # inside Tensor.__torch_function__'s call of func: subclasses are plain tensors

_MARK = "__gradsh_dispatching__"  # set on the subclass whose methods `install` wrapped


def disabled_torch_function_impl(cls, func, types, args=(), kwargs=None):
    """The handler of nn.Parameter (PyTorch's `torch._C._disabled_torch_function_impl`): ops on
    an instance run as on a plain tensor and return plain tensors."""
    return func(*args, **(kwargs or {}))


def _overrides(kind):
    """Whether instances of `kind` take part in dispatch."""
    if kind is Tensor:
        return False
    handler = getattr(kind, "__torch_function__", None)
    if handler is None or getattr(handler, "__func__", None) is disabled_torch_function_impl:
        return False
    return not (_disabled and issubclass(kind, Tensor))


def _collect(values, found, kinds, depth):
    for a in values:
        kind = type(a)
        if kind in (list, tuple):
            # (the call's arguments, and the lists among them: torch.cat([a, b])); a list of
            # plain values only, whatever its length, is passed over at C speed
            if depth and not _PLAIN.issuperset(map(type, a)):
                _collect(a, found, kinds, depth - 1)
        elif kind not in _PLAIN and kind not in kinds and _overrides(kind):
            kinds.append(kind)
            found.append(a)


_PLAIN = frozenset((Tensor, int, float, bool, complex, str, type(None), slice, np.ndarray))


def _overloaded(relevant):
    """The arguments whose classes' handlers are called, in PyTorch's order: left to right, one
    per class, a subclass before its base classes."""
    found, kinds = [], []
    _collect(relevant, found, kinds, 2)
    ordered = []
    for a in found:
        at = len(ordered)
        for i, b in enumerate(ordered):
            if issubclass(type(a), type(b)):
                at = i
                break
        ordered.insert(at, a)
    return ordered


def _relevant(relevant_args, what):
    """A program's `relevant_args` read whole as PyTorch reads them (a list or tuple as it is),
    within the item limit and the reading budget: `itertools.repeat(1)` read for ever (PyTorch
    reads it until memory runs out; round 19 of issue 16)."""
    if type(relevant_args) in (list, tuple):
        return relevant_args
    return read_items(relevant_args, what)


def has_torch_function(relevant_args):
    """torch.overrides.has_torch_function: whether an argument (a Tensor-like object, a Tensor
    subclass's instance) makes a call dispatch to `__torch_function__`."""
    if type(relevant_args) not in (list, tuple) and not hasattr(relevant_args, "__iter__") \
            and not hasattr(relevant_args, "__getitem__"):
        raise TypeError("expected a sequence")  # (PyTorch's PySequence_Fast)
    return bool(_overloaded(_relevant(relevant_args, "has_torch_function()")))


def has_torch_function_unary(arg):
    return bool(_overloaded((arg,)))


def has_torch_function_variadic(*args):
    return bool(_overloaded(args))


def is_tensor_like(inp):
    """torch.overrides.is_tensor_like: a Tensor, or an object whose class has
    `__torch_function__`."""
    return type(inp) is Tensor or hasattr(inp, "__torch_function__")


def _name(public_api):
    module = getattr(public_api, "__module__", None) or ""
    name = getattr(public_api, "__qualname__", None) or getattr(public_api, "__name__", "?")
    if name.startswith("Tensor."):
        return "torch." + name
    if module.startswith("gradsh") and ("nn.functional" in module or "nn_functional" in module):
        return "torch.nn.functional." + name
    return "torch." + name


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    """torch.overrides.handle_torch_function: call the handler of each overloaded argument's
    class until one returns something other than NotImplemented. Nothing among relevant_args
    implementing `__torch_function__` (not even a plain tensor; nn.Parameter's disabled
    handler does not count) is PyTorch's TypeError "no
    implementation found", not a call of the function (issue 16, round 20)."""
    relevant = _relevant(relevant_args, "handle_torch_function()")
    if not any(_implements(type(a)) for a in relevant):
        raise errors.TorchTypeError(
            "no implementation found for '%s' on types that implement __torch_function__: []"
            % _qualified(public_api))
    return _handle(public_api, relevant, args, kwargs)


def _implements(kind):
    """Whether a class counts for PyTorch's "no implementation found": it has a handler, and
    not nn.Parameter's disabled one (a plain Tensor counts: its handler calls the function)."""
    handler = getattr(kind, "__torch_function__", None)
    return handler is not None and \
        getattr(handler, "__func__", None) is not disabled_torch_function_impl


def _qualified(public_api):
    """The name PyTorch's "no implementation found" gives: torch's own public name for torch's
    functions, `module.__name__` for any other callable (`builtins.print`, `__main__.f`; the
    language's builtins come as partials or wrappers that carry Python's names)."""
    inner = public_api
    while isinstance(inner, functools.partial):
        inner = inner.func
    module = getattr(inner, "__module__", None) or ""
    if module.startswith("gradsh.") and not module.startswith(("gradsh.lang", "gradsh.cli")):
        return _name(inner)
    return "%s.%s" % (getattr(public_api, "__module__", None) or "",
                      getattr(public_api, "__name__", "?"))


def _handle(public_api, relevant, args, kwargs, name=None):
    """The handlers' calls; kwargs is None for a call without keywords (as PyTorch's C
    functions pass it); name: the function's in the error (a method's `torch.Tensor.name`)."""
    overloaded = _overloaded(relevant)
    if not overloaded:  # a subclass's method called on a plain tensor (`Sub.add(t, 1)`)
        return public_api(*args, **(kwargs or {}))
    types = tuple(type(a) for a in overloaded)
    for a in overloaded:
        result = type(a).__torch_function__(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    listed = "\n".join("  - tensor subclass %r" % (t,) for t in types)
    raise errors.TorchTypeError(
        "Multiple dispatch failed for '%s'; all __torch_function__ handlers returned "
        "NotImplemented:\n\n%s\n\nFor more information, try re-running with "
        "TORCH_LOGS=not_implemented" % (name or _name(public_api), listed))


def _dispatch(public_api, args, kwargs):
    return _handle(public_api, (args, tuple(kwargs.values())), args, kwargs or None)


class DisableTorchFunctionSubclass(contextlib.ContextDecorator):
    """Inside it, a Tensor subclass's instance is a plain tensor to every op (PyTorch's
    `torch._C.DisableTorchFunctionSubclass`, which Tensor.__torch_function__ uses)."""

    def __enter__(self):
        global _disabled
        _disabled += 1
        return self

    def __exit__(self, *exc):
        global _disabled
        _disabled -= 1
        return False


# the getters whose results Tensor.__torch_function__ returns as they are (`s.grad` is the
# gradient itself, not a view of it as the subclass)
_NOWRAP = frozenset((Tensor.grad.__get__,))


def get_default_nowrap_functions():
    """torch.overrides.get_default_nowrap_functions."""
    return set(_NOWRAP)


def _convert(ret, cls):
    if isinstance(ret, Tensor) and not isinstance(ret, cls):
        return as_subclass(ret, cls)  # (the op itself: complex results too, as PyTorch's)
    if type(ret) in (tuple, list):
        return type(ret)(_convert(r, cls) for r in ret)
    if isinstance(ret, ReturnType):  # torch.return_types.max (values, indices) ...
        return type(ret)._of(*(_convert(r, cls) for r in ret))
    return ret


def _tensor_torch_function(cls, func, types, args=(), kwargs=None):
    """Tensor.__torch_function__: func run with the subclasses as plain tensors, its tensor
    results made instances of cls (as PyTorch's default, for a subclass that defines none)."""
    if kwargs is None:
        kwargs = {}
    if not all(issubclass(cls, t) for t in types):
        return NotImplemented
    with DisableTorchFunctionSubclass():
        ret = func(*args, **kwargs)
        if func in _NOWRAP or cls is Tensor:
            return ret
        return _convert(ret, cls)


Tensor.__torch_function__ = classmethod(_tensor_torch_function)


# ----- the entries ------------------------------------------------------------------------------
def function(fn, namespace=None, name=None):
    """torch.name / F.name dispatching to `__torch_function__` (module docstring). A handler's
    `func` is what `namespace[name]` holds when it is called: the public object, which later
    layers may have replaced by a renamed copy of this wrapper (core/function_names.py)."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        if _subclasses and not _disabled and _overloaded((args, tuple(kwargs.values()))):
            return _dispatch(call if namespace is None else namespace.get(name, call), args,
                             kwargs)
        try:
            return fn(*args, **kwargs)
        except Exception:
            # an object no op takes: a Tensor-like is its class's to handle
            if _overloaded((args, tuple(kwargs.values()))):
                return _dispatch(call if namespace is None else namespace.get(name, call),
                                 args, kwargs)
            raise
    call.__wrapped__ = fn
    call.dispatches_torch_function = True
    # named as the function, so a failing call's read-back takes this frame for the callee
    # (core/callreader.py: `F.one_hot(torch.tensor([1]), 2 ** 63)` reads its arguments from
    # the wrapper's *args, and PyTorch's parser refusal replaces the op's own error)
    public = name or getattr(fn, "__name__", None)
    if isinstance(public, str) and public.isidentifier():
        call.__code__ = call.__code__.replace(co_name=public)
    errors.WRAPPER_CODES.add(call.__code__)  # a warning names the program's line, not this
    return call


def wrap_module(namespace):
    """wrap_functions for every public function of a module's globals (torch.linalg, fft,
    special)."""
    wrap_functions(namespace, [n for n, f in list(namespace.items()) if not n.startswith("_")
                               and isinstance(f, types.FunctionType)])


def wrap_functions(namespace, names):
    """Give each function of `namespace` (a module's globals) named in `names` the dispatch of
    `function`: the outermost layer, so that `func` in a handler is the public object
    (`HANDLED_FUNCTIONS[torch.add]` finds it)."""
    for name in names:
        fn = namespace.get(name)
        if callable(fn) and not isinstance(fn, type):
            namespace[name] = function(fn, namespace, name)
    _PUBLIC.append((namespace, list(names)))
    _VERSIONS.clear()
    _PROXIES.clear()
    if _subclasses:  # (torch.nn loaded after the first subclass: a .grad program's import)
        _dispatch_layer_functions()


_PUBLIC = []  # (namespace, names) given the dispatch: torch.*, F.*, torch.linalg ...


_NUMBERS = (numbers.Number, np.ndarray, np.generic)


def binary_operator(fn, name):
    """A plain tensor's forward or in-place operator (`__add__`, `__iadd__` ...) giving way to
    an operand no op takes: its class's __torch_function__, else its reflected method
    (NotImplemented: Python calls it; after `__iadd__`, through `__add__`), else the op's
    TypeError. On CPython 3.11 a copy of the op whose exception handler decides (core/guarded.py:
    no frame and no instruction more on success); elsewhere a wrapper."""
    inplace = name[2] == "i" and name not in ("__index__", "__int__", "__invert__")
    reflected = "__r" + name[3 if inplace else 2:]

    def give_way(self, other):
        """What the operator returns for an operand the op refused, or RERAISE."""
        if isinstance(other, Tensor) or isinstance(other, _NUMBERS):
            return guarded.RERAISE
        if _overloaded((other,)):
            if inplace:
                return NotImplemented  # (then `__add__` asks the handler)
            # PyTorch's func: the method (Tensor.add)
            public = getattr(Tensor, _DISPATCHED_AS.get(name, name))
            return _handle(public, (self, other), (self, other), None)
        if hasattr(type(other), reflected):
            return NotImplemented
        return guarded.RERAISE

    return _giving_way(fn, give_way)


def _giving_way(fn, give_way):
    """fn, whose TypeErrors ask give_way(self, other) for its result (guarded.RERAISE: the
    error stands). The copy keeps fn's name and module: forward-mode AD finds it by them and
    swaps its code as the op's (autograd/forward_ad.py)."""
    def on_error():
        if not isinstance(sys.exc_info()[1], TypeError):
            return guarded.RERAISE
        return give_way(*_operands(sys._getframe(1)))

    operator = guarded.returning(fn, on_error)
    if operator is None:
        def operator(self, other):
            try:
                return fn(self, other)
            except TypeError:
                result = give_way(self, other)
                if result is guarded.RERAISE:
                    raise
                return result
        operator.__wrapped__ = fn
        operator.__name__, operator.__doc__ = fn.__name__, fn.__doc__
        errors.WRAPPER_CODES.add(operator.__code__)
    return operator


def _operands(frame):
    """(self, other) of the op running in frame: its first two positional arguments, named or
    in its *args (an in-place variant `op(self, *args)`, a dtype guard's `call(*args)`)."""
    code = frame.f_code
    names = code.co_varnames
    values = frame.f_locals
    positional = [values[n] for n in names[:code.co_argcount]]
    if code.co_flags & 0x04:  # CO_VARARGS
        positional += values[names[code.co_argcount + code.co_kwonlyargcount]]
    return positional[0], positional[1]


def reflected_division(fn):
    """Tensor.__rtruediv__: PyTorch's is `self.reciprocal() * other`, so an operand no op takes
    meets its class's __rmul__ (`obj / t` calls `obj.__rmul__(1 / t)`), else Python's
    TypeError for `/`."""
    def give_way(self, other):
        if isinstance(other, Tensor) or isinstance(other, _NUMBERS):
            return guarded.RERAISE
        if not hasattr(type(other), "__rmul__"):
            return NotImplemented  # Python's TypeError names `/` and the operands
        try:
            return self.reciprocal() * other
        except TypeError:
            return NotImplemented
    return _giving_way(fn, give_way)


# The function PyTorch 2.13 gives a handler for each operator of a subclass's instance
# (measured: `func.__name__` for `s - 1`, `1 - s`, `s[0]`...): a Tensor method's name is that
# method (`s - 1` is Tensor.sub(s, 1), `1 + s` Tensor.add(s, 1), `t + s` Tensor.add(t, s));
# a special name is the operator's own function under that name (`1 - s` gives `__rsub__`)
_DISPATCHED_AS = {
    "__add__": "add", "__radd__": "add", "__sub__": "sub", "__rsub__": "__rsub__",
    "__mul__": "mul", "__rmul__": "mul", "__truediv__": "div", "__rtruediv__": "__rdiv__",
    "__floordiv__": "__floordiv__", "__rfloordiv__": "__rfloordiv__", "__mod__": "remainder",
    "__rmod__": "__rmod__", "__pow__": "pow", "__rpow__": "__rpow__", "__matmul__": "matmul",
    "__rmatmul__": "__rmatmul__", "__and__": "__and__", "__rand__": "bitwise_and",
    "__or__": "__or__", "__ror__": "bitwise_or", "__xor__": "__xor__", "__rxor__": "bitwise_xor",
    "__lshift__": "__lshift__", "__rlshift__": "__rlshift__", "__rshift__": "__rshift__",
    "__rrshift__": "__rrshift__", "__iadd__": "add_", "__isub__": "sub_", "__imul__": "mul_",
    "__itruediv__": "div_", "__eq__": "__eq__", "__ne__": "ne", "__lt__": "lt", "__le__": "le",
    "__gt__": "gt", "__ge__": "ge", "__neg__": "neg", "__pos__": "positive", "__abs__": "abs",
    "__invert__": "__invert__", "__getitem__": "__getitem__", "__setitem__": "__setitem__"}
_COMMUTING = frozenset(("__radd__", "__rmul__", "__rand__", "__ror__", "__rxor__"))
# a subclass's instance passes through these as itself (no dispatch): the object's own protocol
# (`str(s)` and `iter(s)` call __repr__ and unbind, which dispatch)
_NOT_DISPATCHED = frozenset(("__init__", "__new__", "__init_subclass__", "__torch_function__",
                             "__getattribute__", "__setattr__", "__delattr__", "__dir__",
                             "__sizeof__", "__reduce__", "__reduce_ex__", "__getstate__",
                             "__setstate__", "__class__", "__subclasshook__", "__hash__",
                             "__deepcopy__", "__copy__", "__str__", "__iter__", "__array__",
                             "__array_priority__", "__array_wrap__", "_make", "as_subclass",
                             "__reversed__", "__dlpack__", "__dlpack_device__", "__weakref__"))


def _method(name, fn):
    """The dispatching wrapper of Tensor's method `name` (fn): a subclass's, and after the
    first dispatching subclass is made, a plain tensor's too (`_dispatch_plain_methods`)."""
    public = fn
    target = _DISPATCHED_AS.get(name)
    commuting = name in _COMMUTING
    if target is not None and not target.startswith("__"):
        public = None  # Tensor's attribute `target` when called (a wrapper once swapped in)
    elif target is not None and fn.__name__ != target and type(fn) is types.FunctionType:
        public = _renamed(fn, target)
    elif not name.startswith("_"):
        target, public = name, None  # (`func is torch.Tensor.add` holds after the swap)
    # the name in the error when every handler returns NotImplemented (measured: `s.sum()`)
    shown = None if name.startswith("_") else "torch.Tensor." + name

    def method(self, *args, **kwargs):
        # (the plain path holds `self` in its local only while fn runs: spare.py counts it)
        if _disabled:
            return fn(self, *args, **kwargs)
        if commuting and args and isinstance(args[0], Tensor):
            # `t + s` reaches s.__radd__ first (Python prefers the subclass): PyTorch's order
            func = public if public is not None else getattr(Tensor, target)
            return _handle(func, (args[0], self), (args[0], self), kwargs or None)
        if not _overloaded((self, args, tuple(kwargs.values()))):
            return fn(self, *args, **kwargs)  # plain tensors, a Parameter's methods
        func = public if public is not None else getattr(Tensor, target)
        return _handle(func, (self, args, tuple(kwargs.values())), (self,) + args,
                       kwargs or None, shown)
    # named as the method, so a failing call's read-back takes this frame for the callee
    # (core/callreader.py: `tensor(...).sum(dim="x")`'s receiver and arguments, read from the
    # wrapper's self, *args and **kwargs, give PyTorch's argument error after the swap too)
    method.__code__ = method.__code__.replace(co_name=name, co_qualname="Tensor." + name)
    method.__name__, method.__qualname__ = fn.__name__, getattr(fn, "__qualname__", name)
    method.__doc__ = fn.__doc__
    method.__wrapped__ = fn
    method.torch_function_dispatch = True  # the .grad gate applies Tensor's rules to it
    errors.WRAPPER_CODES.add(method.__code__)  # a warning names the caller's line, not this
    spare.add_wrapper(method.__code__)  # its temporary `self` may still give its array
    return method


def _renamed(fn, name):
    """fn under PyTorch's name for it (the same code: a copy of the function object)."""
    copy = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__,
                              fn.__closure__)
    copy.__kwdefaults__, copy.__doc__ = fn.__kwdefaults__, fn.__doc__
    copy.__qualname__ = "Tensor." + name
    return copy


class _DispatchingProperty(property):
    """A Tensor property on a subclass: its getter is dispatched (`func` is the property's
    `__get__`, as PyTorch's); the setter is Tensor's."""

    torch_function_dispatch = True  # the .grad gate applies Tensor's rules to it


def _property(prop):
    def get(self):
        if _disabled:
            return prop.fget(self)
        return _handle(prop.__get__, (self,), (self,), None)
    return _DispatchingProperty(get, prop.fset, prop.fdel, prop.__doc__)


_WRAPPERS = {}  # Tensor attribute name -> its dispatching wrapper (one for every subclass)


def _wrappers():
    """{name: wrapper} for Tensor's methods, operators and public properties, made once (and
    again for an attribute Tensor has rebound since)."""
    for name, value in vars(Tensor).items():
        made = _WRAPPERS.get(name)
        if made is not None and (made.__wrapped__ is value or made is value):
            continue
        if type(value) is property:
            if not name.startswith("_"):
                wrapper = _property(value)
                wrapper.__wrapped__ = value
                _WRAPPERS[name] = wrapper
            continue
        if name in _NOT_DISPATCHED or not callable(value) \
                or isinstance(value, (type, classmethod, staticmethod)):
            continue
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            continue
        _WRAPPERS[name] = _method(name, value)
    return _WRAPPERS


def install(cls):
    """Make a Tensor subclass's methods and operators call its `__torch_function__` (the
    default keeps the subclass through ops: Tensor.__torch_function__ above). The wrappers are
    shared: a class costs its dictionary's entries (a program may make classes in a loop)."""
    global _subclasses
    if not _overrides(cls):
        return
    if not _subclasses:
        for hook in FIRST_DISPATCH:
            hook()
        _dispatch_plain_methods()
        _dispatch_layer_functions()
    _subclasses = True
    if any(_MARK in vars(base) for base in cls.__mro__[1:]):
        return  # inherited from a subclass already made dispatching
    own = vars(cls)
    for name, wrapper in _wrappers().items():
        if name not in own:
            type.__setattr__(cls, name, wrapper)
    type.__setattr__(cls, _MARK, True)


class _Public(types.ModuleType):
    """A core module as an nn layer's forward sees it once a dispatching subclass exists: its
    functions that have a public dispatching version are that version (`F.linear`)."""

    def __init__(self, module, public):
        super().__init__(module.__name__)
        self.__dict__.update({n: public.get(id(v), v) for n, v in vars(module).items()})
        self._module = module

    def __getattr__(self, name):  # (a name the module gained since)
        return getattr(self._module, name)


def _public_versions():
    """{id(f): the public torch.* or F.* object} for every function f a public dispatching
    function wraps; F's first for a module's attributes, torch's first for a layer's own
    imports (nn.Sigmoid calls torch.sigmoid, nn.ReLU F.relu, as PyTorch's layers do)."""
    functional, torch = {}, {}
    for namespace, names in _PUBLIC:
        into = functional if "nn.functional" in namespace.get("__name__", "") else torch
        for name in names:
            public = f = namespace.get(name)
            while f is not None:
                into.setdefault(id(f), public)
                f = getattr(f, "__wrapped__", None)
    return {**torch, **functional}, {**functional, **torch}


def _dispatch_layer_functions():
    """The nn layers' forwards (gradsh/core/nn) call the public dispatching functions, so that a
    layer given a subclass's instance, or holding one as a parameter, reaches its handler with
    PyTorch's `func` (F.linear, F.conv2d, torch.sigmoid) and returns the subclass. Done once,
    with the methods' swap, for the layer files loaded; `layer_defined` does it for those that
    load later (the package loads each on first use). Before it, the layers call the core ops
    at no cost."""
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith(_LAYERS) and module is not None:
            _public_globals(vars(module))


_LAYERS = __package__ + ".nn."
_PROXIES = {}  # core module name -> its _Public
_VERSIONS = []  # [(attributes, imported)] once made


def _public_globals(namespace):
    if not _VERSIONS:
        _VERSIONS.append(_public_versions())
    attributes, imported = _VERSIONS[0]
    for name, value in list(namespace.items()):
        if isinstance(value, types.ModuleType):
            home = value.__name__
            if home.startswith(__package__ + ".") and not home.startswith(_LAYERS):
                if home not in _PROXIES:
                    _PROXIES[home] = _Public(value, attributes)
                namespace[name] = _PROXIES[home]
        elif isinstance(value, types.FunctionType) and id(value) in imported:
            namespace[name] = imported[id(value)]
        elif isinstance(value, type) and value.__module__ == namespace["__name__"]:
            for attr, held in list(vars(value).items()):  # nn.Dropout's `function = F.dropout`
                if isinstance(held, staticmethod) and id(held.__func__) in attributes:
                    setattr(value, attr, staticmethod(attributes[id(held.__func__)]))


def layer_defined(cls):
    """Module.__init_subclass__: a layer file loaded after the swap gets it too."""
    if _subclasses and cls.__module__.startswith(_LAYERS):
        module = sys.modules.get(cls.__module__)
        if module is not None:
            _public_globals(vars(module))


def _dispatch_plain_methods():
    """Tensor's public methods become the dispatching wrappers, so that a plain tensor's method
    given a subclass's instance (`t.add(s)`, `t.matmul(s)`) calls its handler, as PyTorch's.
    Done once, when the first subclass with its own handler is made: until then a plain
    tensor's methods are the op functions themselves, at no cost (issue 19)."""
    for name, wrapper in list(_wrappers().items()):
        if not name.startswith("_") and not isinstance(wrapper, property):
            setattr(Tensor, name, wrapper)
    for hook in METHODS_SWAPPED:
        hook()


# run after the swap: the API layer gives the wrappers PyTorch's argument errors (gradsh/_api.py)
METHODS_SWAPPED = []
# run before it: the API layer completes the torch.* functions it layers when read (gradsh/_api.py)
FIRST_DISPATCH = []


SUBCLASS_HOOKS.append(install)

# a sparse tensor's hidden class (core/sparse.py, below this layer) is a plain Tensor to
# dispatch, as PyTorch's sparse tensors are: its ops never go through the default handler
SparseTensor.__torch_function__ = classmethod(disabled_torch_function_impl)
