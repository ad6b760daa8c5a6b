"""Writing into copies at positions (issue 15, branch torchbreadth): index_copy, index_fill,
masked_scatter, take, put, scatter_reduce, select_scatter, slice_scatter, diagonal_scatter, each
with PyTorch's node and its derivatives.yaml formula.

A rule here is written once, with gradsh's ops: on the engine's array lane its arrays are
wrapped as tensors that do not require grad (nothing is recorded) and the result unwrapped."""

import numpy as np

from .. import errors, grad_mode
from ..dtypes import checked_fill
from ..layout import like, strides
from ..tensor import TENSOR_TYPES, Tensor
from .base import backward_op, dim_arg, make, needs_grad, record, rule, save, save_index, save_out
from .index import (_nonempty, _shape_checks, gather, index_select, masked_fill, masked_select, scatter,
                    scatter_add)
from .registry import declare
from .shape import cat, narrow_any, slice_dim
from ..meta import as_array


def _lane(g, *saved):
    """(is the array lane, g and saved as tensors)."""
    arrays = type(g) not in TENSOR_TYPES
    wrap = (lambda x: make(as_array(x)) if isinstance(x, np.ndarray) else x)
    return arrays, [wrap(x) for x in (g,) + saved]


def _out(arrays, *grads):
    return tuple(None if x is None else (x._data if arrays and isinstance(x, Tensor) else x)
                 for x in grads)


def _index(index, name="index", ndim1=True):
    if not isinstance(index, Tensor):
        raise errors.not_tensor(index, name)
    if index._data.dtype != np.int64:
        raise RuntimeError(f"{name}_(): Expected dtype int64 for index" if name != "index" else
                           "index_copy_(): Expected a long tensor for index, but got "
                           f"{index.dtype._short}")
    return index


# ----- index_copy, index_fill -----------------------------------------------------------------
@rule
def IndexCopyBackward0(need, g, dim, index, source_dim, source):
    arrays, (g, index) = _lane(g, index)
    gs = None
    if need[1]:
        gs = index_select(g, dim, index)
        if source_dim == 0:
            gs = gs.squeeze(dim) if gs._data.ndim else gs
    return _out(arrays, index_fill(g, dim, index, 0) if need[0] else None, gs)


@declare(inplace=True, tensor_first=True)
def index_copy(self, dim, index, source):
    """A copy of self with source's slices written at `index` along dim."""
    if not isinstance(source, Tensor):
        raise errors.not_tensor(source, "source")
    d = self._data
    k = dim_arg(dim, max(d.ndim, 1))
    if index._data.dtype != np.int64:
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got "
                           f"{index.dtype._short}")
    if index._data.ndim > 1:
        raise IndexError("index_copy_(): Index should have dimension 1 or 0 (got "
                         f"{index._data.ndim})")
    if source._data.dtype != d.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but "
                           f"got (self) {self.dtype._short} and (source) {source.dtype._short}")
    idx = index._data.reshape(-1)
    n = d.shape[k] if d.ndim else 1
    if d.ndim and source._data.ndim and d.ndim != source._data.ndim:
        raise IndexError("index_copy_(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({source._data.ndim}"
                         f"), destination dimensionality ({d.ndim})")
    given = source._data.shape[k] if source._data.ndim else 1
    if idx.size != given:
        raise IndexError(f"index_copy_(): Number of indices ({idx.size}) should be equal to "
                         f"source.size(dim) ({given})")
    if idx.size and (idx.min() < 0 or idx.max() >= n):  # (no negative index, as PyTorch)
        bad = idx[(idx < 0) | (idx >= n)][0]
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {k} with "
                         f"size {n}")
    out = d.copy()  # (contiguous, as PyTorch's index_copy)
    src = source._data
    if d.ndim == 0:
        out[...] = src.reshape(())
    else:
        key = [slice(None)] * d.ndim
        key[k] = idx
        want = d.shape[:k] + (idx.size,) + d.shape[k + 1:]
        if src.size != int(np.prod(want)):
            raise RuntimeError(f"index_copy_(): Source/destination tensor must have same slice "
                               f"shapes. Destination slice shape: {errors.shape_str(want)} at "
                               f"dimension {k} and source slice shape: "
                               f"{errors.shape_str(src.shape)} at dimension 0.")
        out[tuple(key)] = src.reshape(want)
    out = make(out)
    if needs_grad(self, source):
        # (PyTorch saves the index, and the source only for the source's gradient)
        si = save_index(index)
        record(out, IndexCopyBackward0, (self, source), (
            k, si, source._data.ndim, save(source, "source") if needs_grad(source) else None))
    return out


@rule
def IndexFillBackward0(need, g, dim, index):
    arrays, (g, index) = _lane(g, index)
    return _out(arrays, index_fill(g, dim, index, 0))


@rule
def IndexFillBackward1(need, g, dim, index):
    arrays, (g, index) = _lane(g, index)
    gv = None
    if need[1]:
        gv = index_select(g, dim, make(np.unique(index._data))).sum()
    return _out(arrays, index_fill(g, dim, index, 0) if need[0] else None, gv)


@declare(inplace=True, tensor_first=True)
def index_fill(self, dim, index, value):
    """A copy of self with `value` at the positions `index` names along dim."""
    d = self._data
    k = dim_arg(dim, max(d.ndim, 1))
    if not isinstance(index, Tensor):
        raise errors.not_tensor(index, "index")
    if index._data.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index._data.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    idx = index._data.reshape(-1)
    n = d.shape[k] if d.ndim else 1
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = idx[(idx < -n) | (idx >= n)][0]
        raise IndexError(f"index {bad} is out of bounds for dimension {k} with size {n}")
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    v = value._data if isinstance(value, Tensor) else checked_fill(value, d.dtype)
    out = like(d)
    if d.ndim == 0:
        if idx.size:
            out[...] = v
    else:
        key = [slice(None)] * d.ndim
        key[k] = idx
        out[tuple(key)] = v
    out = make(out)
    if isinstance(value, Tensor):
        if needs_grad(self, value):
            record(out, IndexFillBackward1, (self, value), (k, save_index(index)))
    elif needs_grad(self):
        record(out, IndexFillBackward0, (self,), (k, save_index(index)))
    return out


# ----- masked_scatter -------------------------------------------------------------------------
def _masked_scatter_backward_value(g, mask, sizes):
    picked = g[np.broadcast_to(mask, g.shape)]
    n = int(np.prod(sizes))
    if n > picked.size:
        picked = np.concatenate([picked, np.zeros(n - picked.size, g.dtype)])
    return picked.reshape(sizes)


@rule
def MaskedScatterBackwardBackward0(need, g, grad_output, mask, sizes):
    arrays, (g, mask) = _lane(g, mask)
    return _out(arrays, masked_scatter(g.new_zeros(grad_output.shape if not arrays else
                                                   grad_output.shape), mask, g))


@rule
def MaskedScatterBackward0(need, g, mask, sizes):
    m = mask._data if type(mask) in TENSOR_TYPES else mask
    m = np.broadcast_to(m, tuple(g.shape))  # (the mask as given: it may broadcast)
    gs = None
    if need[1]:
        gs = backward_op(MaskedScatterBackwardBackward0, _masked_scatter_backward_value, g,
                         (), (m, sizes))
    gm = None
    if need[0]:
        gm = masked_fill(g, make(as_array(m)), 0) if type(g) in TENSOR_TYPES else np.where(m, 0, g)
    return (gm, gs)


@declare(inplace=True, tensor_first=True)
def masked_scatter(self, mask, source):
    """A copy of self with source's first elements written, in order, where mask holds."""
    if not isinstance(mask, Tensor):
        raise errors.not_tensor(mask, "mask")
    if not isinstance(source, Tensor):
        raise errors.not_tensor(source, "source")
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_scatter_: expected BoolTensor for mask")
    if source._data.dtype != self._data.dtype:
        # (sic: PyTorch's message has no space after "got")
        raise RuntimeError("masked_scatter: expected self and source to have same dtypes but got"
                           f"{self.dtype._short} and {source.dtype._short}")
    try:
        shape = np.broadcast_shapes(self._data.shape, m.shape)
    except ValueError:
        raise errors.broadcast_error(self._data.shape, m.shape) from None
    out = np.broadcast_to(self._data, shape).copy()
    mb = np.broadcast_to(m, shape)
    k = int(mb.sum())
    src = source._data.reshape(-1)
    if src.size < k:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out[mb] = src[:k]
    out = make(out)
    if needs_grad(self, source):
        record(out, MaskedScatterBackward0, (self, source), (save_index(mask), source._data.shape))
    return out


# ----- take, put ------------------------------------------------------------------------------
def _flat_index(index, n, op):
    if not isinstance(index, Tensor):
        raise errors.not_tensor(index, "index")
    if index._data.dtype != np.int64:
        raise RuntimeError(f"{op}(): Expected a long tensor for index, but got "
                           f"{index.dtype._short}")
    i = index._data
    if i.size and (i.min() < -n or i.max() >= n):
        bad = i[(i < -n) | (i >= n)].reshape(-1)[0]
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} "
                         "elements.")
    return np.where(i < 0, i + n, i)


@rule
def TakeBackward0(need, g, self, index):
    arrays, (g, self, index) = _lane(g, self, index)
    return _out(arrays, put(make(np.zeros(self._data.shape, g._data.dtype)), index, g, True))


@declare(tensor_first=True)
def take(self, index):
    """The elements at the flat positions `index`, shaped like index."""
    d = self._data
    i = _flat_index(index, d.size, "take")
    if d.size == 0 and i.size:
        raise IndexError("take(): tried to take from an empty tensor")
    out = make(d.reshape(-1)[i].reshape(i.shape).copy() if d.size else np.zeros(i.shape, d.dtype))
    if needs_grad(self):
        si = save_index(index)  # (PyTorch packs the index first)
        record(out, TakeBackward0, (self,), (save(self, "self"), si))
    return out


@rule
def PutBackward0(need, g, index, source_shape, accumulate, source):
    arrays, (g, index) = _lane(g, index)
    gself = gsrc = None
    if need[0]:
        gself = g if accumulate else put(g, index, make(np.zeros(source_shape, g._data.dtype)))
    if need[1]:
        gsrc = take(g, index).reshape(source_shape)
    return _out(arrays, gself, gsrc)


@declare(inplace=True, tensor_first=True)
def put(self, index, source, accumulate=False):
    """A copy of self with source written (or added) at the flat positions `index`."""
    if not isinstance(source, Tensor):
        raise errors.not_tensor(source, "source")
    d = self._data
    i = _flat_index(index, d.size, "put_")
    if source._data.dtype != d.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {self.dtype._short} and source.dtype = "
                           f"{source.dtype._short}")
    if i.size != source._data.size:
        raise RuntimeError(f"put_(): Expected source and index to have the same number of "
                           f"elements, but got source.numel() = {source._data.size}, "
                           f"index.numel() = {i.size}")
    out = like(d)
    # (a 0-d self is one element: positions in its 1-element view)
    target = out if d.ndim else out.reshape(1)
    positions = np.unravel_index(i.reshape(-1), target.shape)
    if accumulate:
        np.add.at(target, positions, source._data.reshape(-1))
    else:
        target[positions] = source._data.reshape(-1)
    out = make(out)
    if needs_grad(self, source):
        # (PyTorch saves the index, and the source where a gradient reads its shape: self's
        # without accumulate, the source's own)
        si = save_index(index)
        record(out, PutBackward0, (self, source), (
            si, source._data.shape, bool(accumulate),
            save(source, "source") if needs_grad(source) or (not accumulate and needs_grad(self))
            else None))
    return out


# ----- scatter_reduce -------------------------------------------------------------------------
_REDUCES = ("sum", "prod", "mean", "amax", "amin")


@rule
def ScatterReduceBackward0(need, g, self, dim, index, src, reduce, include_self, result):
    arrays, (g, self, index, src, result) = _lane(g, self, index, src, result)
    if reduce not in _REDUCES:
        raise RuntimeError("Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', 'amin' "
                           f"but got {reduce}.")
    if reduce == "sum":
        gself, gsrc = g, gather(g, dim, index)
    elif reduce == "prod":
        masked_self = masked_fill(self, make(self._data == 0), 1)
        masked_self_result = scatter_reduce(masked_self, dim, index, src, reduce,
                                            include_self=include_self)
        gself = g * masked_self_result / masked_self
        src_zero = make(src._data == 0)
        src_num_zeros = gather(scatter_add(make(np.zeros(self._data.shape, self._data.dtype)),
                                           dim, index, src_zero.to(self.dtype)), dim, index)
        src_single_zero = make(src_zero._data & (src_num_zeros._data == 1))
        masked_src = masked_fill(src, src_single_zero, 1)
        masked_src_result = scatter_reduce(self, dim, index, masked_src, reduce,
                                           include_self=include_self)
        gsrc = gather(g * masked_src_result, dim, index).where(
            src_single_zero, gather(g * result, dim, index) / masked_fill(src, src_zero, 1))
        if grad_mode.state.enabled and (src_num_zeros._data > 1).any():
            raise RuntimeError("scatter_reduce(): Double backward is unsupported for src when "
                               ">1 zeros in src are scattered to the same position in self")
    elif reduce == "mean":
        n = make(np.ones(g._data.shape, g._data.dtype) if include_self else
                 np.zeros(g._data.shape, g._data.dtype))
        n = scatter_add(n, dim, index, make(np.ones(src._data.shape, g._data.dtype)))
        n = masked_fill(n, make(n._data == 0), 1)
        gself = g / n
        gsrc = gather(g, dim, index) / gather(n, dim, index)
    else:
        value = gather(result, dim, index)
        self_is = make((self._data == result._data).astype(self._data.dtype))
        src_is = make((src._data == value._data).astype(self._data.dtype))
        spread = g / scatter_add(self_is, dim, index, src_is)
        gself = make(self._data == result._data) * spread
        gsrc = make(src._data == value._data) * gather(spread, dim, index)
    if not include_self:
        gself = scatter(gself, dim, index, value=0)
    return _out(arrays, gself if need[0] else None, gsrc if need[1] else None)


def _reduce_into(out, key, src, reduce, include_self):
    """out (a copy of self) reduced at key with src, as scatter_reduce does."""
    touched = np.zeros(out.shape, bool)
    touched[key] = True
    if reduce in ("sum", "mean"):
        if not include_self:
            out[touched] = 0
        np.add.at(out, key, src)
        if reduce == "mean":
            count = np.zeros(out.shape, np.int64) + (1 if include_self else 0)
            np.add.at(count, key, 1)
            count[count == 0] = 1
            out[...] = (out / count).astype(out.dtype) if out.dtype.kind in "fV" else \
                np.floor_divide(out, count).astype(out.dtype)
    elif reduce == "prod":
        if not include_self:
            out[touched] = 1
        np.multiply.at(out, key, src)
    else:
        fn = np.maximum if reduce == "amax" else np.minimum
        if not include_self:
            fill = (-np.inf if reduce == "amax" else np.inf) if out.dtype.kind in "fV" else (
                np.iinfo(out.dtype).min if reduce == "amax" else np.iinfo(out.dtype).max)
            out[touched] = fill
        fn.at(out, key, src)
    return out


@declare(inplace=True, tensor_first=True)
def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
    """self with src's values reduced ("sum", "prod", "mean", "amax", "amin") into the positions
    `index` names along dim."""
    if reduce not in _REDUCES + ("max", "min"):  # (the old names reduce, but do not derive)
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    if not isinstance(src, Tensor):
        raise errors.not_tensor(src, "src")
    d = self._data
    k = dim_arg(dim, max(d.ndim, 1))
    if index._data.dtype not in (np.int64, np.int32):  # (PyTorch's words name scatter)
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if src._data.dtype != d.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    idx = index._data.astype(np.int64, copy=False)
    if not idx.size:  # an empty index is not checked: self is kept
        return self.clone()
    _shape_checks(d, idx, k, src._data, False)
    n = d.shape[k] if d.ndim else 1
    if idx.size and (idx.min() < 0 or idx.max() >= n):  # (no negative index, as PyTorch)
        raise RuntimeError(f"index {idx[(idx < 0) | (idx >= n)].reshape(-1)[0]} is out of "
                           f"bounds for dimension {k} with size {n}")
    # (a 0-d self, index or src is one element along dim 0, as PyTorch's kernels read it)
    idx = idx.reshape(_nonempty(idx.shape))
    grids = np.indices(idx.shape, sparse=True)
    key = tuple(np.where(idx < 0, idx + n, idx) if j == k else grids[j]
                for j in range(idx.ndim))
    sub = src._data.reshape(_nonempty(src._data.shape))[tuple(slice(0, s) for s in idx.shape)]
    out = d.reshape(_nonempty(d.shape)).copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = _reduce_into(out, key, sub, {"max": "amax", "min": "amin"}.get(reduce, reduce),
                           include_self)
    out = make(out.reshape(d.shape))
    if needs_grad(self, src):
        si = save_index(index)  # (PyTorch packs the index first)
        record(out, ScatterReduceBackward0, (self, src),
               (save(self, "self"), k, si, save(src, "src"), reduce, include_self, save_out(out)))
    return out


# ----- select_scatter, slice_scatter, diagonal_scatter ---------------------------------------
def _same_strides(d):
    """A copy of d with d's own strides, in a storage of its own (PyTorch's
    clone_preserve_strides); a tensor whose elements overlap is cloned."""
    st = strides(d)
    if any(s == 0 and n > 1 for s, n in zip(st, d.shape)) or d.size == 0:
        return like(d)
    span = 1 + sum((n - 1) * s for n, s in zip(d.shape, st))
    buf = np.zeros(span, d.dtype)
    out = np.lib.stride_tricks.as_strided(buf, d.shape, [s * d.itemsize for s in st])
    out[...] = d
    return out


def _embed_check(name, target_shape, src):
    if tuple(src._data.shape) != tuple(target_shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{errors.shape_str(src._data.shape)}, slice size = "
                           f"{errors.shape_str(target_shape)}")


@rule
def SelectScatterBackward0(need, g, dim, index, src_shape):
    arrays, (g,) = _lane(g)
    zeros = make(np.zeros(src_shape, g._data.dtype))
    return _out(arrays, select_scatter(g, zeros, dim, index) if need[0] else None,
                g.select(dim, index) if need[1] else None)


@declare(tensor_first=True)
def select_scatter(self, src, dim, index):
    """A copy of self with src written at `index` along dim (where select would read)."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    n = d.shape[k]
    if not -n <= index < n:
        too_wide = errors.overflow_int64(index)  # (the parser's refusal comes before)
        if too_wide is not None:
            raise too_wide
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{errors.shape_str(d.shape)} at dimension {k}")
    key = (slice(None),) * k + (index,)
    _embed_check("select_scatter", d[key].shape, src)
    out = _same_strides(d)
    out[key] = src._data
    out = make(out)
    if needs_grad(self, src):
        record(out, SelectScatterBackward0, (self, src), (k, index, src._data.shape))
    return out


@rule
def SliceScatterBackward0(need, g, dim, start, end, step, src_shape):
    arrays, (g,) = _lane(g)
    zeros = make(np.zeros(src_shape, g._data.dtype))
    return _out(arrays, slice_scatter(g, zeros, dim, start, end, step) if need[0] else None,
                slice_dim(g, dim, start, end, step) if need[1] else None)


@declare(tensor_first=True)
def slice_scatter(self, src, dim=0, start=None, end=None, step=1):
    """A copy of self with src written where self[..., start:end:step] (along dim) would read."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    for bound in (start, end, step):
        errors.long(bound)
    key = (slice(None),) * k + (slice(start, end, step),)
    _embed_check("slice_scatter", d[key].shape, src)
    out = _same_strides(d)
    out[key] = src._data
    out = make(out)
    if needs_grad(self, src):
        record(out, SliceScatterBackward0, (self, src), (k, start, end, step, src._data.shape))
    return out


@rule
def DiagonalScatterBackward0(need, g, offset, dim1, dim2, src_shape):
    arrays, (g,) = _lane(g)
    zeros = make(np.zeros(src_shape, g._data.dtype))
    return _out(arrays, diagonal_scatter(g, zeros, offset, dim1, dim2) if need[0] else None,
                g.diagonal(offset, dim1, dim2) if need[1] else None)


@declare(tensor_first=True)
def diagonal_scatter(self, src, offset=0, dim1=0, dim2=1):
    """A copy of self with src written on the diagonal (offset, dim1, dim2)."""
    d = self._data
    out = make(_same_strides(d))
    target = out.diagonal(offset, dim1, dim2)
    _embed_check("diagonal_scatter", target._data.shape, src)
    target._data[...] = src._data
    out = make(out._data)
    if needs_grad(self, src):
        a, b = dim_arg(dim1, d.ndim), dim_arg(dim2, d.ndim)
        record(out, DiagonalScatterBackward0, (self, src), (offset, a, b, src._data.shape))
    return out
