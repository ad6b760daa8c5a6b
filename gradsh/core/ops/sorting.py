"""Sorting: sort, argsort, topk. Values are differentiable (the gradient goes back to where each
value came from); indices are not."""

import numpy as np

from . import prim as P
from . import selection
from .base import (dim_arg, make, needs_grad, preserving_result, record, record_multi, rule, save,
                   save_out)
from .base import contiguous_result as result  # contiguous, except sort's (as PyTorch's)
from .reduce import SortResult, TopkResult, _evenly, _return_type, _select_back
from .registry import declare

MedianResult = _return_type("median")


def _order(d, k, descending):
    """Stable sort order along axis k; NaN counts as the largest value, as in PyTorch."""
    if d.ndim == 0:
        return np.zeros((), np.int64)
    if d.dtype.kind == "b":
        d = d.astype(np.int8)
    if not descending:
        return np.argsort(d, axis=k, kind="stable")
    if d.dtype.kind == "f":
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


@declare(tensor_first=True)
def sort(self, dim=-1, descending=False, *, stable=_NOT_GIVEN):
    """(values, indices) sorted along dim (ascending unless descending); ties keep their order.
    `stable=` (keyword only) is PyTorch's other overload, whose node is SortBackward1."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    order = _order(d, k, descending)
    if stable is _NOT_GIVEN or not stable:
        order = _unstable_order(d, k, order, descending)
    values = preserving_result(np.take_along_axis(d, order, k) if d.ndim else d.copy(), d)
    indices = preserving_result(np.asarray(order, np.int64), d)
    if needs_grad(self):
        node = SortBackward0 if stable is _NOT_GIVEN else SortBackward1
        record_multi([values, None], node, (self,), (d.shape, k, save(indices, "indices")))
    return SortResult(values, indices)


@declare(tensor_first=True)
def argsort(self, dim=-1, descending=False, *, stable=False):
    """The indices that sort the tensor along dim."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    order = _order(d, k, descending)
    if not stable:
        order = _unstable_order(d, k, order, descending)
    return preserving_result(np.asarray(order, np.int64), d)


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
    indices = result(np.asarray(order, np.int64))
    if needs_grad(self):
        record_multi([values, None], TopkBackward0, (self,), (d.shape, kd, save(indices, "indices")))
    return TopkResult(values, indices)


# Rows longer than this keep numpy's stable order among ties (the kernels' order is redone in
# Python, a few microseconds per comparison): docs/autograd.md, "What differs".
KERNEL_ORDER_MAX = 2048


def _kernel_order(d, dim, stable, redo_row, every_row=False):
    """`stable` (indices along dim, numpy's stable order) with the rows where PyTorch's kernel
    orders otherwise redone: rows with ties (two equal values or two NaN), or every row;
    `redo_row(values, width)` gives one row's indices (a list)."""
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
        if rows.dtype.kind == "f":
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
def median(self, dim=None, keepdim=False):
    """The lower median of all elements; with dim, (values, indices) of the lower median along
    it. NaN wins (the result is NaN, its index the first NaN), as in PyTorch."""
    d = self._data
    if dim is None:
        flat = d.reshape(-1)
        if flat.size == 0:
            value = np.asarray(np.nan, d.dtype)
        elif d.dtype.kind == "f" and np.isnan(flat).any():
            value = np.asarray(np.nan, d.dtype)
        else:
            value = np.sort(flat)[(flat.size - 1) // 2]
        out = make(np.asarray(value, d.dtype))
        if needs_grad(self):
            record(out, MedianBackward0, (self,), (save(self, "self"), save_out(out)))
        return out
    k = dim_arg(dim, d.ndim)
    if not d.ndim:
        values, indices = make(d.copy()), make(np.zeros((), np.int64))
    else:
        n = d.shape[k]
        if n == 0:
            raise IndexError(f"median(): Expected reduction dim {k} to have non-zero size.")
        # ties: the stable order's choice (PyTorch's selection may pick another tied index)
        idx = np.take(_order(d, k, False), [(n - 1) // 2], axis=k)
        if d.dtype.kind == "f":
            nan = np.isnan(d)
            first_nan = np.expand_dims(np.argmax(nan, axis=k), k)
            idx = np.where(np.expand_dims(nan.any(axis=k), k), first_nan, idx)
        vals = np.take_along_axis(d, idx, k)
        if not keepdim:
            vals, idx = np.squeeze(vals, k), np.squeeze(idx, k)
        values, indices = result(vals), result(idx.astype(np.int64))
    if needs_grad(self):
        record_multi([values, None], MedianBackward1, (self,),
                     (d.shape, k, save(indices, "indices"), keepdim))
    return MedianResult(values, indices)
