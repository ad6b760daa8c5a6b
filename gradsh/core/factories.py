"""Creating tensors, with PyTorch's signatures: sizes as varargs or a tuple, dtype=, requires_grad=."""

import functools
import math
import operator
import warnings
from collections import deque

import numpy as np

from . import dtypes, errors, grad_mode, ranges
# the allocation limit lives in memory.py; its names stay importable from here
from .memory import (TensorTooLarge, check_alloc, limits, max_bytes, parse_memory,  # noqa: F401
                     set_max_memory)
from .device import check as check_device
from .meta import MetaArray, empty_meta
from .layout import (channels_last, check_format, check_layout, in_channels_last, made_like,
                     preserve_format)
from .layout import empty_strided as strided_empty
from .tensor import Tensor, bool_arg, list_item

_make = Tensor._make
default_float_np = dtypes.default_float_np
_MAX_DIMS = 64


def _numpy_int(v):
    """A program's numpy integer (lang/runtime/numpymodule.py) as numpy's own, else None."""
    if isinstance(v, (int, Tensor, np.ndarray, np.generic)) or not hasattr(type(v), "__array__"):
        return None
    a = np.asarray(v)
    return a[()] if a.ndim == 0 and a.dtype.kind in "iu" else None


def _program_index(x):
    """Is x an object of another kind with __index__ (a program's own class)? PyTorch reads it
    as an int in a size."""
    return not isinstance(x, (int, float, complex, str, bytes, np.generic, np.ndarray, Tensor)) \
        and hasattr(type(x), "__index__")


def _fills_out(name, dtype_from_out=True, same_count_keeps_shape=False):
    """A factory taking PyTorch's `out=` (`torch.rand(2, 2, out=c)`, the Introduction to
    PyTorch tensors tutorial): the values are made as without it, in out's dtype when no dtype
    is given (`randint(0, 5, (2,), out=float_tensor)` makes floats), then out is resized to
    them (silently, as PyTorch's factories do) and filled; out itself is returned. linspace and
    logspace keep an out of as many elements in its shape, as PyTorch's kernels do."""
    def wrap(fn):
        @functools.wraps(fn)
        def call(*args, out=None, **kwargs):
            if out is None:
                return fn(*args, **kwargs)
            if not isinstance(out, Tensor):
                raise TypeError(f"{name}(): argument 'out' must be Tensor, not "
                                f"{type(out).__name__}")
            if grad_mode.state.enabled and out.requires_grad:
                raise RuntimeError(f"aten::{name}(): functions with out=... arguments don't "
                                   "support automatic differentiation, but one of the arguments "
                                   "requires grad.")
            dtype = kwargs.get("dtype")
            if dtype is not None and dtype != out.dtype:
                raise RuntimeError(f"dtype {dtype._short} does not match dtype of out parameter "
                                   f"({out.dtype._short})")
            if dtype_from_out:
                kwargs["dtype"] = out.dtype
            requires_grad = kwargs.pop("requires_grad", False)
            result = fn(*args, **kwargs)
            if same_count_keeps_shape and out.numel() == result.numel():
                result = result.reshape(out.shape)
            elif tuple(out.shape) != tuple(result.shape):
                out.resize_(tuple(result.shape))
            with grad_mode.no_grad():
                out.copy_(result)
            if requires_grad:
                out.requires_grad_()
            return out
        return call
    return wrap


def sizes_of(args, negative_message=None, op=None):
    """Sizes from varargs (2, 3), a tuple/list/Size ((2, 3),), checked as PyTorch checks them
    (a few factories word the negative-size error their own way: negative_message; `op`, the
    factory's name, words a size that is not an int as PyTorch's argument parser does)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    elif not args and op:
        raise TypeError(f'{op}() missing 1 required positional arguments: "size"')
    elif len(args) == 1 and op and _numpy_int(args[0]) is not None:
        args = (_numpy_int(args[0]),)
    elif len(args) == 1 and op and not (isinstance(args[0], (int, np.integer)) or (
            isinstance(args[0], Tensor) and args[0]._data.size == 1) or _program_index(args[0])):
        raise TypeError(f"{op}(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{errors.type_name(args[0])}")
    out = []
    for pos, s in enumerate(args, 1):
        if isinstance(s, Tensor) and s._data.size == 1 and s._data.dtype.kind in "iu":
            s = s.item()
        if not isinstance(s, (int, np.integer)) and _numpy_int(s) is not None:
            s = _numpy_int(s)
        if isinstance(s, bool) and pos > 1 or _program_index(s):
            s = list_item(s, pos - 1)  # as PyTorch's parser reads an int list's items
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            if op:
                raise TypeError(f"{op}(): argument 'size' failed to unpack the object at pos "
                                f"{pos} with error \"type must be tuple of ints,but got "
                                f"{errors.type_name(s)}\"")
            raise TypeError(f"a size must be a whole number, but got {type(s).__name__} "
                            f"({s!r})")
        out.append(int(s))
    if len(out) > _MAX_DIMS:
        raise RuntimeError(f"a tensor can have at most {_MAX_DIMS} dimensions, but {len(out)} "
                           "were asked for")
    for s in out:
        if s < 0:
            raise RuntimeError(negative_message or f"Trying to create tensor with negative "
                               f"dimension {s}: {errors.shape_str(out)}")
    return tuple(out)


def _np_dtype(dtype, default=None):
    """The numpy dtype of a dtype= argument; None: `default`, else torch.get_default_dtype()."""
    if dtype is None:
        return default_float_np() if default is None else default
    dtype = dtypes.as_dtype(dtype)
    if not isinstance(dtype, dtypes.dtype):
        raise TypeError(f"dtype must be a torch dtype like torch.float32, not {dtype!r}")
    return dtype.np


def _finish(t, requires_grad, fn=None):
    if requires_grad is not False and requires_grad is not True and requires_grad is not None:
        requires_grad = bool_arg(requires_grad, "requires_grad", fn)  # (PyTorch takes no 1; None
        # is False, but for torch.tensor)
    if requires_grad:
        if t._data.dtype.kind not in "fcV":
            raise RuntimeError(errors.ONLY_FLOAT)
        t._requires_grad = True
    return t


def _meta(shape, np_dtype, requires_grad, fn=None):
    """A factory's result on the meta device: its shape and dtype, no data (nothing drawn)."""
    return _finish(_make(empty_meta(shape, np_dtype)), requires_grad, fn)


def _like_device(input, device):
    """Is a *_like factory's result a meta tensor? (device=None: the input's device)"""
    return check_device(device) if device is not None else type(input._data) is MetaArray


def _filled(shape, np_dtype, fill):
    check_alloc(shape, np_dtype)
    if fill == 0 and not (np_dtype.kind in "fVc" and math.copysign(1.0, complex(fill).real) < 0):
        return np.zeros(shape, np_dtype)   # (-0.0 is a zero that keeps its sign)
    if fill == 1:
        return np.ones(shape, np_dtype)
    return np.full(shape, fill, np_dtype)


def size_keyword(op, size, keyword):
    """The size varargs of factory `op` called with size= as a keyword (torch.ones(size=(2,)))."""
    if keyword is None:
        return size
    if size:
        raise TypeError(f"{op}() got multiple values for argument 'size'")
    if not isinstance(keyword, (tuple, list)):
        raise TypeError(f"{op}(): argument 'size' must be tuple of ints, not "
                        f"{type(keyword).__name__}")
    return (keyword,)


@_fills_out('zeros')
def zeros(*sizes, size=None, dtype=None, requires_grad=False, device=None, out=None, layout=None):
    """A tensor of zeros: zeros(2, 3) or zeros((2, 3))."""
    size = size_keyword("zeros", sizes, size)
    if layout is not None:
        check_layout(layout, "zeros")
    meta = check_device(device)
    shape = sizes_of(size, "zeros: Dimension size must be non-negative.", "zeros")
    if meta:
        return _meta(shape, _np_dtype(dtype), requires_grad, "zeros")
    return _finish(_make(_filled(shape, _np_dtype(dtype), 0)), requires_grad, "zeros")


@_fills_out('ones')
def ones(*sizes, size=None, dtype=None, requires_grad=False, device=None, out=None, layout=None):
    """A tensor of ones: ones(2, 3) or ones((2, 3))."""
    size = size_keyword("ones", sizes, size)
    if layout is not None:
        check_layout(layout, "ones")
    if check_device(device):
        return _meta(sizes_of(size, op="ones"), _np_dtype(dtype), requires_grad, "ones")
    return _finish(_make(_filled(sizes_of(size, op="ones"), _np_dtype(dtype), 1)), requires_grad,
                   "ones")


@_fills_out('empty')
def empty(*sizes, size=None, dtype=None, requires_grad=False, device=None, out=None, layout=None,
          memory_format=None):
    """An uninitialized tensor (gradsh fills it with zeros), laid out as memory_format asks."""
    size = size_keyword("empty", sizes, size)
    if layout is not None:
        check_layout(layout, "empty")
    meta = check_device(device)
    check_format(memory_format, "empty")
    if memory_format is preserve_format:
        raise RuntimeError("unsupported memory format Preserve")
    if meta:
        return _meta(sizes_of(size, op="empty"), _np_dtype(dtype), requires_grad)
    out = zeros(sizes_of(size, op="empty"), dtype=dtype)
    if memory_format is channels_last:
        if out._data.ndim != 4:
            raise RuntimeError("required rank 4 tensor to use channels_last format")
        out = _make(in_channels_last(out._data))
    return _finish(out, requires_grad, "empty")


def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):
    """An uninitialized tensor (zeros here) whose dims lie in memory in the order
    physical_layout gives (outermost first): empty_permuted((2, 3, 5, 7), (0, 2, 3, 1)) is
    channels-last."""
    if layout is not None:
        check_layout(layout, "empty_permuted")
    check_device(device)
    shape = sizes_of(size, op="empty_permuted")
    order = [operator.index(d) for d in physical_layout]
    if len(order) != len(shape):
        raise RuntimeError("Number of dimensions in size does not match the length of the "
                           f"physical_layout; i.e. len(size) = {len(shape)} is not equal to "
                           f"len(physical_layout) = {len(order)}")
    seen = set()
    for i, d in enumerate(order):
        if not 0 <= d < len(shape):
            raise RuntimeError(f"Dimension out of range (expected to be between 0 and "
                               f"{len(shape) - 1}, but got {d} at index {i}).  NB: negative "
                               "dims not currently supported; file an issue if you want it.")
        if d in seen:
            raise RuntimeError("Duplicate dim not allowed")
        seen.add(d)
    nd = _np_dtype(dtype)
    check_alloc(shape, nd)
    st, step = [0] * len(shape), 1
    for d in reversed(order):  # (a size-1 dim keeps the stride of its place, as PyTorch's)
        st[d] = step
        step *= max(shape[d], 1)
    out = strided_empty(shape, st, nd)
    out[...] = 0
    return _finish(_make(out), requires_grad)


def _scalar_dtype(value):
    """The dtype PyTorch gives a Scalar argument: a numpy integer is read as an int (int64),
    every other numpy scalar as a float (np.bool_ too: torch.full((2,), np.bool_(True)) is
    float32 there)."""
    if isinstance(value, bool):
        return np.dtype(np.bool_)
    if isinstance(value, (int, np.integer)):
        return np.dtype(np.int64)
    if isinstance(value, Tensor):
        return value._data.dtype
    if isinstance(value, complex):
        return dtypes.default_complex_np()
    return default_float_np()


@_fills_out('full')
def full(size, fill_value, *, dtype=None, requires_grad=False, device=None, out=None, layout=None):
    """A tensor of the given size filled with fill_value (its dtype follows the value)."""
    if layout is not None:
        check_layout(layout, "full")
    meta = check_device(device)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if not isinstance(fill_value, (int, float, complex, np.number, np.bool_)):
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(fill_value).__name__}")
    if not isinstance(size, (tuple, list)):  # one size argument, never sizes as varargs
        raise TypeError("full(): argument 'size' (position 1) must be tuple of ints, not "
                        + errors.type_name(size))
    for i, n in enumerate(size):
        if isinstance(n, float):
            raise TypeError("full(): argument 'size' (position 1) must be tuple of ints, but "
                            f"found element of type float at pos {i}")
    nd = _np_dtype(dtype, _scalar_dtype(fill_value))
    shape = sizes_of((size,), op="full")
    fill_value = dtypes.checked_fill(fill_value, nd, math.prod(shape))
    if meta:
        return _meta(shape, nd, requires_grad)
    return _finish(_make(_filled(shape, nd, fill_value)), requires_grad)


def _like_dtype(t, dtype):
    return t._data.dtype if dtype is None else _np_dtype(dtype)


def zeros_like(input, *, dtype=None, requires_grad=False, device=None, layout=None,
               memory_format=None):
    """Zeros with input's shape, dtype and (by default) strides."""
    if layout is not None:
        check_layout(layout, "zeros_like")
    meta = _like_device(input, device)
    check_format(memory_format, "zeros_like")
    nd = _like_dtype(input, dtype)
    if meta:
        return _meta(input._data.shape, nd, requires_grad, "zeros_like")
    return _finish(_make(made_like(input._data, lambda shape, _: np.zeros(shape, nd),
                                   memory_format)), requires_grad, "zeros_like")


def ones_like(input, *, dtype=None, requires_grad=False, device=None, layout=None,
              memory_format=None):
    """Ones with input's shape, dtype and (by default) strides."""
    if layout is not None:
        check_layout(layout, "ones_like")
    meta = _like_device(input, device)
    check_format(memory_format, "ones_like")
    nd = _like_dtype(input, dtype)
    if meta:
        return _meta(input._data.shape, nd, requires_grad, "ones_like")
    return _finish(_make(made_like(input._data, lambda shape, _: np.ones(shape, nd),
                                   memory_format)), requires_grad, "ones_like")


def empty_like(input, *, dtype=None, requires_grad=False, device=None, layout=None,
               memory_format=None):
    if layout is not None:
        check_layout(layout, "empty_like")
    if _like_device(input, device):
        return _meta(input._data.shape, _like_dtype(input, dtype), requires_grad, "empty_like")
    if type(input._data) is MetaArray:  # (empty_like(meta, device='cpu'): uninitialized data)
        input = _make(np.zeros(input._data.shape, input._data.dtype))
    out = zeros_like(input, dtype=dtype, memory_format=memory_format)
    return _finish(out, requires_grad, "empty_like")


def full_like(input, fill_value, *, dtype=None, requires_grad=False, device=None, layout=None,
              memory_format=None):
    """fill_value with input's shape, dtype and (by default) strides."""
    if layout is not None:
        check_layout(layout, "full_like")
    if fill_value is None or isinstance(fill_value, Tensor):
        raise TypeError("full_like(): argument 'fill_value' (position 2) must be Number, not "
                        + errors.type_name(fill_value))
    meta = _like_device(input, device)
    check_format(memory_format, "full_like")
    nd = _like_dtype(input, dtype)
    fill_value = dtypes.checked_fill(fill_value, nd, input._data.size)
    if meta:
        return _meta(input._data.shape, nd, requires_grad)
    return _finish(_make(made_like(input._data, lambda shape, _: np.full(shape, fill_value, nd),
                                   memory_format)), requires_grad)


@_fills_out('eye')
def eye(n, m=None, *, dtype=None, requires_grad=False, device=None, out=None, layout=None):
    """The n x m identity matrix."""
    if layout is not None:
        check_layout(layout, "eye")
    meta = check_device(device)
    m = n if m is None else m
    for name, v in (("n", n), ("m", m)):
        if isinstance(v, int) and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    shape = sizes_of((n, m))
    nd = _np_dtype(dtype)
    if meta:
        return _meta(shape, nd, requires_grad)
    check_alloc(shape, nd)
    return _finish(_make(np.eye(shape[0], shape[1], dtype=nd)), requires_grad)


def _arange_size(start, end, step, int64):
    """PyTorch's arange size (RangeFactories.cpp): in int64 arithmetic, wrapping, for an int64
    result, else ceil of the float quotient; its refusals past int64."""
    if int64:
        if any(not -(1 << 63) <= int(v) < 1 << 63 for v in (start, end, step)):
            raise RuntimeError("value cannot be converted to type int64_t without overflow")
        start, end, step = int(start), int(end), int(step)
        if step == 0:  # a fractional step truncated (PyTorch's words and type)
            raise ValueError("step must be nonzero")
        wide = (end - start + step - (1 if step > 0 else -1)) & ((1 << 64) - 1)
        wide -= (1 << 64) if wide >= 1 << 63 else 0
        size = float(abs(wide) // abs(step) * (1 if (wide < 0) == (step < 0) else -1))
    else:
        size = math.ceil((float(end) - float(start)) / float(step))
    if not 0 <= size <= float((1 << 63) - 1):
        raise RuntimeError("invalid size, possible overflow?")
    if size == float(1 << 63):  # C++'s cast of 2**63 to int64 gives -2**63
        raise RuntimeError("IntArrayRef contains an int that cannot be represented as a SymInt: "
                           "-9223372036854775808")
    return int(size)


def arange(start, end=None, step=1, *, dtype=None, requires_grad=False, device=None, out=None,
           layout=None):
    """Values from start (default 0) up to end, excluding it, by step."""
    if layout is not None:
        check_layout(layout, "arange")
    meta = check_device(device)
    if end is None:
        start, end = 0, start
    if out is not None and dtype is None:
        dtype = out.dtype  # (PyTorch computes in the out's dtype)
    vals = [v.item() if isinstance(v, (Tensor, np.generic)) else (
        np.asarray(v).item() if _numpy_int(v) is not None else v) for v in (start, end, step)]
    start, end, step = vals
    all_int = all(isinstance(v, int) for v in vals)
    nd = _np_dtype(dtype, np.dtype(np.int64) if all_int else None)
    if nd.kind in "bc" or nd in dtypes.WIDE_UNSIGNED:
        # (PyTorch's kernel is not built for them: refused before the range)
        raise NotImplementedError('"arange_cpu" not implemented for \'%s\'' % (
            dtypes.from_numpy_dtype(nd)._short))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError("unsupported range: %s -> %s" % tuple(
            "%g" % v if isinstance(v, float) else v for v in (start, end)))
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = max(0, _arange_size(start, end, step, nd == np.int64))
    check_alloc((n,), nd)
    if nd.kind in "fV":
        data = ranges.arange_values(float(start), float(step), n, nd)
    elif nd.kind in "iu":  # PyTorch's integer kernel: start and step truncated first
        data = (int(start) + np.arange(n, dtype=np.int64) * int(step)).astype(nd)
    else:
        data = np.arange(start, end, step, dtype=np.float64 if nd.kind in "fV" else None)[:n]
        data = data.astype(nd)
    if out is not None:
        if out.numel() not in (0, n):
            errors.warn(f"The number of elements in the out tensor of shape {list(out.shape)} is "
                        f"{out.numel()} which does not match the computed number of elements {n}. "
                        "Note that this may occur as a result of rounding error. The out tensor "
                        f"will be resized to a tensor of shape ({n},). (Triggered internally at "
                        "/__w/pytorch/pytorch/aten/src/ATen/native/RangeFactories.cpp:199.)",
                        UserWarning, stacklevel=2)
        return _write_range(out, data)
    return _finish(_make(empty_meta(data.shape, data.dtype) if meta else data), requires_grad)


def _write_range(out, data):
    """arange's and range's out=: resized when its element count differs (keeping its shape
    when it holds as many), then written."""
    if out.numel() != data.size:
        out.resize_((data.size,))
    return out.copy_(_make(data.reshape(tuple(out.shape))))


_RANGE_DEPRECATED = ("torch.range is deprecated and will be removed in a future release because "
                     "its behavior is inconsistent with Python's range builtin. Instead, use "
                     "torch.arange, which produces values in [start, end).")


def torch_range(start=None, end=None, step=1, *, dtype=None, requires_grad=False, device=None,
                out=None, layout=None):
    """torch.range (deprecated in PyTorch, with its warning): values from start to end, end
    included, in the default float dtype unless dtype= or out= says otherwise. PyTorch's kernel:
    floor((end - start) / step) + 1 values `start + i * step`, computed in double (float for
    float16) and rounded once; integer dtypes truncate start, end and step first."""
    errors.warn(_RANGE_DEPRECATED, UserWarning, stacklevel=2)
    if end is None:
        raise TypeError('range() missing 1 required positional arguments: "end"')
    if layout is not None:
        check_layout(layout, "range")
    check_device(device)
    if out is not None and dtype is None:
        dtype = out.dtype
    nd = _np_dtype(dtype)
    start, end, step = (v.item() if isinstance(v, (Tensor, np.generic)) else v
                        for v in (start, end, step))
    if nd.kind == "b":
        raise NotImplementedError('"range_cpu" not implemented for \'Bool\'')
    if nd.kind in "iu":
        start, end, step = int(start), int(end), int(step)
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError("unsupported range: %s -> %s" % tuple(
            "%g" % v if isinstance(v, float) else v for v in (start, end)))
    if step == 0:  # (an integer dtype's truncated step too: PyTorch divides by it and crashes)
        raise RuntimeError("step must be nonzero")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if nd.kind in "iu":
        n = (end - start) // step + 1
        check_alloc((n,), nd)
        data = (start + np.arange(n, dtype=np.int64) * step).astype(nd)
    else:
        n = int(math.floor((float(end) - float(start)) / float(step))) + 1
        check_alloc((n,), nd)
        acc = np.float32 if nd == np.float16 else np.float64
        data = (acc(start) + np.arange(n, dtype=acc) * acc(step)).astype(nd)
    if out is not None:
        return _write_range(out, data)
    return _finish(_make(data), requires_grad)


torch_range.__name__ = torch_range.__qualname__ = "range"


def _ends(name, start, end):
    """linspace's and logspace's start and end as floats; tensors must be 0-d (PyTorch's
    RuntimeError names those that are not, or both when both are tensors)."""
    ends = [(w, x) for w, x in (("start", start), ("end", end)) if isinstance(x, Tensor)]
    if any(x.ndim != 0 for _, x in ends):
        raise RuntimeError("%s only supports 0-dimensional start and end tensors, but got %s." % (
            name, " and ".join("%s with %d dimension(s)" % (w, x.ndim) for w, x in ends)))
    start, end = (x.item() if isinstance(x, Tensor) else x for x in (start, end))
    if isinstance(start, complex) or isinstance(end, complex):
        return complex(start), complex(end)
    return float(start), float(end)


def _real_np(nd):
    """The float dtype of a complex numpy dtype's parts."""
    return np.dtype(np.float32) if nd == np.complex64 else np.dtype(np.float64)


@_fills_out('linspace', same_count_keeps_shape=True)
def linspace(start, end, steps, *, dtype=None, requires_grad=False, device=None, out=None,
             layout=None):
    """`steps` evenly spaced values from start to end, both included."""
    if layout is not None:
        check_layout(layout, "linspace")
    meta = check_device(device)
    steps = int(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = _ends("linspace", start, end)
    nd = _np_dtype(dtype, dtypes.default_complex_np() if isinstance(start, complex) else None)
    if nd in dtypes.WIDE_UNSIGNED:
        raise NotImplementedError(f"\"linspace_cpu\" not implemented for "
                                  f"'{dtypes.from_numpy_dtype(nd)._short}'")
    if meta:
        return _meta((steps,), nd, requires_grad)
    check_alloc((steps,), nd)
    if nd.kind == "c":   # the real and imaginary parts each spaced as a float linspace
        parts = [ranges.linspace_values(a, b, steps, _real_np(nd))
                 for a, b in ((start.real, end.real), (complex(start).imag, complex(end).imag))]
        return _finish(_make((parts[0] + 1j * parts[1]).astype(nd)), requires_grad)
    return _finish(_make(ranges.linspace_values(start, end, steps, nd)), requires_grad)


@_fills_out('logspace', same_count_keeps_shape=True)
def logspace(start, end, steps, base=10.0, *, dtype=None, requires_grad=False, device=None):
    """base ** each of `steps` evenly spaced exponents from start to end."""
    check_device(device)
    nd = _np_dtype(dtype)
    steps = int(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    check_alloc((steps,), nd)
    start, end = _ends("logspace", start, end)
    return _finish(_make(ranges.logspace_values(start, end, steps, float(base), nd)),
                   requires_grad)


# ----- tensor() -----------------------------------------------------------------------------
_OVERFLOW = "Overflow when unpacking long long"  # PyTorch's ValueError for ints beyond int64


def _infer_np(data, wide=False, big_ints_as_float=False, big_ints_unsigned=False):
    """Convert nested Python data to a numpy array of PyTorch's inferred dtype.

    wide=True keeps Python floats in float64 (for an explicit dtype= to cast to once: rounding
    through float32 first would lose precision that torch.tensor(0.1, dtype=float64) keeps).
    big_ints_as_float: a float dtype was asked for, so ints beyond int64 are fine (as floats).
    big_ints_unsigned: uint64 was asked for, so ints up to 2 ** 64 - 1 are fine (as uint64).
    """
    f_default = np.dtype(np.float64) if wide else default_float_np()
    if isinstance(data, np.generic):  # numpy's scalars keep their dtype (np.float64 is a float)
        return np.asarray(data).copy()
    if isinstance(data, bool):
        return np.array(data, np.bool_)
    if isinstance(data, int):
        if not -(2 ** 63) <= data < 2 ** 63:
            if big_ints_as_float:
                return np.array(float(data))
            if big_ints_unsigned and 0 <= data < 2 ** 64:
                return np.array(data, np.uint64)
            raise ValueError(_OVERFLOW)
        return np.array(data, np.int64)
    if isinstance(data, float):
        return np.array(data, f_default)
    if isinstance(data, Tensor):
        return data._data.copy()
    if isinstance(data, range):  # its length is known: checked before any item is made
        check_alloc((len(data),), np.int64)
        return np.arange(data.start, data.stop, data.step, dtype=np.int64)
    if isinstance(data, _SEQUENCES):
        _no_string_dims(data)
        flat_kinds = set()
        _kinds(data, flat_kinds)
        nd = _sequence_dtype(flat_kinds, f_default, wide)
        integral = nd is None or nd.kind in "biu"
        if "t" in flat_kinds:
            data = _laid_out(data, _nested_shape(data), integral)
        else:
            _check_ragged(data, integral)
        if nd is None:  # ints beyond int64 and no float: fine for a float dtype, and up to
            # 2 ** 64 - 1 for uint64
            if big_ints_unsigned:
                nd = np.dtype(np.uint64)
            elif not big_ints_as_float:
                raise ValueError(_OVERFLOW)
            else:
                nd = np.dtype(np.float64)
        try:
            return dtypes.astype(np.array(data, dtype=nd if nd.kind not in "fV" else np.float64), nd)
        except OverflowError:
            raise ValueError(_OVERFLOW) from None
    if isinstance(data, np.ndarray):
        if data.dtype.kind == "c" and data.dtype.itemsize > 16:
            dtypes.from_numpy_dtype(data.dtype)  # PyTorch's refusal of numpy's complex256
        return data.copy() if data.dtype.kind in "fiubcV" else data.astype(default_float_np())
    if isinstance(data, complex):
        return np.array(data, np.complex128 if wide else dtypes.default_complex_np())
    raise _no_dtype(data)


# what PyTorch reads as a sequence of numbers (PySequence_Check: not a set, a dict, a
# generator); a range's length is known, so its size is checked before any item is made
# (a bytearray is one of ints, as PyTorch reads it; bytes are refused: _no_dtype)
_SEQUENCES = (list, tuple, deque, range, bytearray)


def _no_string_dims(data):
    """PyTorch reads a str as a sequence while it finds the shape from the first items: a list
    whose first items lead to a str has 'too many dimensions' (["a"], [["a"]])."""
    while isinstance(data, _SEQUENCES) and type(data) is not range and data:
        data = data[0]
    if isinstance(data, str):
        raise ValueError("too many dimensions 'str'")


def _no_dtype(v):
    if isinstance(v, (str, bytes)):
        return TypeError("new(): invalid data type '%s'" % type(v).__name__)
    return RuntimeError(f"Could not infer dtype of {errors.type_name(v)}")


def _kinds(data, out):
    """The kinds of Python numbers in nested data ("b", "i", "I" for ints beyond int64, "f",
    "c") and ("dt", dtype) for each dtype of its tensors, arrays and numpy scalars ("t" when
    it holds a tensor or an array)."""
    for v in data:
        if isinstance(v, np.generic):  # (before float: np.float64 is one)
            if v.dtype.kind not in "biufc":
                raise _no_dtype(v)
            out.add(("dt", v.dtype))
        elif isinstance(v, bool):
            out.add("b")
        elif isinstance(v, int):
            out.add("i" if -(2 ** 63) <= v < 2 ** 63 else "I")
        elif isinstance(v, float):
            out.add("f")
        elif isinstance(v, range):
            out.add("i" if not v or -(2 ** 63) <= min(v[0], v[-1]) <= max(v[0], v[-1]) < 2 ** 63
                    else "I")
        elif isinstance(v, _SEQUENCES):
            _kinds(v, out)
        elif isinstance(v, Tensor):
            out.add("t")
            out.add(("dt", v._data.dtype))
        elif isinstance(v, complex):
            out.add("c")
        elif hasattr(type(v), "__array__"):  # a program's numpy array or number: its dtype
            out.add("t")
            out.add(("dt", np.asarray(v).dtype))
        else:
            raise _no_dtype(v)


_PY_KINDS = (("b", np.dtype(np.bool_)), ("i", np.dtype(np.int64)))


def _sequence_dtype(kinds, f_default, wide):
    """PyTorch's infer_scalar_type over a sequence: each item's dtype (a Python int int64, a
    float the default dtype, a complex the default complex one, a tensor, array or numpy
    scalar its own) promoted pairwise, as promoteTypes does; None for ints beyond int64 where
    no item is a float or complex."""
    found = [d for k, d in _PY_KINDS if k in kinds]
    if "f" in kinds:
        found.append(f_default)
    if "c" in kinds:
        found.append(np.dtype(np.complex128) if wide else dtypes.default_complex_np())
    found += [k[1] for k in kinds if type(k) is tuple]
    if not found:
        return None if "I" in kinds else default_float_np()
    nd = found[0]
    for d in found[1:]:
        nd = dtypes.promote_pair(nd, d)
    if "I" in kinds and nd.kind in "biu":
        return None
    return nd


def _not_a_number(v, integral):
    """PyTorch's error for a sequence or a tensor of several elements where its shape (read
    down the first items) puts a number; its words depend on the inferred dtype's kind."""
    if isinstance(v, Tensor):
        if integral:
            return TypeError("only integer tensors of a single element can be converted to an "
                             "index")
        return ValueError("only one element tensors can be converted to Python scalars")
    name = errors.type_name(v)
    return TypeError(f"'{name}' object cannot be interpreted as an integer" if integral else
                     f"must be real number, not {name}")


def _laid_out(seq, shape, integral, dim=0):
    """Nested data holding tensors as nested lists of numbers, read as PyTorch reads it: the
    shape comes down the first items (lists only), a tensor where the shape has a dim is read
    as a sequence, and one where it has a number must hold one element."""
    if len(seq) != shape[dim]:
        raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} "
                         f"(got {len(seq)})")
    out = []
    for v in seq:
        if not isinstance(v, (Tensor,) + _SEQUENCES) and hasattr(type(v), "__array__"):
            a = np.asarray(v)   # a program's numpy array or number: as its lists or number
            v = a.tolist() if a.ndim else a.item()
        if dim + 1 == len(shape):  # numbers
            if isinstance(v, Tensor):
                if v._data.size != 1:
                    raise _not_a_number(v, integral)
                v = v.item()
            elif isinstance(v, _SEQUENCES):
                raise _not_a_number(v, integral)
            out.append(v)
        elif isinstance(v, Tensor) and v._data.ndim:
            out.append(_laid_out(list(v.unbind(0)), shape, integral, dim + 1))
        elif isinstance(v, _SEQUENCES):
            out.append(_laid_out(v, shape, integral, dim + 1))
        else:
            raise TypeError("not a sequence")
    return out


def _check_ragged(data, integral, dim=0):
    if not data or not isinstance(data[0], _SEQUENCES):
        for v in data:
            if isinstance(v, _SEQUENCES):
                raise _not_a_number(v, integral)
        return
    n = len(data[0])
    for v in data:
        if not isinstance(v, _SEQUENCES):
            raise TypeError("not a sequence")
        if len(v) != n:
            raise ValueError(f"expected sequence of length {n} at dim {dim + 1} (got {len(v)})")
    for v in data:
        if type(v) is not range:  # a range's items are numbers
            _check_ragged(v, integral, dim + 1)


_NO_DATA = object()


def check_pin_memory(pin_memory):
    """pin_memory=True: PyTorch's refusal on a machine without an accelerator (gradsh's)."""
    if pin_memory:
        raise RuntimeError("pin_memory=True requires a CUDA or other accelerator backend; no "
                           "pinned memory allocator is available on this system.")


def tensor(data=_NO_DATA, *, dtype=None, requires_grad=False, device=None, pin_memory=False):
    """A new tensor holding a copy of data (numbers, nested lists, tensors or numpy arrays)."""
    if data is _NO_DATA:   # (PyTorch's argument parser's words, not Python's)
        raise TypeError('tensor() missing 1 required positional arguments: "data"')
    meta = check_device(device)
    data = _numpy_like(data)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    if isinstance(data, _SEQUENCES) and type(data) is not range:  # a range: int64, below
        # before numpy copies the list (a lower bound: the dtype is not inferred yet)
        shape = _nested_shape(data)
        check_alloc(shape, _np_dtype(dtype))
        _check_sequences(shape)
    if dtype is not None and _np_dtype(dtype) == np.uint64:
        _check_uint64_items(data)
    arr = _infer_np(data, wide=dtype is not None,
                    big_ints_as_float=dtype is not None and _np_dtype(dtype).kind in "fV",
                    big_ints_unsigned=dtype is not None and _np_dtype(dtype) == np.uint64)
    if dtype is not None:
        if not isinstance(data, (Tensor, np.ndarray)):  # Python numbers, checked as PyTorch does
            if arr.dtype.kind == "c" and _np_dtype(dtype).kind in "iuf":
                raise TypeError("'complex' object cannot be interpreted as an integer" if
                                _np_dtype(dtype).kind in "iu" else
                                "must be real number, not complex")
            dtypes.check_converted(arr, _np_dtype(dtype))
        arr = dtypes.astype(arr, _np_dtype(dtype))
    check_alloc(arr.shape, arr.dtype)
    if meta:
        arr = empty_meta(arr.shape, arr.dtype)
    return _finish(_make(arr), bool_arg(requires_grad, "requires_grad", "tensor")
                   if requires_grad is None else requires_grad, "tensor")


def _check_uint64_items(data):
    """torch.tensor(data, dtype=torch.uint64) reads each Python number as an unsigned 64-bit
    int (PyTorch's unpacking, observed): a float is refused, and so is an int below 0 or past
    2 ** 64 - 1, with Python's OverflowError texts (uint16 and uint32 wrap and truncate)."""
    if isinstance(data, (list, tuple)):
        for item in data:
            _check_uint64_items(item)
    elif isinstance(data, float):
        raise TypeError("an integer is required")
    elif isinstance(data, int) and not isinstance(data, bool):
        if data < 0:
            raise OverflowError("can't convert negative int to unsigned")
        if data >= 2 ** 64:
            raise OverflowError("int too big to convert")


def _check_sequences(shape):
    """The sequences read to make a tensor of nested lists, bounded as the items of one list
    are (round 8: lists shared at every level, `l = [l, l]` sixty times around [], make a
    tensor of no elements after reading 2**60 lists)."""
    count = 1
    for n in shape[:-1]:
        count *= n
        if count > dtypes.MAX_SIZE_LENGTH:
            raise dtypes.TooManyItems("torch.tensor() of sequences nested %d deep would read more than "
                               "%d sequences (gradsh's limit of items)" % (len(shape),
                                                                           dtypes.MAX_SIZE_LENGTH))


# PyTorch reads nested data at most this many sequences deep ("too many dimensions 'list'"; a
# list holding itself would be read for ever)
MAX_NESTED_DIMS = 128


def _nested_shape(data):
    shape = []
    while isinstance(data, _SEQUENCES):
        if len(shape) == MAX_NESTED_DIMS:
            raise ValueError("too many dimensions '%s'" % type(data).__name__)
        shape.append(len(data))
        if not data:
            break
        data = data[0]
    if not isinstance(data, Tensor) and hasattr(type(data), "__array__"):
        shape.extend(np.shape(data))   # a program's numpy array: its dims go on down
    return shape


def as_tensor(data, *, dtype=None, device=None):
    check_device(device)
    if isinstance(data, Tensor):  # PyTorch's as_tensor of a tensor is data.to(dtype): in the graph
        return data if dtype is None or data.dtype is dtype else data.to(dtype)
    data = _numpy_like(data)
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf" and (
            dtype is None or _np_dtype(dtype) == data.dtype):
        return from_numpy(data)  # PyTorch's as_tensor shares a numpy array's memory
    return tensor(data, dtype=dtype)


def _numpy_like(data):
    """A value standing for a numpy array or number (a program's numpy values:
    lang/runtime/numpymodule.py) read as the numpy array it holds, which PyTorch reads with
    the array's dtype."""
    if isinstance(data, (Tensor, np.ndarray, np.generic, *_SEQUENCES)) \
            or not hasattr(type(data), "__array__"):
        return data
    return np.asarray(data)


def from_numpy(array):
    """A tensor sharing the numpy array's memory (Python library use)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {errors.type_name(array)})")
    dtypes.from_numpy_dtype(array.dtype)
    if any(s < 0 for s in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    return _make(array)


def scalar_tensor(value, *, dtype=None):
    """A 0-d tensor for a Python number (used where an op's first argument is a number)."""
    return _make(np.array(value, _np_dtype(dtype, _scalar_dtype(value))))


def torch_scalar_tensor(s, *, dtype=None, requires_grad=False, device=None, layout=None,
                        pin_memory=False):
    """torch.scalar_tensor: a 0-d tensor of the number s, in the default float dtype unless
    dtype= says otherwise (an int or a bool too, unlike torch.tensor)."""
    if layout is not None:
        check_layout(layout, "scalar_tensor")
    check_device(device)
    nd = _np_dtype(dtype)
    if isinstance(s, Tensor):
        s = s.item()
    if isinstance(s, complex) and nd.kind != "c":
        raise RuntimeError(f"value cannot be converted to type {_C_FLOAT.get(nd.kind, nd.name)} "
                           "without overflow")
    return _finish(_make(np.array(s, nd)), requires_grad)


_C_FLOAT = {"f": "float", "V": "float", "i": "int64_t", "u": "uint8_t", "b": "bool"}


# ----- random -------------------------------------------------------------------------------
def _gen(generator, op=None):
    """The generator to draw from; a generator= that is not one is PyTorch's TypeError for `op`
    (its one overload's words)."""
    from . import random as R  # on first use: numpy.random costs 15 ms of start-up
    if generator is None:
        return R.default_generator
    if op is not None and not _is_generator(generator):
        raise TypeError(f"{op}(): argument 'generator' must be torch.Generator, not "
                        f"{errors.type_name(generator)}")
    return generator


def _is_generator(g):
    """torch.Generator (random_api's, holding a stream) or a stream itself."""
    from .random import Generator as Stream
    return isinstance(g, Stream) or isinstance(getattr(g, "_stream", None), Stream)


_SIZE_KEYWORDS = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                  "torch.device device = None, bool pin_memory = False, bool requires_grad = False")
# the overloads PyTorch lists when a factory's generator= is not a Generator: each one's
# positional parameters, once with the generator and once without
_OVERLOADS = {"rand": ("tuple of ints size",), "randn": ("tuple of ints size",),
              "randperm": ("int n",),
              "randint": ("int high, tuple of ints size", "int low, int high, tuple of ints size")}


def _factory_gen(op, generator, args):
    """_gen for the factories with two overloads per signature (with and without generator):
    PyTorch's 'invalid combination of arguments' TypeError, the arguments by type."""
    if generator is None or _is_generator(generator):
        return _gen(generator)
    got = ", ".join([errors.type_name(a) for a in args] +
                    [f"generator={errors.type_name(generator)}"])
    lines = [f" * ({params}, *, {gen}{_SIZE_KEYWORDS})\n" for params in _OVERLOADS[op]
             for gen in ("torch.Generator generator, ", "")]
    raise TypeError(f"{op}() received an invalid combination of arguments - got ({got}), but "
                    "expected one of:\n" + "".join(lines))


@_fills_out('rand')
def rand(*sizes, size=None, generator=None, dtype=None, requires_grad=False, device=None, out=None,
         layout=None):
    """Uniform random values in [0, 1)."""
    size = size_keyword("rand", sizes, size)
    if layout is not None:
        check_layout(layout, "rand")
    meta = check_device(device)
    shape = sizes_of(size, op="rand")
    nd = _np_dtype(dtype)
    if meta:
        return _meta(shape, nd, requires_grad)
    check_alloc(shape, nd)
    return _finish(_make(_uniform(_factory_gen("rand", generator, size), shape, nd)), requires_grad)


def _uniform(gen, shape, nd):
    """rand's values of dtype nd: a complex dtype draws over its real view (real and imaginary
    parts interleaved, each in [0, 1)), as PyTorch's uniform_ fills a complex tensor."""
    if nd.kind != "c":
        return gen.uniform(shape, nd)
    drawn = gen.uniform(tuple(shape) + (2,), dtypes.REAL_OF[nd])
    return np.ascontiguousarray(drawn).view(nd)[..., 0]


@_fills_out('randn')
def randn(*sizes, size=None, generator=None, dtype=None, requires_grad=False, device=None, out=None,
          layout=None):
    """Standard normal random values (PyTorch's exact stream after manual_seed)."""
    size = size_keyword("randn", sizes, size)
    if layout is not None:
        check_layout(layout, "randn")
    meta = check_device(device)
    shape = sizes_of(size, op="randn")
    nd = _np_dtype(dtype)
    if meta:
        return _meta(shape, nd, requires_grad)
    check_alloc(shape, nd)
    gen = _factory_gen("randn", generator, size)
    if nd.kind == "c":
        return _finish(_make(_complex_normal(gen, shape, nd)), requires_grad)
    return _finish(_make(gen.normal(shape, nd)), requires_grad)


def _complex_normal(gen, shape, nd):
    """PyTorch's complex randn: normal_ over the real view (real and imaginary parts
    interleaved) with std 1/sqrt(2), each part drawn as its real dtype draws; under 16 values
    PyTorch's serial kernel scales the double draw before rounding to float."""
    real = dtypes.REAL_OF[nd]
    parts = tuple(shape) + (2,)
    if real == np.float32 and math.prod(parts) < 16:
        drawn = (gen.normal(parts, np.dtype(np.float64)) * _SQRT_HALF).astype(real)
    else:
        drawn = gen.normal(parts, real) * real.type(_SQRT_HALF)
    return np.ascontiguousarray(drawn).view(nd)[..., 0]


_SQRT_HALF = 1 / math.sqrt(2)


@_fills_out('randint')
def randint(low=0, high=None, size=None, *, generator=None, dtype=None, requires_grad=False,
            device=None):
    """Random integers in [low, high): randint(high, size) or randint(low, high, size)."""
    meta = check_device(device)
    given = [a for a in (low, high, size) if a is not None]
    _factory_gen("randint", generator, given)
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    errors.long(low), errors.long(high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    shape = sizes_of((size,))
    nd = _np_dtype(dtype, np.dtype(np.int64))
    if meta:
        return _meta(shape, nd, requires_grad)
    check_alloc(shape, nd)
    return _finish(_make(_gen(generator).randint(low, high, shape, nd)), requires_grad)


@_fills_out('randperm')
def randperm(n, *, generator=None, dtype=None, requires_grad=False, device=None):
    """A random permutation of 0..n-1."""
    meta = check_device(device)
    nd = _np_dtype(dtype, np.dtype(np.int64))
    if meta:
        return _meta((n,), nd, requires_grad)
    check_alloc((n,), nd)
    return _finish(_make(_factory_gen("randperm", generator, (n,)).randperm(n, nd)),
                   requires_grad)


def rand_like(input, *, dtype=None, requires_grad=False, device=None, memory_format=None):
    """Uniform random values with input's shape, dtype and strides (drawn in memory order)."""
    meta = _like_device(input, device)
    nd = _np_dtype(dtype or input.dtype)
    if meta:
        return _meta(input._data.shape, nd, requires_grad)
    check_alloc(input.shape, nd)
    return _finish(_make(made_like(input._data, lambda shape, _: _uniform(_gen(None), shape, nd),
                                   memory_format)), requires_grad)


def randn_like(input, *, dtype=None, requires_grad=False, device=None, memory_format=None):
    """Normal random values with input's shape, dtype and strides (drawn in memory order; a
    non-contiguous result takes PyTorch's element-by-element path)."""
    meta = _like_device(input, device)
    nd = _np_dtype(dtype or input.dtype)
    if meta:
        return _meta(input._data.shape, nd, requires_grad)
    check_alloc(input.shape, nd)
    if nd.kind == "c":
        return _finish(_make(made_like(input._data, lambda shape, _: _complex_normal(
            _gen(None), shape, nd), memory_format)), requires_grad)
    return _finish(_make(made_like(
        input._data, lambda shape, contiguous: _gen(None).normal(shape, nd, contiguous=contiguous),
        memory_format)), requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, requires_grad=False, device=None):
    check_device(device)
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


@_fills_out('normal', dtype_from_out=False)
def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, requires_grad=False,
           out=None, device=None):
    """Normal random values: normal(mean, std, size) with numbers, or elementwise tensors."""
    check_device(device)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._data if isinstance(mean, Tensor) else mean
        s = std._data if isinstance(std, Tensor) else std
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        nd = (mean if isinstance(mean, Tensor) else std)._data.dtype
        check_alloc(shape, nd)
        g = _gen(generator)
        if isinstance(std, Tensor):
            if not np.all(s >= 0):  # (nan too)
                raise RuntimeError("normal expects all elements of std >= 0.0")
        elif not std >= 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {'%g' % std}")
        if hasattr(g, "normal_tensor"):
            data = g.normal_tensor(np.broadcast_to(m, shape), np.broadcast_to(s, shape), nd)
        else:
            data = g.normal(shape, nd) * s + m
        return _finish(_make(np.asarray(data, nd)), requires_grad)
    if size is None:
        raise TypeError("normal() missing required argument 'size'")
    shape = sizes_of((size,))
    nd = _np_dtype(dtype)
    check_alloc(shape, nd)
    return _finish(_make(_gen(generator).normal(shape, nd, mean, std)), requires_grad)


def bernoulli(input, p=None, *, generator=None):
    """0/1 draws with probability p (a number) or input's values (a tensor of probabilities)."""
    g = _gen(generator)
    if p is not None:
        return _make(g.bernoulli(p, input._data.shape, input._data.dtype))
    return _make(g.bernoulli(input._data, input._data.shape, input._data.dtype))


def legacy_init(self, *args, dtype=None, requires_grad=False):
    """Tensor.__init__, the legacy constructor: torch.Tensor([1, 2]) or torch.Tensor(2, 3)."""
    source = args[0] if len(args) == 1 else None
    alias = isinstance(source, Tensor) and dtype is None and not source.requires_grad
    if alias:
        # PyTorch's alias of the tensor: its storage and dtype, no warning (of a tensor that
        # requires grad PyTorch's alias is a view with AliasBackward0: still a copy here)
        data = source._data
    elif len(args) == 1 and not isinstance(source, int):
        data = tensor(source, dtype=dtype or dtypes.get_default_dtype())._data
    else:
        sizes = sizes_of(args)
        check_alloc(sizes, _np_dtype(dtype))
        data = np.zeros(sizes, _np_dtype(dtype))
    fresh = Tensor._make(data)  # the one place that lists a new tensor's fields
    for field in Tensor.__slots__[:-1]:
        if hasattr(fresh, field):
            setattr(self, field, getattr(fresh, field))
    if alias:
        self._vc = source._vc  # one storage, one version counter
    if requires_grad:
        self.requires_grad_(True)
