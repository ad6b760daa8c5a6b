"""torch.asarray (a tensor from a tensor, a number or nested sequences, sharing the tensor
when it can: PyTorch's copy/dtype/requires_grad rules) and torch.fill (fill_'s out-of-place
form, FillBackward0 / FillBackward1)."""


import numpy as np

from .. import dtypes, errors, factories
from ..dtypes import checked_fill
from ..layout import made_like
from ..tensor import Tensor
from .base import make, needs_grad, record, rule
from .inplace import FillBackward2, FillBackward3
from .pointwise import clone, to_dtype
from .registry import declare

_UNSET = object()
_warned = errors.once_flags([])

_DEFAULTS_TO_OBJ = ("torch.asarray: unspecified requires_grad now defaults to obj.requires_grad "
                    "instead of False. Pass requires_grad=False explicitly to get the old "
                    "behavior and silence this warning.")


def _tensor_asarray(obj, dtype, copy, requires_grad):
    same = dtype is None or dtype is obj.dtype
    if requires_grad is _UNSET and obj._requires_grad and not _warned:
        _warned.append(True)
        errors.warn(_DEFAULTS_TO_OBJ, UserWarning, stacklevel=4)
    if not same and copy is False:
        raise ValueError(f"can't alias tensor with dtype '{obj.dtype._short}' into dtype "
                         f"'{dtype._short}'.")
    if same and not copy:
        if requires_grad is True:
            obj.requires_grad_(True)
        elif requires_grad is False and obj._requires_grad:
            # PyTorch's asarray sets the flag of the tensor it returns: a leaf is switched off
            # in place (the caller's tensor too), a result of an op is detached (an alias)
            if obj.grad_fn is not None:
                return obj.detach()
            obj.requires_grad_(False)
        return obj
    out = clone(obj) if same else to_dtype(obj, dtype, copy=True)
    if requires_grad is False:
        out = out.detach()
    elif requires_grad is True and not out._requires_grad:
        out.requires_grad_(True)
    return out


def _check_elements(obj, seen=None):
    """PyTorch reads each tensor inside a sequence as a Python number. Each list or tuple is
    walked once (a row shared by others, `x = [x, x]` sixty times, is 2**60 places but 60
    lists), so torch.tensor's own checks (size, depth, cycles) come next at once."""
    seen = set() if seen is None else seen
    seen.add(id(obj))
    for x in obj:
        if isinstance(x, Tensor) and x._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if isinstance(x, (list, tuple)) and id(x) not in seen:
            _check_elements(x, seen)


@declare(method=False)
def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=_UNSET):
    """obj as a tensor: a tensor itself (no copy) unless copy=True or another dtype asks for
    one; numbers and nested sequences copied as torch.tensor does (copy=False refuses them);
    a numpy array (library use) shared when its dtype fits."""
    factories.check_device(device)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(obj, Tensor):
        return _tensor_asarray(obj, dtype, copy, requires_grad)
    if isinstance(obj, np.ndarray):  # (not reachable from .grad programs)
        base = factories.from_numpy(obj)
        return _tensor_asarray(base, dtype, copy, requires_grad)
    if copy is False:
        raise ValueError("can't alias arbitrary sequence into a tensor.")
    if isinstance(obj, (bytes, bytearray)):
        # PyTorch reads them as a raw buffer (its bytes reinterpreted as the dtype's numbers,
        # shared), which gradsh does not offer (torch.frombuffer neither; torch.tensor reads
        # a bytearray's ints)
        raise RuntimeError("Could not infer dtype of %s" % type(obj).__name__)
    if isinstance(obj, (list, tuple)):
        factories._nested_shape(obj)  # (PyTorch's "too many dimensions" before a deep walk)
        _check_elements(obj)
    return factories.tensor(obj, dtype=dtype, requires_grad=requires_grad is True)


# ----- torch.fill ------------------------------------------------------------------------------
FillBackward0 = rule(FillBackward2.rule, name="FillBackward0")
FillBackward1 = rule(FillBackward3.rule, name="FillBackward1")


def _filled(a, value):
    """empty_like(a) (preserve_format) holding value."""
    return made_like(a, lambda shape, _: np.full(shape, value, a.dtype))


@declare(method=False, tensor_first=True)
def fill(input, value):
    """A tensor of input's shape, dtype and layout holding `value` (a number or a 0-d
    tensor)."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        out = make(_filled(input._data, value._data))
        if needs_grad(input, value):
            record(out, FillBackward1, (input, value))
        return out
    if value is None:  # (PyTorch's invalid-combination TypeError replaces it in a call)
        raise TypeError("fill(): argument 'value' must be Number, not NoneType")
    out = make(_filled(input._data, checked_fill(value, input._data.dtype, input._data.size)))
    if needs_grad(input):
        record(out, FillBackward0, (input,))
    return out


_NOT_WRITABLE = (
    "The given buffer is not writable, and PyTorch does not support non-writable tensors. This "
    "means you can write to the underlying (supposedly non-writable) buffer using the tensor. "
    "You may want to copy the buffer to protect its data or make it writable before converting "
    "it to a tensor. This type of warning will be suppressed for the rest of this program."
    + errors.triggered_at("torch/csrc/utils/tensor_new.cpp:1556"))
_warned_not_writable = errors.once_flags([])


@declare(method=False)
def frombuffer(buffer, *, dtype=None, count=-1, offset=0, requires_grad=False):
    """A 1-d tensor over the bytes of an object with Python's buffer protocol (bytearray,
    array.array, bytes...): sharing a writable buffer's memory, as PyTorch does; a read-only
    one (bytes) is copied, so a write into the tensor cannot change an immutable object."""
    if dtype is None:
        raise TypeError('frombuffer() missing 1 required positional arguments: "dtype"')
    try:
        view = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    length = view.nbytes
    if length == 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than "
                         f"buffer length ({length} bytes) minus 1")
    d = np.dtype(dtypes.as_dtype(dtype).np)
    size = d.itemsize
    if count < 0:
        if (length - offset) % size:
            raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} "
                             f"bytes) must be a multiple of element size ({size})")
        count = (length - offset) // size
    elif count * size > length - offset:
        raise ValueError(f"requested buffer length ({count} * {size} bytes) after offset "
                         f"({offset} bytes) must not be greater than actual buffer length "
                         f"({length} bytes)")
    array = np.frombuffer(view.cast("B"), dtype=d, count=count, offset=offset)
    if view.readonly:
        if not _warned_not_writable:
            _warned_not_writable.append(True)
            errors.warn(_NOT_WRITABLE, UserWarning, stacklevel=2)
        array = array.copy()
    out = make(array)
    out._requires_grad = bool(requires_grad)
    return out
