"""index_reduce / index_reduce_ (beta in PyTorch): source's slices reduced into self's at the
positions `index` names along dim (prod, mean, amax, amin; self's values taking part unless
include_self=False), with PyTorch's IndexReduceBackward0 (derivatives.yaml's
index_reduce_backward, written with gradsh's ops)."""


import numpy as np

from .. import errors
from ..tensor import Tensor
from .base import dim_arg, make, needs_grad, record, rule, save, save_out
from .index import index_add, index_select, masked_fill
from .pointwise import where
from .registry import declare
from .scatters import _lane, _out, index_fill

_REDUCES = ("prod", "mean", "amax", "amin")
_warned = errors.once_flags([])


@rule
def IndexReduceBackward0(need, g, self, dim, index, source, reduce, include_self, result):
    arrays, (g, self, index, source, result) = _lane(g, self, index, source, result)
    dt = self.dtype
    if reduce == "prod":
        masked_self = masked_fill(self, self == 0, 1)
        masked_self_result = index_reduce(masked_self, dim, index, source, reduce,
                                          include_self=include_self)
        gs = g * masked_self_result / masked_self
        src_zero = source == 0
        src_num_zeros = index_select(index_add(self.new_zeros(self.shape), dim, index,
                                               src_zero.to(dt)), dim, index)
        single = src_zero & (src_num_zeros == 1)
        masked_src = masked_fill(source, single, 1)
        masked_src_result = index_reduce(self, dim, index, masked_src, reduce,
                                         include_self=include_self)
        gsrc = where(single, index_select(g * masked_src_result, dim, index),
                     index_select(g * result, dim, index) / masked_fill(source, src_zero, 1))
    elif reduce == "mean":
        n = g.new_ones(g.shape) if include_self else g.new_zeros(g.shape)
        n = index_add(n, dim, index, source.new_ones(source.shape))
        n = masked_fill(n, n == 0, 1)
        gs = g / n
        gsrc = index_select(g, dim, index) / index_select(n, dim, index)
    else:
        value = index_select(result, dim, index)
        self_is_result = (self == result).to(dt)
        source_is_result = (source == value).to(dt)
        distributed = g / index_add(self_is_result, dim, index, source_is_result)
        gs = self_is_result * distributed
        gsrc = source_is_result * index_select(distributed, dim, index)
    if not include_self:
        gs = index_fill(gs, dim, index, 0)
    return _out(arrays, gs if need[0] else None, gsrc if need[1] else None)


def _check(self, k, index, source, reduce, include_self):
    """PyTorch's checks, in its order and words."""
    if reduce not in _REDUCES:
        raise RuntimeError("index_reduce(): Expected reduce to be one of prod, mean, amax or amin "
                           f"but got {reduce}.")
    if not isinstance(index, Tensor):
        raise errors.not_tensor(index, "index")
    if not isinstance(source, Tensor):
        raise errors.not_tensor(source, "source")
    if index.ndim > 1:
        raise IndexError(f"index_reduce_(): Index is supposed to be a vector, but got dim: "
                         f"{index.ndim} with type: {index.dtype._short} and size: "
                         f"[{', '.join(map(str, index.shape))}]")
    if index._data.dtype not in (np.int32, np.int64):
        raise RuntimeError("index_reduce_(): Expected dtype int32/int64 for index but got: "
                           f"{index.dtype._short}")
    if self._data.dtype != source._data.dtype:
        raise RuntimeError(f"index_reduce_(): self ({self.dtype._short}) and source "
                           f"({source.dtype._short}) must have the same scalar type")
    n_src = source.shape[k] if source.ndim else 1
    if index._data.size != n_src:
        raise RuntimeError(f"index_reduce_(): Number of indices ({index._data.size}) should be "
                           f"equal to source.size(dim): ({n_src}), for dim: {k}")
    s_other = [n for j, n in enumerate(self.shape) if j != k]
    o_other = [n for j, n in enumerate(source.shape) if j != k]
    if self.ndim != source.ndim and self.ndim * source.ndim == 0 or \
            self.ndim and source.ndim and s_other != o_other:  # (a 0-d self or source too)
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified dimension. "
            f"Got self.shape = [{', '.join(map(str, self.shape))}] source.shape = "
            f"[{', '.join(map(str, source.shape))}]")
    n = self.shape[k] if self.ndim else 1
    idx = index._data.reshape(-1).astype(np.int64)
    if idx.size and (idx.min() < 0 or idx.max() >= n):  # (no negative index, as PyTorch)
        if not include_self and idx.max() >= n:  # (the kernel that first fills the
            bad = idx[idx >= n][0]                  # slices names an index past the end)
            raise IndexError(f"index {bad} is out of bounds for dimension {k} with size {n}")
        raise IndexError("index out of range in self")
    if not include_self and self._data.dtype == np.bool_:
        raise NotImplementedError(
            "\"index_reduce_func_exclude_input_init\" not implemented for 'Bool'")
    return np.where(idx < 0, idx + n, idx)


@declare(inplace=True, tensor_first=True)
def index_reduce(self, dim, index, source, reduce, *, include_self=True):
    """self with source's slices reduced (prod, mean, amax, amin) into the slices `index`
    names along dim; include_self=False leaves self's values at those slices out."""
    if not _warned:
        _warned.append(True)
        errors.warn("index_reduce() is in beta and the API may change at any time."
                    + errors.triggered_at("aten/src/ATen/native/TensorAdvancedIndexing.cpp:1523"),
                    UserWarning, stacklevel=3)
    d = self._data
    k = dim_arg(dim, max(d.ndim, 1))
    idx = _check(self, k, index, source, reduce, include_self)
    out = np.array(d, copy=True, order="C")  # (contiguous, as PyTorch's result)
    o = out.reshape(1) if out.ndim == 0 else np.moveaxis(out, k, 0)
    s = source._data.reshape(1) if source._data.ndim == 0 else np.moveaxis(source._data, k, 0)
    hit = np.unique(idx)
    kind = d.dtype.kind
    if reduce == "prod":
        if not include_self:
            o[hit] = 1
        np.multiply.at(o, idx, s)
    elif reduce == "mean":
        count = np.ones(o.shape[0], np.int64) if include_self else np.zeros(o.shape[0], np.int64)
        if not include_self:
            o[hit] = 0
        np.add.at(o, idx, s)
        np.add.at(count, idx, 1)
        count = np.maximum(count, 1).reshape((-1,) + (1,) * (o.ndim - 1))
        o[...] = o // count.astype(o.dtype) if kind in "iub" else o / count.astype(o.dtype)
    else:
        if not include_self:
            if kind == "f":
                o[hit] = -np.inf if reduce == "amax" else np.inf
            else:
                info = np.iinfo(d.dtype)
                o[hit] = info.min if reduce == "amax" else info.max
        (np.maximum if reduce == "amax" else np.minimum).at(o, idx, s)
    result = make(out)
    if needs_grad(self, source):
        record(result, IndexReduceBackward0, (self, source),
               (save(self, "self"), k, save(index, "index"), save(source, "source"), reduce,
                include_self, save_out(result)))
    return result
