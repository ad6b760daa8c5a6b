"""Sorting: sort, argsort, topk. Values are differentiable (the gradient goes back to where each
value came from); indices are not."""

import functools

import numpy as np

from .. import errors
from ..memory import check_alloc
from ..return_types import return_type
from ..tensor import Tensor, int_arg
from . import prim as P
from . import selection
from .base import (ALL_DIMS, KEEPDIM_UNSET, dim_arg, make, needs_grad, preserving_result, record, record_multi,
                   rule, save, save_out, torch_dtype)
from .base import contiguous_result as result  # contiguous, except sort's (as PyTorch's)
from .reduce import SortResult, TopkResult, _evenly, _select_back
from .index import _grid
from .registry import declare
from ..meta import MetaArray, as_array, no_meta_kernel

MedianResult = return_type("median")
KthvalueResult = return_type("kthvalue")
ModeResult = return_type("mode")


def _order(d, k, descending):
    """Stable sort order along axis k; NaN counts as the largest value, as in PyTorch."""
    if d.ndim == 0 or d.size == 0:
        return np.zeros(d.shape, np.int64)
    if d.dtype.kind == "b":
        d = d.astype(np.int8)
    if not descending:
        return np.argsort(d, axis=k, kind="stable")
    if d.dtype.kind in "fV":
        # Primary key: not-NaN (NaNs first), secondary: -value; lexsort is stable.
        dm = np.moveaxis(d, k, -1)
        flat = dm.reshape(-1, dm.shape[-1])
        rows = [np.lexsort((-r, ~np.isnan(r))) for r in flat] if flat.size else []
        order = np.array(rows, np.int64).reshape(dm.shape)
        return np.moveaxis(order, -1, k)
    return np.argsort(-d.astype(np.int64), axis=k, kind="stable")


def _scatter_back(g, shape, dim, indices):
    """A zero tensor of `shape` with g put back at `indices` along dim."""
    idx = P.data(indices)
    if len(shape) == 0:
        return g
    dim = (dim - (1 << 64) if dim >= 1 << 63 else dim) % len(shape)  # (saved as PyTorch's uint64)
    grids = np.indices(idx.shape, sparse=True)
    key = tuple(idx if i == dim else grids[i] for i in range(len(shape)))
    return P.scatter_into(shape, key, g)


@rule(n_outputs=2)
def SortBackward0(need, g, shape, dim, indices):
    return (_scatter_back(g[0], shape, dim, indices),)


@rule(n_outputs=2)
def TopkBackward0(need, g, shape, dim, indices):
    return (_scatter_back(g[0], shape, dim, indices),)


@rule(n_outputs=2)
def SortBackward1(need, g, shape, dim, indices):  # sort.stable: `stable=` given
    return SortBackward0.rule(need, g, shape, dim, indices)


_NOT_GIVEN = type("NotGiven", (), {"__repr__": lambda self: "False"})()


def _stable_by_keyword_only(fn):
    """fn refusing `stable=` beside a positional dim or descending, as PyTorch's two overloads
    do: the one with `stable` takes every argument by keyword (`sort(*, stable, dim=-1,
    descending=False)`), the other knows no `stable`. The TypeError becomes PyTorch's words
    where the call is read back (core/argcheck.py, from its signatures)."""
    @functools.wraps(fn)
    def call(self, *args, **kwargs):
        if args and "stable" in kwargs:
            raise TypeError("%s(): stable= is keyword-only with dim and descending"
                            % fn.__name__)
        return fn(self, *args, **kwargs)
    return call


@declare(tensor_first=True)
@_stable_by_keyword_only
def sort(self, dim=-1, descending=False, *, stable=_NOT_GIVEN):
    """(values, indices) sorted along dim (ascending unless descending); ties keep their order.
    `stable=` (keyword only) is PyTorch's other overload, whose node is SortBackward1."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    order = _order(d, k, descending)
    if stable is _NOT_GIVEN or not stable:
        order = _unstable_order(d, k, order, descending)
    values = preserving_result(np.take_along_axis(d, order, k) if d.ndim else d.copy(), d)
    indices = preserving_result(as_array(order, np.int64), d)
    if needs_grad(self):
        node = SortBackward0 if stable is _NOT_GIVEN else SortBackward1
        # (the dim as given, read as PyTorch's node stores it: an unsigned 64-bit number)
        record_multi([values, None], node, (self,),
                     (d.shape, dim % (1 << 64), save(indices, "indices")))
    return SortResult._of(values, indices)


@declare(tensor_first=True)
@_stable_by_keyword_only
def argsort(self, dim=-1, descending=False, *, stable=False):
    """The indices that sort the tensor along dim."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    order = _order(d, k, descending)
    if not stable:
        order = _unstable_order(d, k, order, descending)
    return preserving_result(as_array(order, np.int64), d)


@declare
def topk(self, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the k largest (or smallest) elements along dim."""
    d = self._data
    kd = dim_arg(dim, d.ndim)
    n = d.shape[kd] if d.ndim else 1
    if k < 0 or k > n:
        raise RuntimeError("selected index k out of range")
    order = _order(d, kd, largest)
    if d.ndim:
        order = _topk_order(d, kd, np.take(order, np.arange(k), axis=kd), largest, sorted)
        values = result(np.take_along_axis(d, order, kd))
    else:
        values = result(d.copy() if k else d.reshape(0)[:0])
    indices = result(as_array(order, np.int64))
    if needs_grad(self):
        record_multi([values, None], TopkBackward0, (self,),
                     (d.shape, dim % (1 << 64), save(indices, "indices")))
    return TopkResult._of(values, indices)


# Rows longer than this keep numpy's stable order among ties (the kernels' order is redone in
# Python, a few microseconds per comparison): docs/autograd.md, "What differs".
KERNEL_ORDER_MAX = 2048


def _kernel_order(d, dim, stable, redo_row, every_row=False):
    """`stable` (indices along dim, numpy's stable order) with the rows where PyTorch's kernel
    orders otherwise redone: rows with ties (two equal values or two NaN), or every row;
    `redo_row(values, width)` gives one row's indices (a list)."""
    if not d.size:  # (no rows to redo; reshape(-1, 0) would not know the row count)
        return stable
    rows = np.moveaxis(d, dim, -1).reshape(-1, d.shape[dim])
    n, width = rows.shape[1], stable.shape[dim]
    if not n or not width or n > KERNEL_ORDER_MAX:
        return stable
    moved = np.moveaxis(stable, dim, -1)
    if every_row:
        redo = np.ones(rows.shape[0], bool)
    else:  # (a full stable order gives the sorted rows by a gather, cheaper than a sort)
        ordered = (np.take_along_axis(rows, moved.reshape(-1, width), 1) if width == n
                   else np.sort(rows, axis=1))
        redo = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if rows.dtype.kind in "fV":
            redo |= np.isnan(rows).sum(axis=1) > 1
        if not redo.any():
            return stable
    out = moved.reshape(-1, width).copy()
    for r in np.flatnonzero(redo):
        out[r] = redo_row(rows[r].tolist(), width)
    return np.moveaxis(out.reshape(moved.shape), -1, dim)


def _topk_order(d, dim, stable, largest, sorted_):
    """PyTorch's topk indices along dim (selection.topk_row): a sorted result without ties is
    the stable order's first k; an unsorted one is nth_element's arrangement."""
    k = stable.shape[dim] if d.ndim else 0
    every_row = not sorted_ and k * 64 > (d.shape[dim] if d.ndim else 0)
    return _kernel_order(d, dim, stable, lambda values, k: selection.topk_row(
        values, k, largest, sorted_), every_row)


def _unstable_order(d, dim, stable, descending):
    """sort(stable=False)'s indices: PyTorch's std::sort, which (an insertion sort up to 16
    elements) differs from a stable sort only in longer rows with ties."""
    if d.ndim == 0 or d.shape[dim] <= 16:
        return stable
    return _kernel_order(d, dim, stable, lambda values, n: selection.sort_row(values, descending))


@rule
def MedianBackward0(need, g, x, r):
    return (_evenly(g, x, r),)


@rule(n_outputs=2)
def MedianBackward1(need, g, shape, dim, indices, keepdim):
    return (_select_back(g[0], shape, dim, indices, keepdim),)


@declare(tensor_first=True)
def median(self, dim=ALL_DIMS, keepdim=KEEPDIM_UNSET):
    """The lower median of all elements; with dim, (values, indices) of the lower median along
    it. NaN wins (the result is NaN, its index the first NaN), as in PyTorch."""
    d = self._data
    if dim is ALL_DIMS:
        if keepdim is not KEEPDIM_UNSET:  # (PyTorch's signature takes keepdim after dim)
            raise TypeError("median() missing 1 required positional arguments: \"dim\"")
        flat = d.reshape(-1)
        if flat.size == 0:
            value = as_array(np.nan, d.dtype)
        elif d.dtype.kind in "fV" and np.isnan(flat).any():
            value = as_array(np.nan, d.dtype)
        else:
            value = np.sort(flat)[(flat.size - 1) // 2]
        out = make(as_array(value, d.dtype))
        if needs_grad(self):
            record(out, MedianBackward0, (self,), (save(self, "self"), save_out(out)))
        return out
    k = dim_arg(dim, d.ndim)
    idx = None
    if d.ndim:
        n = d.shape[k]
        if n == 0:
            raise IndexError(f"median(): Expected reduction dim {k} to have non-zero size.")
        # ties: the stable order's choice (PyTorch's selection may pick another tied index)
        idx = np.take(_order(d, k, False), [(n - 1) // 2], axis=k)
        if d.dtype.kind in "fV":
            nan = np.isnan(d)
            first_nan = np.expand_dims(np.argmax(nan, axis=k), k)
            idx = np.where(np.expand_dims(nan.any(axis=k), k), first_nan, idx)
    return _selected(self, k, idx, keepdim, MedianBackward1, MedianResult)


NanmedianResult = return_type("nanmedian")
NanmedianBackward0 = rule(MedianBackward0.rule, name="NanmedianBackward0")
NanmedianBackward1 = rule(MedianBackward1.rule, n_outputs=2, name="NanmedianBackward1")


def _nan_last_lower_median(d, k):
    """Per slice along k, the index of the lower median of the non-NaN values (NaNs sort
    last), or of the first NaN where a slice holds nothing else."""
    order = _order(d, k, False)
    count = np.expand_dims((~np.isnan(d)).sum(axis=k) if d.dtype.kind in "fV"
                           else np.full(np.delete(d.shape, k), d.shape[k]), k)
    idx = np.take_along_axis(order, np.where(count > 0, (count - 1) // 2, 0), axis=k)
    if (count == 0).any():
        # all NaN: PyTorch's std::nth_element(0) over indices that all compare equal
        q = list(range(d.shape[k]))
        selection.nth_element(q, 0, lambda a, b: False)
        idx = np.where(count == 0, q[0], idx)
    return idx


@declare(tensor_first=True)
def nanmedian(self, dim=ALL_DIMS, keepdim=KEEPDIM_UNSET):
    """median ignoring NaNs: the lower median of the other values (NaN where there are none);
    with dim, (values, indices)."""
    d = self._data
    if dim is ALL_DIMS:
        if keepdim is not KEEPDIM_UNSET:  # (PyTorch's signature takes keepdim after dim)
            raise TypeError("nanmedian() missing 1 required positional arguments: \"dim\"")
        flat = d.reshape(-1)
        if d.dtype.kind in "fV":
            flat = flat[~np.isnan(flat)]
        value = np.sort(flat)[(flat.size - 1) // 2] if flat.size else np.nan
        out = make(as_array(value, d.dtype))
        if needs_grad(self):
            record(out, NanmedianBackward0, (self,), (save(self, "self"), save_out(out)))
        return out
    k = dim_arg(dim, d.ndim)
    idx = None
    if d.ndim:
        if d.shape[k] == 0:
            raise IndexError(f"median(): Expected reduction dim {k} to have non-zero size.")
        idx = _nan_last_lower_median(d, k)
    return _selected(self, k, idx, keepdim, NanmedianBackward1, NanmedianResult)


def _selected(self, k, idx, keepdim, node, result_type):
    """(values, indices) of one element per slice along dim k, at positions idx (size 1 along
    k; None for a 0-d self), recorded by `node` (median(dim), kthvalue)."""
    keepdim = bool(keepdim)  # (median's default is KEEPDIM_UNSET)
    d = self._data
    if not d.ndim:
        values, indices = make(d.copy()), make(np.zeros((), np.int64))
    else:
        vals = np.take_along_axis(d, idx, k)
        if not keepdim:
            vals, idx = np.squeeze(vals, k), np.squeeze(idx, k)
        values, indices = result(vals), result(idx.astype(np.int64))
    if needs_grad(self):
        record_multi([values, None], node, (self,), (d.shape, k, save(indices, "indices"), keepdim))
    return result_type._of(values, indices)


@rule(n_outputs=2)
def KthvalueBackward0(need, g, shape, dim, indices, keepdim):
    return (_select_back(g[0], shape, dim, indices, keepdim),)


@declare(tensor_first=True)
def kthvalue(self, k, dim=-1, keepdim=False):
    """(values, indices) of the k-th smallest element along dim (k counts from 1)."""
    if type(k) is not int:
        k = int_arg(k, "k")
    d = self._data
    kd = dim_arg(dim, d.ndim)
    n = d.shape[kd] if d.ndim else 1
    if n == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {kd} to have non-zero size.")
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {kd}")
    idx = None
    if d.ndim:  # ties: the index PyTorch's quickselect leaves at k - 1
        idx = _kernel_order(d, kd, np.take(_order(d, kd, False), [k - 1], axis=kd),
                            lambda values, width: selection.kthvalue_row(values, k - 1))
    return _selected(self, kd, idx, keepdim, KthvalueBackward0, KthvalueResult)


@rule(n_outputs=2)
def ModeBackward0(need, g, shape, dim, indices, keepdim):
    return (_select_back(g[0], shape, dim, indices, keepdim),)


def _mode_indices(d, k):
    """mode's index along axis k for each row (size 1 along k): selection.mode_row, row by row
    (rows longer than KERNEL_ORDER_MAX: the last index of the mode, a stable sort's choice)."""
    rows = np.moveaxis(d, k, -1).reshape(-1, d.shape[k])
    pick = (lambda r: selection.mode_row(r.tolist())[1]) if rows.shape[1] <= KERNEL_ORDER_MAX \
        else _stable_mode_index
    picked = np.array([pick(r) for r in rows], np.int64)
    shape = list(np.moveaxis(d, k, -1).shape[:-1]) + [1]
    return np.moveaxis(picked.reshape(shape), -1, k)


def _stable_mode_index(row):
    values, counts = np.unique(row, return_counts=True)
    return int(np.flatnonzero(row == values[np.argmax(counts)])[-1])


@declare(tensor_first=True)
def mode(self, dim=-1, keepdim=False):
    """(values, indices) of the most frequent value along dim (the smallest among equally
    frequent ones); the index is where PyTorch's CPU kernel finds it (not differentiable
    through the indices)."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    if d.ndim and d.shape[k] == 0:
        raise IndexError(f"mode(): Expected reduction dim {k} to have non-zero size.")
    idx = _mode_indices(d, k) if d.ndim else None
    return _selected(self, k, idx, keepdim, ModeBackward0, ModeResult)


@rule
def Unique2Backward0(need, g):
    raise NotImplementedError("the derivative for '_unique2' is not implemented.")


@rule
def UniqueDimBackward0(need, g):
    raise NotImplementedError("the derivative for 'unique_dim' is not implemented.")


@declare
def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values in ascending order (rows along dim, with dim); optionally the index
    of each element's value among them and how often each occurs. Not differentiable."""
    if not isinstance(self, Tensor):  # PyTorch's Python unique names the op it calls
        raise TypeError("_unique2(): argument 'input' (position 1) must be Tensor, not "
                        f"{errors.type_name(self)}")
    d = self._data
    if type(d) is MetaArray:
        raise no_meta_kernel("_unique2")
    axis = None if dim is None else dim_arg(dim, d.ndim)
    values, inverse, counts = np.unique(d, return_inverse=True, return_counts=True, axis=axis,
                                        equal_nan=False)
    out = result(values)
    if needs_grad(self):
        record(out, Unique2Backward0 if dim is None else UniqueDimBackward0, (self,))
    extra = []
    if return_inverse:
        extra.append(result(as_array(inverse, np.int64).reshape(d.shape if axis is None
                                                                   else d.shape[axis])))
    if return_counts:
        extra.append(result(as_array(counts, np.int64)))
    return (out, *extra) if extra else out


@declare(tensor_first=True)
def count_nonzero(self, dim=None):
    """How many elements are not zero (over dim, an int or a tuple of ints)."""
    d = self._data
    axis = None if dim is None else (tuple(dim_arg(k, d.ndim) for k in dim)
                                     if isinstance(dim, (tuple, list)) else dim_arg(dim, d.ndim))
    return result(as_array(np.count_nonzero(d, axis=axis), np.int64))


def _cum_extreme_back(g, shape, dim, indices):
    """cummax/cummin's gradient: each output's gradient added where its value came from
    (PyTorch's zeros.scatter_add(dim, indices, grad))."""
    if isinstance(g, Tensor):
        return P.zeros(shape, g).scatter_add(dim, indices, g)
    return P.scatter_into(shape, _grid(indices.shape, dim, P.data(indices)), g)


@rule(n_outputs=2)
def CummaxBackward0(need, g, x, dim, indices):
    return (_cum_extreme_back(g[0], P.data(x).shape, dim, indices),)


@rule(n_outputs=2)
def CumminBackward0(need, g, x, dim, indices):
    return (_cum_extreme_back(g[0], P.data(x).shape, dim, indices),)


_CUM_NODES = {"cummax": CummaxBackward0, "cummin": CumminBackward0}
_CUM_RESULTS = {"cummax": return_type("cummax"), "cummin": return_type("cummin")}


def _cum_extreme(self, dim, name):
    """(values, indices) of the running max or min along dim: a tie or a NaN moves the index
    forward, as PyTorch's kernel does."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    if not d.ndim:
        values, idx = d.copy(), np.zeros((), np.int64)
    else:
        acc = np.maximum if name == "cummax" else np.minimum
        values = acc.accumulate(d, axis=k)
        hit = d == values
        if d.dtype.kind in "fV":
            hit |= np.isnan(d)
        shape = [1] * d.ndim
        shape[k] = d.shape[k]
        pos = np.where(hit, np.arange(d.shape[k]).reshape(shape), 0)
        idx = np.maximum.accumulate(pos, axis=k) if d.shape[k] else pos.astype(np.int64)
    out, indices = result(values), result(as_array(idx, np.int64))
    if needs_grad(self):
        # (PyTorch's node saves self, then the indices)
        record_multi([out, None], _CUM_NODES[name], (self,),
                     (save(self, "self"), k, save(indices, "indices")))
    return _CUM_RESULTS[name]._of(out, indices)


@declare(tensor_first=True)
def cummax(self, dim):
    """(values, indices) of the running maximum along dim."""
    return _cum_extreme(self, dim, "cummax")


@declare(tensor_first=True)
def cummin(self, dim):
    """(values, indices) of the running minimum along dim."""
    return _cum_extreme(self, dim, "cummin")


@declare(tensor_first=True)
def bincount(self, weights=None, minlength=0):
    """How often each value 0, 1, ... occurs in a 1-d tensor of non-negative integers (the sum
    of their weights, with weights). Not differentiable."""
    d = self._data
    if d.dtype.kind not in "iub":
        raise NotImplementedError(f'"bincount_cpu" not implemented for '
                                  f"'{torch_dtype(d.dtype)._short}'")
    if d.ndim != 1 or (d.size and d.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    w = None if weights is None else weights._data
    # the counts' size checked as PyTorch's allocator would (numpy's own refusal of
    # minlength=2**63 - 1 named numpy's arr.size)
    check_alloc((max(minlength, int(d.max()) + 1 if d.size else 0),),
                np.int64 if w is None else np.float64)  # (numpy sums weights in float64)
    counts = np.bincount(d, weights=w, minlength=minlength)
    return result(as_array(counts, np.int64 if w is None else w.dtype))


def _sorted_positions(sorted_sequence, values, right):
    """np.searchsorted over the last dim of sorted_sequence (1-d, or one row per row of values)."""
    s = sorted_sequence._data
    v = values._data if isinstance(values, Tensor) else as_array(values, s.dtype)
    side = "right" if right else "left"
    if s.ndim == 1 or s.shape[-1] == 0:  # (no boundaries in a row: every value goes first)
        return np.searchsorted(s, v, side=side) if s.ndim == 1 else np.zeros(v.shape, np.int64)
    rows = [np.searchsorted(a, b, side=side) for a, b in zip(s.reshape(-1, s.shape[-1]),
                                                             v.reshape(-1, v.shape[-1]))]
    return as_array(rows).reshape(v.shape)


@declare(method=False, tensor_first="sorted_sequence")
def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """Where each value would be inserted into the sorted last dim to keep it sorted."""
    boundaries_ndim = np.ndim(sorted_sequence._data) if isinstance(sorted_sequence, Tensor) else 1
    if not isinstance(values, Tensor) and boundaries_ndim != 1:
        raise RuntimeError("torch.searchsorted(): input value can be a scalar only when "
                           "boundaries tensor dimension is 1, but we got boundaries tensor dim("
                           f"{boundaries_ndim}) and input value's dim(0) numel(1)")
    if isinstance(sorted_sequence, Tensor) and isinstance(values, Tensor):
        _check_leading_dims(sorted_sequence._data.shape, values._data.shape)
    if side is not None and side not in ("left", "right"):
        raise RuntimeError("torch.searchsorted(): side can only be 'left' or 'right' but got "
                           f"{side}")
    if side == "left" and right:
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got "
                           "side of left while right was True")
    if sorter is not None:
        sorted_sequence = _sorted_by(sorted_sequence, sorter)
    pos = _sorted_positions(sorted_sequence, values, right or side == "right")
    return result(as_array(pos, np.int32 if out_int32 else np.int64))


def _check_leading_dims(bs, vs):
    """PyTorch's check: 1-d boundaries, or boundaries whose leading dims are the values'."""
    if not bs:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if len(bs) > 1 and not vs:
        raise RuntimeError("torch.searchsorted(): input value can be a scalar only when "
                           f"boundaries tensor dimension is 1, but we got boundaries tensor dim("
                           f"{len(bs)}) and input value's dim(0) numel(1)")
    if len(bs) > 1 and (len(vs) != len(bs) or bs[:-1] != vs[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the "
                           "first N-1 dimensions of boundaries tensor and input value tensor must "
                           f"match, but we got boundaries tensor {list(bs)} and input value "
                           f"tensor {list(vs)}")


def _sorted_by(boundaries, sorter):
    """The boundaries in the order sorter gives (argsort's indices along the last dim), with
    PyTorch's checks of sorter."""
    s, k = boundaries._data, sorter._data
    if k.shape != s.shape:
        raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same size, "
                           f"but got boundary tensor {list(s.shape)}and got sorter tensor "
                           f"{list(k.shape)}")
    if k.dtype != np.int64:
        raise RuntimeError("torch.searchsorted(): sorter must be a tensor of long dtype but got "
                           f"dtype {torch_dtype(k.dtype)._short}")
    if k.size and (k.min() < 0 or k.max() >= s.shape[-1]):
        raise RuntimeError("torch.searchsorted(): sorter index out of range")
    return Tensor._make(np.take_along_axis(s, k, -1))


@declare(method=False, tensor_first=True)
def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The index of the bucket (between sorted 1-d boundaries) each element falls into."""
    if isinstance(boundaries, Tensor) and boundaries._data.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries._data.ndim})")
    pos = _sorted_positions(boundaries, input, right)
    return result(as_array(pos, np.int32 if out_int32 else np.int64))
