"""Views by explicit geometry: torch.as_strided (Tensor.as_strided, as_strided_), as_strided_copy,
as_strided_scatter, torch.empty_strided and Tensor.new_empty_strided; slice_inverse (ATen's:
an as_strided view with another tensor's geometry).

A tensor's storage is the numpy buffer at the root of its array's `.base` chain; an as_strided
view is a numpy array over that buffer with the given sizes, strides and offset (in elements),
after PyTorch's bounds check. Its gradient is PyTorch's as_strided_backward: the output's
gradient summed into a gradient of the storage, divided by how many of the input's elements
share each storage element when the input overlaps itself, read back in the input's geometry;
storage the input does not cover gets nothing.
"""

import operator

import numpy as np
from numpy.lib.array_utils import byte_bounds

from .. import errors, factories, layout
from ..memory import check_alloc, check_view_shape
from ..meta import MetaArray, empty_meta
from ..tensor import Tensor
from .aliases import _copied
from .dense import _lifted, _tensor_arg
from .base import dim_arg, make, needs_grad, record, rule
from .inplace import check_inplace, restride_in_place
from .registry import declare
from .shape import slice_dim
from .views import AsStridedBackward0, view_of


def _storage(a):
    """(buffer, element offset of a in it): the memory of the outermost ndarray of a's `.base`
    chain (through numpy's stride-trick wrappers) that is of a's dtype and holds a, as a flat
    array in memory order; a's own values in a fresh buffer when none does."""
    lo, hi = byte_bounds(a)
    found, b = None, a
    while b is not None:
        if isinstance(b, np.ndarray) and b.dtype == a.dtype and b.size:
            blo, bhi = byte_bounds(b)
            if blo <= lo and hi <= bhi and blo == b.__array_interface__["data"][0]:
                found = b
        b = getattr(b, "base", None)
    if found is None or not a.size:
        return np.ascontiguousarray(a).reshape(-1), 0
    blo, bhi = byte_bounds(found)
    item = a.itemsize
    flat = found.reshape(-1) if found.flags.c_contiguous else np.lib.stride_tricks.as_strided(
        found, ((bhi - blo) // item,), (item,), writeable=found.flags.writeable)
    return flat, (a.__array_interface__["data"][0] - blo) // item


def storage_positions(a):
    """For each element of a, its index in a's storage (an int64 array shaped as a)."""
    flat, start = _storage(a)
    st = [s // a.itemsize for s in a.strides] if a.size else [0] * a.ndim
    pos = np.full(a.shape, start, np.int64)
    for k, (n, s) in enumerate(zip(a.shape, st)):
        shape = [1] * a.ndim
        shape[k] = n
        pos = pos + (np.arange(n, dtype=np.int64) * s).reshape(shape)
    return pos


def _check_dims(size):
    """PyTorch's refusal of a negative size."""
    for n in size:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: "
                               f"[{', '.join(map(str, size))}]")


_INT64_MAX = 2 ** 63 - 1


def _check_geometry(size, stride, offset, storage_elems, itemsize, name="as_strided"):
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"{name}: Negative strides are not supported at the moment, got "
                           f"strides: [{', '.join(map(str, stride))}]")
    _check_dims(size)
    if len(size) > factories._MAX_DIMS:  # (numpy's own limit, past which its words showed)
        raise RuntimeError(f"a tensor can have at most {factories._MAX_DIMS} dimensions, but "
                           f"{len(size)} were asked for")
    if 0 not in size:  # PyTorch's storage size first, in 64 bits, then its numel overflow
        last = sum((n - 1) * s for n, s in zip(size, stride))
        if (last + 1) * itemsize > _INT64_MAX:
            raise RuntimeError("Storage size calculation overflowed with sizes=[%s] and strides=[%s]"
                               % (", ".join(map(str, size)), ", ".join(map(str, stride))))
    check_view_shape(size, itemsize)  # (not numpy's "array is too big")
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    need = 0 if 0 in size else (offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1)
    if need * itemsize > storage_elems * itemsize:
        raise RuntimeError(
            f"setStorage: sizes [{', '.join(map(str, size))}], strides "
            f"[{', '.join(map(str, stride))}], storage offset {offset}, and itemsize {itemsize} "
            f"requiring a storage size of {need * itemsize} are out of bounds for storage of "
            f"size {storage_elems * itemsize}")
    return size, stride


def _strided_array(flat, size, stride, offset):
    """The numpy view of a flat buffer with these sizes, strides and offset in elements."""
    item = flat.itemsize
    if 0 in size or not flat.size:
        return np.empty(size, flat.dtype)
    return np.ndarray(size, flat.dtype, buffer=flat, offset=offset * item,
                      strides=[s * item for s in stride])


def _ints(v, what, op=None, pos=None):
    """A size or stride argument as a tuple of ints. Given the op's name and the argument's
    position (as a method), its items are checked as PyTorch's parser checks an int list: an
    int, a numpy or program integer (`__index__`) or an integer tensor of one element, never a
    float truncated by int() (as_strided((2.5,), ...) is PyTorch's TypeError, not size 2)."""
    if op is None:
        if isinstance(v, Tensor) or not isinstance(v, (tuple, list)):
            v = (v,) if isinstance(v, int) else v
        if not isinstance(v, (tuple, list, Tensor)):  # never an iterator read without end:
            raise TypeError(f"{what} must be a tuple of ints, not {type(v).__name__}")
        return tuple(int(x) for x in v)
    arg = f"{op}(): argument '{what}' (position {pos}) must be tuple of ints"
    if not isinstance(v, (tuple, list)):
        raise TypeError(f"{arg}, not {errors.type_name(v)}")
    out = []
    for i, x in enumerate(v):
        if isinstance(x, Tensor) and x._data.size == 1 and x._data.dtype.kind in "iu":
            x = x.item()
        elif factories._numpy_int(x) is not None:
            x = factories._numpy_int(x)
        elif factories._program_index(x):
            x = operator.index(x)
        if isinstance(x, bool) and i == 0 or not isinstance(x, (int, np.integer)):
            raise TypeError(f"{arg}, but found element of type {errors.type_name(x)} at pos {i}")
        out.append(int(x))
    return tuple(out)


def _offset(storage_offset, start, op, pos):
    if storage_offset is None:
        return start
    if isinstance(storage_offset, bool) or not isinstance(storage_offset, (int, np.integer)):
        raise TypeError(f"{op}(): argument 'storage_offset' (position {pos}) must be int, not "
                        f"{errors.type_name(storage_offset)}")
    return int(storage_offset)


def _as_strided_array(self, size, stride, storage_offset, op="as_strided", first=1):
    d = self._data
    size, stride = _ints(size, "size", op, first), _ints(stride, "stride", op, first + 1)
    if type(d) is MetaArray:  # (its storage: the root's elements, none of them data)
        offset = _offset(storage_offset, 0, op, first + 2)
        size, stride = _check_geometry(size, stride, offset,
                                       (self._base if self._base is not None else self).numel(),
                                       d.itemsize)
        return empty_meta(size, d.dtype), size, stride, offset
    flat, start = _storage(d)
    offset = _offset(storage_offset, start, op, first + 2)
    size, stride = _check_geometry(size, stride, offset, flat.size, d.itemsize)
    return _strided_array(flat, size, stride, offset), size, stride, offset


def _backward_steps(x, size, stride, offset):
    """The replay step mapping each output element to its position in x (-1 where x does not
    cover the storage element), and the overlap counts of x's elements (None without overlap)."""
    pos = storage_positions(x)
    counts = None
    if pos.size:
        first = np.full(int(pos.max()) + 1, -1, np.int64)
        first[pos.reshape(-1)[::-1]] = np.arange(pos.size - 1, -1, -1)
        c = np.bincount(pos.reshape(-1))
        if c.max() > 1:
            counts = (first[pos], c[pos])
    else:
        first = np.zeros(0, np.int64)
    return (("as_strided", (tuple(size), tuple(stride), offset, first)),), counts


@declare(tensor_first=True)
def as_strided(self, size, stride, storage_offset=None):
    """A view of self's storage with these sizes and strides from storage_offset (default:
    self's own offset)."""
    a, size, stride, offset = _as_strided_array(self, size, stride, storage_offset)
    out = make(a)
    steps, counts = _backward_steps(self._data, size, stride, offset)
    view_of(out, self, "as_strided", steps[0][1])
    if needs_grad(self):
        record(out, AsStridedBackward0, (self,), (self._data.shape, steps, counts,
                                                  _geometry(self, size, stride, offset)))
    return out


def _geometry(x, size, stride, offset):
    """What PyTorch's as_strided_backward builds the gradient on: x's sizes, strides and
    storage offset, and a storage long enough for x and for the output."""
    def end(sz, st, off):
        return off + sum((n - 1) * s for n, s in zip(sz, st)) + 1 if 0 not in sz else 0
    x_stride, x_offset = x.stride(), x.storage_offset()
    return (tuple(x.shape), x_stride, x_offset,
            max(end(x.shape, x_stride, x_offset), end(size, stride, offset)))


AsStridedBackward1 = rule(AsStridedBackward0.rule, name="AsStridedBackward1")


@declare(function=False)
def as_strided_(self, size, stride, storage_offset=None):
    """self itself, given the geometry as_strided would (AsStridedBackward1 on its history)."""
    check_inplace(self)
    a, size, stride, offset = _as_strided_array(self, size, stride, storage_offset, "as_strided_")
    steps, counts = _backward_steps(self._data, size, stride, offset)
    return restride_in_place(self, steps[0], lambda d: a, AsStridedBackward1,
                             (self._data.shape, steps, counts), "as_strided")


@declare(tensor_first=True, method=False)
def as_strided_copy(input, size, stride, storage_offset=None):
    """as_strided's values in a fresh contiguous tensor (AsStridedBackward0_copy)."""
    return _copied(as_strided(input, size, stride, storage_offset))


# ----- as_strided_scatter ------------------------------------------------------------------------
@rule
@_lifted
def AsStridedScatterBackward0(need, g, self_geometry, src_shape, size, stride, storage_offset):
    """PyTorch's rules: src's gradient is g's elements that as_strided reads (of g made
    contiguous); self's is PyTorch's as_strided_scatter_backward, which copies that same slice
    into zeros of self's geometry: self keeps the gradient of the region src overwrote, and
    gets zeros elsewhere (the complement of what the math says; PyTorch 2.13 gives this)."""
    piece = as_strided(g.contiguous(), size, stride, storage_offset)
    gs = None
    if need[0]:  # (as PyTorch builds it: the slice written into a zero storage, read back in
        # self's geometry, so that its graph under create_graph is PyTorch's)
        shape, st = self_geometry
        st = tuple(st) if st is not None else tuple(layout.contiguous_strides(shape))
        offset = 0 if storage_offset is None else int(storage_offset)
        ends = [sum((n - 1) * k for n, k in zip(sz, sd)) + off + 1 if 0 not in sz else 0
                for sz, sd, off in ((shape, st, 0), (size, stride, offset))]
        storage = g.new_zeros(max(ends))
        storage.as_strided(size, stride, offset).copy_(piece)
        gs = storage.as_strided(shape, st, 0)
    return (gs, piece if need[1] else None)


@declare(tensor_first=True)
def as_strided_scatter(self, src, size, stride, storage_offset=None):
    """A copy of self (in its layout) whose elements at as_strided(size, stride,
    storage_offset) of the copy's storage are src's."""
    _tensor_arg(src, "as_strided_scatter", "src")
    if self._requires_grad and not self._data.flags.c_contiguous:
        raise RuntimeError(
            "!self.requires_grad() || self.is_contiguous() INTERNAL ASSERT FAILED at "
            "\"/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp\":4754, please report a "
            "bug to PyTorch. as_strided_scatter is currently only supported for contiguous inputs")
    out = make(layout.like(self._data) if self._data.size else self._data.copy())
    view, size, stride, _ = _as_strided_array(out, size, stride, storage_offset,
                                              "as_strided_scatter", 2)
    if tuple(src.shape) != size:
        raise RuntimeError("expected src to have a size equal to the slice of self. src size = "
                           f"[{', '.join(map(str, src.shape))}], slice size = "
                           f"[{', '.join(map(str, size))}]")
    if view.size:
        view[...] = src._data.astype(view.dtype)
    if needs_grad(self, src):
        st = layout.strides(self._data) if layout.is_dense(self._data) else None
        record(out, AsStridedScatterBackward0, (self, src),
               ((self._data.shape, st), src._data.shape, size, stride, storage_offset))
    return out


# ----- empty_strided, new_empty_strided ----------------------------------------------------------
def _sizes(v, name):
    return _ints(v, name)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """An uninitialized tensor (gradsh fills it with zeros) with these sizes and strides, on a
    storage just large enough for them."""
    factories.check_device(device)
    size, stride = _sizes(size, "size"), _sizes(stride, "stride")
    if len(size) != len(stride):
        raise RuntimeError(f"dimensionality of sizes ({len(size)}) must match dimensionality of "
                           f"strides ({len(stride)})")
    _check_dims(size)
    if any(s < 0 for s in stride):
        raise RuntimeError(f"Storage size calculation overflowed with sizes="
                           f"[{', '.join(map(str, size))}] and strides="
                           f"[{', '.join(map(str, stride))}]")
    nd = factories._np_dtype(dtype)
    need = 0 if 0 in size else 1 + sum((n - 1) * s for n, s in zip(size, stride))
    check_alloc((need,), nd)
    flat = np.zeros(need, nd)
    out = make(_strided_array(flat, size, stride, 0))
    return factories._finish(out, requires_grad)


declare(name="empty_strided", method=False)(empty_strided)


@declare(name="new_empty_strided", function=False)
def new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                      requires_grad=False, pin_memory=False):
    """empty_strided with self's dtype by default."""
    return empty_strided(size, stride, dtype=dtype or self.dtype, device=device,
                         requires_grad=requires_grad)


# ----- slice_inverse ----------------------------------------------------------------------------
@rule
def SliceInverseBackward0(need, g, dim, start, end, step):
    """derivatives.yaml: the gradient sliced as self was sliced from the base."""
    if isinstance(g, Tensor):
        return (slice_dim(g, dim, start, end, step),)
    index = [slice(None)] * g.ndim
    index[dim] = slice(start, end, step)
    return (g[tuple(index)],)


@declare(tensor_first=True, method=True)
def slice_inverse(self, src, dim=0, start=None, end=None, step=1):
    """self (a slice of a tensor like src) seen with src's sizes, strides and storage offset:
    ATen's slice_inverse, an as_strided view of self's storage."""
    if not isinstance(src, Tensor):
        raise TypeError("slice_inverse(): argument 'src' (position 2) must be Tensor, not "
                        f"{type(src).__name__}")
    a, _, _, _ = _as_strided_array(self, tuple(src.shape), src.stride(), src.storage_offset())
    out = make(a)
    steps, _ = _backward_steps(self._data, tuple(src.shape), src.stride(), src.storage_offset())
    view_of(out, self, "as_strided", steps[0][1])
    if needs_grad(self):
        record(out, SliceInverseBackward0, (self,),
               (dim_arg(dim, max(src.ndim, 1)), start, end, step))
    return out
