"""Tensor methods that convert: dtype (`to`, `float`, `long`...) and new tensors like this one
(`new_zeros`). Their own module: their names are Python's builtins (`float`, `int`, `type`)."""

import builtins

from .. import device as _device
from .. import dtypes, errors, factories
from ..layout import (channels_last, channels_last_3d, check_format, check_layout,
                      contiguous_format,
                      preserve_format, suggests_channels_last)
from ..meta import NO_DATA, MetaArray, empty_meta
from ..tensor import Tensor
from .legacy_types import tensortype
from .pointwise import ToCopyBackward0, to_dtype
from .base import needs_grad, record
from .registry import declare


@declare(function=False)
def to(self, *args, dtype=None, copy=False, non_blocking=False, device=None,
       memory_format=None):
    """Convert to a dtype and/or a device (the CPU; others get PyTorch's errors) and/or a
    memory format (itself when it already has it, as contiguous(memory_format=))."""
    for a in args:
        if isinstance(a, dtypes.dtype) or dtypes.of_python_type(a) is not None:
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif _device.is_device_like(a):
            device = a
        elif a is not None and a is not True and a is not False:   # non_blocking, copy
            # a value no signature takes (a program's object was ignored): the failure the
            # signature layer words as PyTorch does ("to() received an invalid combination")
            raise TypeError("to() received an invalid combination of arguments - got "
                            f"({errors.type_name(a)})")
    if device is not None and _device.check(device) != (builtins.type(self._data) is MetaArray):
        return _to_device(self, dtypes.as_dtype(dtype) if dtype is not None else self.dtype)
    check_format(memory_format, "to")
    if memory_format is None or memory_format is preserve_format:
        if dtype is None:
            return self.clone() if copy else self
        return to_dtype(self, dtypes.as_dtype(dtype), copy)
    # a memory format: itself when nothing changes and it already suggests that format (so a
    # 4-d tensor of strides (4, 4, 2, 1) and shape (1, 1, 2, 2) is copied to channels_last's
    # (4, 1, 2, 1), as PyTorch's to() does), else a copy laid out in that format
    if dtype is None or dtypes.as_dtype(dtype) is self.dtype:
        if not copy and _suggested_format(self) is memory_format:
            return self
        return to_dtype(self, self.dtype, True, memory_format)  # (one ToCopyBackward0)
    return to_dtype(self, dtypes.as_dtype(dtype), copy, memory_format)


def _to_device(self, dt):
    """To the meta device (a meta tensor of this one's shape), or from it (PyTorch's error)."""
    if builtins.type(self._data) is MetaArray:
        raise NotImplementedError(NO_DATA)
    out = Tensor._make(empty_meta(self._data.shape, dt.np))
    if needs_grad(self) and (dt.is_floating_point or dt.is_complex):
        record(out, ToCopyBackward0, (self,))
    return out


def _suggested_format(t):
    """PyTorch's t.suggest_memory_format()."""
    if suggests_channels_last(t._data):
        return channels_last if t.ndim == 4 else channels_last_3d
    return contiguous_format


@declare(function=False)
def type(self, dtype=None, non_blocking=False):
    """The type's name (torch.FloatTensor), or this tensor converted to `dtype`."""
    if not isinstance(self, Tensor):  # (Tensor.type(a) of another value reads its dtype)
        kind = builtins.type(self)
        name = ("numpy." if kind.__module__ == "numpy" else "") + kind.__name__
        raise TypeError("descriptor 'type' for 'torch._C.TensorBase' objects doesn't apply to "
                        "a '%s' object" % name)
    if dtype is None:
        return "torch." + self.dtype._legacy
    if isinstance(dtype, str):
        dtype = _BY_LEGACY_NAME.get(dtype) or _invalid_type(dtype)
    elif builtins.type(dtype) is tensortype:  # torch.DoubleTensor
        dtype = dtype.dtype
    elif dtype is Tensor:  # PyTorch: the tensor itself
        return self
    elif dtypes.of_python_type(dtype) is not None:  # PyTorch's error for `x.type(int)`
        _invalid_type(dtypes.STAND_INS.get(dtype, dtype).__name__)
    elif not isinstance(dtype, dtypes.dtype):
        raise TypeError("dtype must be a type, str, or dtype object")
    return to_dtype(self, dtype)


_BY_LEGACY_NAME = {"torch." + d._legacy: d for d in dtypes.ALL + (dtypes.bfloat16,)}  # 'torch.FloatTensor'


def _invalid_type(name):
    raise ValueError(f"invalid type: '{name}'")


def _converter(name, dt):
    def convert(self, *, memory_format=None):
        if memory_format is None or memory_format is preserve_format:
            return to_dtype(self, dt)
        return to(self, dt, memory_format=memory_format)  # (PyTorch's x.to(dt, memory_format))
    convert.__name__ = convert.__qualname__ = name
    convert.__doc__ = f"This tensor as {dt}."
    return declare(function=False)(convert)


float = _converter("float", dtypes.float32)
double = _converter("double", dtypes.float64)
half = _converter("half", dtypes.float16)
bfloat16 = _converter("bfloat16", dtypes.bfloat16)
long = _converter("long", dtypes.int64)
int = _converter("int", dtypes.int32)
short = _converter("short", dtypes.int16)
bool = _converter("bool", dtypes.bool_)
byte = _converter("byte", dtypes.uint8)
char = _converter("char", dtypes.int8)
cfloat = _converter("cfloat", dtypes.complex64)
cdouble = _converter("cdouble", dtypes.complex128)
chalf = _converter("chalf", dtypes.complex32)


@declare(function=False)
def cpu(self, *, memory_format=None):
    """This tensor (a meta tensor: PyTorch's error, there is nothing to copy)."""
    if builtins.type(self._data) is MetaArray:
        raise NotImplementedError(NO_DATA)
    return self


@declare(function=False)
def cuda(self, device=None, non_blocking=False, memory_format=None):
    """PyTorch's error on a machine without CUDA."""
    return _device.cuda_method(self, device, non_blocking, memory_format)


def _new_size(size, op):
    """new_zeros(2, 3) or new_zeros((2, 3)) as one size; none is PyTorch's TypeError."""
    return factories.sizes_of(size, op=op)


def _new_options(op, layout, device, pin_memory):
    """The factory keywords of new_zeros & co., checked as PyTorch's factories check them."""
    if layout is not None:
        check_layout(layout, op)
    _device.check(device)
    factories.check_pin_memory(pin_memory)


def _new_device(self, device):
    """A new_* result's device: self's unless `device` is given (a meta tensor's: 'meta')."""
    if device is None and builtins.type(self._data) is MetaArray:
        return "meta"
    return device


@declare(function=False)
def new_zeros(self, *sizes, size=None, dtype=None, layout=None, device=None, pin_memory=False,
              requires_grad=False):
    """Zeros of `size`, with this tensor's dtype unless `dtype` is given."""
    _new_options("new_zeros", layout, device, pin_memory)
    size = factories.size_keyword("new_zeros", sizes, size)
    return factories.zeros(_new_size(size, "new_zeros"), dtype=dtype or self.dtype,
                           requires_grad=requires_grad, device=_new_device(self, device))


@declare(function=False)
def new_ones(self, *sizes, size=None, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad=False):
    """Ones of `size`, with this tensor's dtype unless `dtype` is given."""
    _new_options("new_ones", layout, device, pin_memory)
    size = factories.size_keyword("new_ones", sizes, size)
    return factories.ones(_new_size(size, "new_ones"), dtype=dtype or self.dtype,
                          requires_grad=requires_grad, device=_new_device(self, device))


@declare(function=False)
def new_full(self, size, fill_value, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad=False):
    """`fill_value` everywhere, with this tensor's dtype unless `dtype` is given."""
    _new_options("new_full", layout, device, pin_memory)
    return factories.full(size, fill_value, dtype=dtype or self.dtype,
                          requires_grad=requires_grad, device=_new_device(self, device))


@declare(function=False)
def new_empty(self, *sizes, size=None, dtype=None, layout=None, device=None, pin_memory=False,
              requires_grad=False):
    """A new tensor of `size` (zeros: gradsh never shows uninitialized memory)."""
    _new_options("new_empty", layout, device, pin_memory)
    size = factories.size_keyword("new_empty", sizes, size)
    return factories.zeros(_new_size(size, "new_empty"), dtype=dtype or self.dtype,
                           requires_grad=requires_grad, device=_new_device(self, device))


@declare(function=False)
def new_tensor(self, data, dtype=None, requires_grad=False):
    """A tensor of `data`, with this tensor's dtype unless `dtype` is given."""
    return factories.tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad,
                            device=_new_device(self, None))
