"""nn.Parameter: a leaf tensor that a Module registers as one of its parameters.

Parameter is a real subclass of Tensor, as in PyTorch (`type(p) is nn.Parameter`); the ops'
fast paths test `type(x) in TENSOR_TYPES`, which holds every subclass, and make plain Tensors,
so an op on a Parameter returns a Tensor as PyTorch's default __torch_function__ does.
"""

import weakref

import numpy as np

from .. import errors
from ..dtypes import get_default_dtype
from ..factories import empty
from ..overrides import disabled_torch_function_impl
from ..tensor import Tensor, Unmaterialized, _retype, bool_arg


class Parameter(Tensor):
    """A tensor that is a module parameter: requires grad by default, prints
    `Parameter containing:` and is picked up by Module attribute assignment."""

    __slots__ = ()
    _repr_prefix = "Parameter containing:\n"
    _repr_name = "tensor"
    # ops on a parameter return plain tensors (PyTorch's _disabled_torch_function_impl)
    __torch_function__ = classmethod(disabled_torch_function_impl)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._repr_wrap = "Parameter"  # PyTorch's text of a subclass: `Parameter(MyP([1.]))`

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, not {type(data).__name__}")
        if type(requires_grad) is not bool:  # PyTorch's Parameter hands it to _make_subclass
            requires_grad = bool_arg(requires_grad, "require_grad", "_make_subclass", 3)
        t = Tensor._make(data._data)  # shares storage with data, as PyTorch's Parameter does
        t._vc = data._vc
        if requires_grad:
            if not (t.is_floating_point() or t.is_complex()):  # PyTorch's _make_subclass words
                raise RuntimeError(errors.ONLY_FLOAT)
        t = _retype(t, cls)  # a program's subclass (with a __dict__) too
        if requires_grad:
            t.requires_grad_(True)
        return t

    def __init__(self, data=None, requires_grad=True):
        pass

    def __deepcopy__(self, memo):
        # PyTorch's Parameter copies only its data and flag: no .grad (a deepcopy of a trained
        # model starts without gradients, which a loop that accumulates into them relies on)
        # and no attributes set on it; a Tensor's deepcopy keeps both
        if id(self) in memo:
            return memo[id(self)]
        t = _retype(Tensor._make(self._data.copy()), type(self))
        t._requires_grad = self._requires_grad
        memo[id(self)] = t
        return t


# id -> (the tensor, persistent): tensors made by nn.Buffer, which a Module registers as a
# buffer when one is assigned as its attribute (weak, like the parameters' registry)
_BUFFERS = {}


class _BufferMeta(type(Tensor)):
    def __instancecheck__(cls, obj):
        return type(obj) is Tensor and _buffer_entry(obj) is not None


class Buffer(Tensor, metaclass=_BufferMeta):
    """A tensor that a Module registers as a buffer when assigned as its attribute
    (`self.steps = nn.Buffer(torch.zeros(()))`), persistent (in state_dict) or not."""

    __torch_function__ = classmethod(disabled_torch_function_impl)

    __slots__ = ()

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Buffer data must be a Tensor, not {type(data).__name__}")
        t = data.detach().requires_grad_(data.requires_grad)
        _BUFFERS[id(t)] = (weakref.ref(t, lambda _, key=id(t): _BUFFERS.pop(key, None)),
                           persistent)
        return t


def _buffer_entry(t):
    entry = _BUFFERS.get(id(t))
    return entry if entry is not None and entry[0]() is t else None


def buffer_persistence(t):
    """None for a tensor not made by nn.Buffer, else whether it is persistent."""
    entry = _buffer_entry(t) if type(t) is Tensor else None
    return None if entry is None else entry[1]


def is_parameter(t):
    return isinstance(t, Parameter)



# ----- the tensors of lazy modules (nn/lazy.py) ----------------------------------------------
def is_lazy(t):
    """Is t an UninitializedParameter or UninitializedBuffer (not yet materialized)?"""
    return isinstance(t, Tensor) and type(t._data) is Unmaterialized


def dtype_to_numpy(dtype):
    return (get_default_dtype() if dtype is None else dtype).np


def _unmaterialized(kind, dtype):
    a = np.empty(0, dtype_to_numpy(dtype)).view(Unmaterialized)
    a.kind = kind
    return a


def _lazy_tensor(kind, dtype):
    """A tensor made on an empty array, then given its unmaterialized one (made directly, the
    tensor limit's backstop would read the shape it refuses to give)."""
    t = Tensor._make(np.empty(0, dtype_to_numpy(dtype)))
    t._data = _unmaterialized(kind, dtype)
    return t


class UninitializedParameter(Parameter):
    """A parameter whose shape is not known yet: prints `<UninitializedParameter>`, refuses
    every computation, and becomes an ordinary Parameter (the same tensor: its class changes,
    as PyTorch's does) by materialize()."""

    __slots__ = ()

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        t = _lazy_tensor("UninitializedParameter", dtype)
        if requires_grad:
            t.requires_grad_(True)
        t.__class__ = UninitializedParameter
        return t

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass


class _LazyMeta(type(Tensor)):
    def __instancecheck__(cls, obj):
        return is_lazy(obj) and obj._data.kind == cls.__name__


class UninitializedBuffer(Tensor, metaclass=_LazyMeta):
    """A buffer whose shape is not known yet (`<UninitializedBuffer>`)."""

    __torch_function__ = classmethod(disabled_torch_function_impl)

    __slots__ = ()

    def __new__(cls, requires_grad=False, device=None, dtype=None, persistent=True):
        t = _lazy_tensor("UninitializedBuffer", dtype)
        if requires_grad:
            t.requires_grad_(True)
        return t


def materialize(t, shape, device=None, dtype=None):
    """UninitializedTensorMixin.materialize: t (the same tensor) gets an uninitialized array
    of `shape` (its own dtype unless one is given) and becomes a Parameter or a Tensor."""
    dt = t._data.dtype if dtype is None else dtype_to_numpy(dtype)
    t._data = np.zeros(tuple(shape), dt)
    t._vc[0] += 1
    if type(t) is UninitializedParameter:
        t.__class__ = Parameter
