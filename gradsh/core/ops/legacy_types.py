"""PyTorch's legacy tensor types (torch.FloatTensor, torch.LongTensor...): constructors of a
fixed dtype (torch.FloatTensor([1, 2]), torch.FloatTensor(2, 3)), classes every tensor of that
dtype is an instance of (isinstance(t, torch.FloatTensor)), and the argument of t.type().
As in PyTorch they are not Tensor's subclasses: a tensor's type is always torch.Tensor."""


import numpy as np

from .. import dtypes, errors, factories
from ..tensor import Tensor

__all__ = ["tensortype", "LEGACY_TYPES", "set_default_tensor_type"]

_OPTIONS = ("TensorOptions(dtype={}, device=cpu, layout=Strided, requires_grad=false (default), "
            "pinned_memory=false (default), memory_format=(nullopt))")


class tensortype(type):
    """The metaclass of the legacy types (PyTorch's `torch.tensortype`)."""

    def __repr__(cls):
        return "<class 'torch.%s'>" % cls.__name__

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype

    def __subclasscheck__(cls, sub):
        return sub is cls

    def __call__(cls, *args, device=None):
        """torch.FloatTensor(data), torch.FloatTensor(*sizes), torch.FloatTensor(tensor)."""
        factories.check_device(device)
        dt = cls.dtype
        if not args:
            return factories.zeros(0, dtype=dt)
        first = args[0]
        if len(args) == 1 and isinstance(first, Tensor):
            if first.dtype is not dt:
                raise TypeError("expected " + _OPTIONS.format(dtypes.c_name(dt.np)) + " (got "
                                + _OPTIONS.format(dtypes.c_name(first._data.dtype)) + ")")
            return first.detach()
        if len(args) == 1 and isinstance(first, str):
            raise TypeError(f"new(): invalid data type '{errors.type_name(first)}'")
        if len(args) == 1 and isinstance(first, (list, tuple)) and not isinstance(
                first, dtypes.Size):
            return factories.tensor(first, dtype=dt)
        if len(args) == 1 and (first is None or isinstance(first, (float, bool))):
            raise TypeError(f"new(): data must be a sequence (got {errors.type_name(first)})")
        if len(args) == 1 and not isinstance(first, (int, np.integer, dtypes.Size)):
            return factories.tensor(first, dtype=dt)
        return factories.empty(factories.sizes_of(args, op="new"), dtype=dt)


def _legacy(dt):
    return tensortype(dt._legacy, (), {"dtype": dt, "is_cuda": False, "is_sparse": False,
                                       "__module__": __name__})


# name -> class, in PyTorch's order
LEGACY_TYPES = {dt._legacy: _legacy(dt) for dt in (
    dtypes.float32, dtypes.float64, dtypes.float16, dtypes.bfloat16, dtypes.int64, dtypes.int32,
    dtypes.int16, dtypes.int8, dtypes.uint8, dtypes.bool_)}
globals().update(LEGACY_TYPES)  # each is found under its module and name (pickle, reprs)


def set_default_tensor_type(t, /):
    """Deprecated in PyTorch 2.1, as there: the default dtype from a floating legacy type (or
    its name)."""
    errors.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives. "
                  "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/tensor/"
                  "python_tensor.cpp:434.)", UserWarning, stacklevel=2)
    if isinstance(t, str):  # PyTorch imports the dotted name
        module, _, name = t.rpartition(".")
        if module != "torch":
            raise ModuleNotFoundError(f"No module named '{module or name}'")
        if name not in LEGACY_TYPES:
            raise AttributeError(f"module 'torch' has no attribute '{name}'")
        t = LEGACY_TYPES[name]
    if type(t) is not tensortype:
        raise TypeError("invalid type object: only floating-point types are supported as the "
                        "default type")
    if not t.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    dtypes.set_default_dtype(t.dtype)
