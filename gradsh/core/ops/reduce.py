"""Reductions and scans: sum, mean, prod, max/min, var/std, norm, logsumexp, softmax, cumsum."""

import collections
import math

import numpy as np

from .. import autocast as _amp
from ..dtypes import as_dtype, default_float_np, np_finfo
from ..grad_mode import no_grad, state as _state
from ..layout import contiguous
from ..return_types import return_type
from ..tensor import TENSOR_TYPES, Tensor, bool_arg
from . import prim as P
from .base import (save_both, ALL_DIMS, KEEPDIM_UNSET, arrays_unless, backward_op, dim_arg, dims_arg, make, needs_grad,
                   promote, promote_pair, record, record_multi, rule, save, save_out, torch_dtype)
from .base import contiguous_result as result  # these ops' results are contiguous
from .expf import (log_softmax_backward_lastdim_float32, log_softmax_lastdim_float32,
                   softmax_backward_lastdim_float32, softmax_lastdim_float32)
from .pointwise import div_scalar, maximum, minimum, mul_scalar, sgn
from .softmax_inner import (log_softmax_backward_inner_float32, log_softmax_inner_float32,
                            softmax_backward_inner_float32, softmax_inner_float32)
from .registry import declare
from .shape import cat
from .moments import every_dim_reduced, var_all, vector_norm, welford
from .summation import ordered_sum
from .. import argcheck, errors
from ..memory import check_flops
from ..meta import as_array, MetaArray as _Meta

_ndarray = np.ndarray


def _expand_back(g, shape, dims, keepdim, copy=False):
    """Undo a reduction over `dims` for the gradient: unsqueeze the reduced dims, expand (with
    copy, into a new contiguous array of an array g: a pointwise op's result on the view)."""
    if dims is not None and not keepdim:
        for d in sorted(dims):
            g = P.unsqueeze(g, d)
    if copy and type(g) not in TENSOR_TYPES:
        return P.filled(g, shape)
    return P.expand(g, shape)


def _reduce_dtype(d, dtype):
    if dtype is not None:
        return as_dtype(dtype).np
    if d.dtype.kind in "biu":
        return np.dtype(np.int64)
    return d.dtype


_NO_DIM = ALL_DIMS  # a dim PyTorch's signature requires, not given


def _no_dim(name, dim, keepdim):
    """A dim left out: every dim, unless keepdim was given (PyTorch's signatures take keepdim
    only after a dim: its TypeError, worded by argcheck's refusal on the way out)."""
    if dim is _NO_DIM:
        if keepdim is not KEEPDIM_UNSET:  # (the method's words; torch.name's where read back)
            raise TypeError(argcheck.refusal("Tensor", name, (), {"keepdim": keepdim}) or
                            f"{name}() received an invalid combination of arguments: keepdim "
                            "is given without dim")
        return None
    return dim


def _all_kept(out, ndim, keepdim):
    """A whole-tensor reduction's 0-d result with keepdim: every dim kept as 1 (dim=None)."""
    return out.reshape((1,) * ndim) if keepdim and ndim else out


def _dims_or_all(dim, ndim):
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        return None
    dims = dims_arg(dim, ndim)
    return dims if ndim else ()


def _axis(dim, ndim):
    """One reduction dim as a numpy axis: a 0-d tensor reduces over no axis (dim 0 or -1 is
    accepted, as PyTorch treats a scalar as one element along it)."""
    k = dim_arg(dim, ndim)
    return k if ndim else ()


# ----- sum and mean -------------------------------------------------------------------------
@rule
def SumBackward0(need, g, shape):
    return (P.expand(g, shape),)


@rule
def SumBackward1(need, g, self_sym_sizes, dim, keepdim):   # PyTorch's _saved_ names
    return (_expand_back(g, self_sym_sizes, dim, keepdim),)


@declare(tensor_first=True)
def sum(self, dim=_NO_DIM, keepdim=KEEPDIM_UNSET, *, dtype=None):
    """Sum of all elements, or over dim (an int or a tuple of ints)."""
    if keepdim is not False and keepdim is not True and keepdim is not KEEPDIM_UNSET:
        keepdim = bool_arg(keepdim, "keepdim")  # a hot op: PyTorch's check, here
    whole = dim is _NO_DIM  # (an explicit dim=None is the dim overload: SumBackward1)
    if whole:
        dim = _no_dim("sum", dim, keepdim)
    keepdim = keepdim is True
    d = self._data
    rt = d.dtype if dtype is None and d.dtype.kind in "fV" else _reduce_dtype(d, dtype)
    if dim is None:
        total = ordered_sum(d, None, False) if rt is d.dtype else None  # float: PyTorch's order
        if total is None:
            # np.add.reduce: ndarray.sum's own work without its Python-level wrapper
            total = _add_reduce(d, None, rt)
        if type(total) is not _Meta:
            total = as_array(total)
        out = make(total.reshape((1,) * d.ndim) if keepdim else total)
        if self._requires_grad and _state.enabled:
            if whole:
                record(out, SumBackward0, (self,), (d.shape,))
            else:
                record(out, SumBackward1, (self,), (d.shape, None, keepdim))
        return out
    dims = _dims_or_all(dim, d.ndim) if not (isinstance(dim, (tuple, list)) and not dim) else None
    total = ordered_sum(d, dims, keepdim) if rt is d.dtype else None
    out = result(d.sum(axis=dims, dtype=rt, keepdims=keepdim) if total is None else total)
    if needs_grad(self):
        record(out, SumBackward1, (self,), (d.shape, dims, keepdim))
    return out


_add_reduce = np.add.reduce
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_F16 = np.dtype(np.float16)


@rule
def NansumBackward0(need, g, self, dims, keepdim):
    """PyTorch's nansum_backward: sum's gradient times `self.isnan().logical_not()`."""
    kept = ~np.isnan(P.data(self))
    return (_expand_back(g, P.data(self).shape, dims, keepdim) *
            (Tensor._make(kept) if type(g) in TENSOR_TYPES else kept),)


@declare(tensor_first=True)
def nansum(self, dim=None, keepdim=False, *, dtype=None):
    """Sum treating nan as zero (in dtype when given, as sum)."""
    if dtype is not None:
        self = self.to(dtype)
    d = self._data
    out = sum(Tensor._make(np.where(np.isnan(d), d.dtype.type(0), d)), dim, keepdim)
    if needs_grad(self):
        dims = None if dim is None else _dims_or_all(dim, d.ndim)
        record(out, NansumBackward0, (self,), (save(self, "self"), dims, keepdim))
    return out


@declare(tensor_first=True)
def nanmean(self, dim=None, keepdim=False, *, dtype=None):
    """Mean of the elements that are not nan (PyTorch's composite: nansum divided by their
    count, DivBackward0), in dtype when given."""
    d = self._data
    if d.dtype.kind not in "fV":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {torch_dtype(d.dtype)._short}")
    if dtype is not None:
        if not (dtype.is_floating_point or dtype.is_complex):
            raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be "
                               f"either a floating point or complex dtype. Got: {dtype._short}")
        self = self.to(dtype)
        d = self._data
    count = sum(Tensor._make(~np.isnan(d)), dim, keepdim)
    return nansum(self, dim, keepdim) / count


@rule
def MeanBackward0(need, g, shape, n):
    return MeanBackward1.rule(need, g, shape, None, False, n)


@rule
def MeanBackward1(need, g, shape, dims, keepdim, n):
    if type(g) not in TENSOR_TYPES:  # the same values, dividing before the expand
        # (n as the kept 0-d array of g's dtype: numpy converts it to g's dtype anyway)
        # (and into a new array: PyTorch divides the expanded view, making a contiguous one)
        return (_expand_back(g / P.number_like(g, n), shape, dims, keepdim, True),)
    return (div_scalar(_expand_back(g, shape, dims, keepdim), n),)  # PyTorch's mean_backward


@declare(tensor_first=True)
def mean(self, dim=_NO_DIM, keepdim=KEEPDIM_UNSET, *, dtype=None):
    """Arithmetic mean of all elements, or over dim."""
    if keepdim is not False and keepdim is not True and keepdim is not KEEPDIM_UNSET:
        keepdim = bool_arg(keepdim, "keepdim")
    whole = dim is _NO_DIM  # (an explicit dim=None is the dim overload: MeanBackward1)
    if whole:
        dim = _no_dim("mean", dim, keepdim)
    keepdim = keepdim is True
    d = self._data
    if dtype is not None:
        d = d.astype(as_dtype(dtype).np)
    kept = dt = d.dtype
    # (float32 and float64 by identity first: a dtype's `kind` or `==` costs more than `is`)
    if dt is not _F32 and dt is not _F64 and dt.kind not in "fcV":
        which = "Input" if dtype is None else "Optional"
        raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either a "
                           f"floating point or complex dtype. Got: {torch_dtype(d.dtype)._short}")
    if dt is not _F32 and dt is not _F64 and (kept == _F16 or kept.kind == "V"):
        # PyTorch: float16 and bfloat16 are cast to float32, summed, divided, cast back
        d = d.astype(_F32)
        dt = _F32
    if dim is None:
        n = d.size
        total = ordered_sum(d, None, False)  # PyTorch's mean on the CPU: the sum, then / n
        if total is None:
            total = _add_reduce(d, None)
        # (n as a Python int: numpy divides in dt all the same, without making dt's scalar)
        m = as_array(total / n if n else total + np.nan, dt)  # (a meta total stays meta)
        out = make(_all_kept(m if dt is kept else m.astype(kept), d.ndim, keepdim))
        if needs_grad(self):
            if whole:
                record(out, MeanBackward0, (self,), (d.shape, n))
            else:
                record(out, MeanBackward1, (self,), (d.shape, None, keepdim, n))
        return out
    dims = _dims_or_all(dim, d.ndim)
    n = 1
    for k in (dims if dims is not None else range(d.ndim)):
        n *= d.shape[k]
    # sum / n rather than ndarray.mean: the same values, without numpy's empty-slice warning.
    total = ordered_sum(d, dims, keepdim)
    if total is None:
        total = d.sum(axis=dims, keepdims=keepdim)
    out = result(as_array(total / n, dt).astype(kept, copy=False))
    if needs_grad(self):
        record(out, MeanBackward1, (self,), (d.shape, dims, keepdim, n))
    return out


# ----- prod ---------------------------------------------------------------------------------
def _prod_except(x, axis):
    """For each element, the product of the others along axis (exact with zeros)."""
    x = np.moveaxis(x, axis, -1)
    left = np.cumprod(np.concatenate([np.ones_like(x[..., :1]), x[..., :-1]], -1), -1)
    right = np.flip(np.cumprod(np.flip(np.concatenate([x[..., 1:], np.ones_like(x[..., :1])], -1),
                                       -1), -1), -1)
    return np.moveaxis(left * right, -1, axis)


def _has_zero(x):
    return bool((P.data(x) == 0).any())


def _prod_safe_zeros(g, x, dim):
    """PyTorch's prod_safe_zeros_backward on tensors: g times (product of the elements before)
    times (product of the elements after), both exclusive cumprods, so a zero gives no 0/0 and
    the result is differentiable again."""
    n = x.shape[dim]
    if x.numel() == 0:
        return g.expand_as(x)
    if n == 1:
        return g
    ones_shape = list(x.shape)
    ones_shape[dim] = 1
    ones = Tensor._make(np.ones(ones_shape, dtype=P.data(g).dtype))
    normal = cat([ones, x.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    reverse = cat([ones, x.narrow(dim, 1, n - 1).flip(dim)], dim).cumprod(dim).flip(dim)
    return g * (normal * reverse)


@rule
def ProdBackward0(need, g, x, r):
    if not x.ndim:
        return (g,)
    if not _has_zero(x):
        return (g * (r / x),)  # PyTorch's order: the quotient first
    if isinstance(x, np.ndarray):
        return (g * _prod_except(x.reshape(-1), 0).reshape(x.shape),)
    return (_prod_safe_zeros(g, x.reshape(-1), 0).view_as(x),)


@rule
def ProdBackward1(need, g, x, r, dim, keepdim):
    if dim == () or not x.ndim:
        return (g,)
    if not keepdim:
        g = P.unsqueeze(g, dim)
        r = P.unsqueeze(r, dim)
    if not _has_zero(x):
        return (g * (r / x),)
    if isinstance(x, np.ndarray):
        return (g * _prod_except(x, dim),)
    return (_prod_safe_zeros(g, x, dim),)


@declare(tensor_first=True)
def prod(self, dim=ALL_DIMS, keepdim=KEEPDIM_UNSET, *, dtype=None):
    """Product of all elements, or along one dim."""
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        self = _amp.widen(self)
    d = self._data
    rt = _reduce_dtype(d, dtype)
    if dim is ALL_DIMS:
        _no_dim("prod", dim, keepdim)
        out = make(as_array(d.prod(dtype=rt)))
        if needs_grad(self):
            record(out, ProdBackward0, (self,), (save(self, "self"), save_out(out)))
        return out
    keepdim = keepdim is not KEEPDIM_UNSET and keepdim
    k = _axis(dim, d.ndim)
    out = result(d.prod(axis=k, dtype=rt, keepdims=keepdim))
    if needs_grad(self):
        record(out, ProdBackward1, (self,), (save(self, "self"), save_out(out), k, keepdim))
    return out


# ----- max / min ----------------------------------------------------------------------------
MaxResult = return_type("max")
MinResult = return_type("min")
SortResult = return_type("sort")
TopkResult = return_type("topk")
ModeResult = return_type("mode")


def _evenly(g, x, r):
    """The gradient of a whole-tensor max/min: shared equally among the tied elements."""
    xd, rd = P.data(x), P.data(r)
    mask = (xd == rd) | (np.isnan(xd) & np.isnan(rd))
    return g * (mask / mask.sum())


@rule
def MaxBackward1(need, g, x, r):
    return (_evenly(g, x, r),)


@rule
def MinBackward1(need, g, x, r):
    return (_evenly(g, x, r),)


def _select_back(g, shape, dim, indices, keepdim):
    """Put g at `indices` along dim in a zero tensor of `shape` (max/min/sort/topk backward)."""
    idx = P.data(indices)
    if not keepdim:
        g = P.unsqueeze(g, dim)
        idx = np.expand_dims(idx, dim)
    full = tuple(np.arange(s).reshape((-1,) + (1,) * (len(shape) - k - 1)) if k != dim else idx
                 for k, s in enumerate(shape))
    full = np.broadcast_arrays(*full)
    return P.scatter_into(shape, tuple(full), g)


@rule(n_outputs=2)
def MaxBackward0(need, g, self_sym_sizes, dim, indices, keepdim):
    if not self_sym_sizes:  # a 0-d input is its own max: the gradient passes through
        return (g[0],)
    return (_select_back(g[0], self_sym_sizes, dim, indices, keepdim),)


@rule(n_outputs=2)
def MinBackward0(need, g, self_sym_sizes, dim, indices, keepdim):
    if not self_sym_sizes:
        return (g[0],)
    return (_select_back(g[0], self_sym_sizes, dim, indices, keepdim),)


def _extreme(self, dim, keepdim, other, which):
    if keepdim is not False and keepdim is not True and keepdim is not KEEPDIM_UNSET:
        keepdim = bool_arg(keepdim, "keepdim")
    if isinstance(dim, Tensor) or (other is not None):
        return (maximum if which == "max" else minimum)(self, dim if other is None else other)
    d = self._data
    if dim is ALL_DIMS:
        _no_dim(which, dim, keepdim)
        if d.size == 0:
            raise RuntimeError(f"{which}(): Expected reduction dim to be specified for input.numel() "
                               "== 0. Specify the reduction dim with the 'dim' argument.")
        out = make(as_array(d.max() if which == "max" else d.min()))
        if needs_grad(self):
            record(out, MaxBackward1 if which == "max" else MinBackward1, (self,),
                   (save(self, "self"), save_out(out)))
        return out
    keepdim = keepdim is True
    k = dim_arg(dim, d.ndim)
    if not d.ndim:
        return _extreme_0d(self, which)
    if d.shape and d.shape[k] == 0:
        raise IndexError(f"{which}(): Expected reduction dim {k} to have non-zero size.")
    idx = (np.nanargmax if False else np.argmax)(d, axis=k) if which == "max" else np.argmin(d, axis=k)
    if d.dtype.kind in "fV":
        nan_any = np.isnan(d).any(axis=k)
        if nan_any.any():
            idx = np.where(nan_any, np.argmax(np.isnan(d), axis=k), idx)
    vals = np.take_along_axis(d, np.expand_dims(idx, k), k)
    if not keepdim:
        vals = np.squeeze(vals, k)
        idx_out = idx
    else:
        idx_out = np.expand_dims(idx, k)
    values = result(vals)
    indices = result(idx_out.astype(np.int64))
    if needs_grad(self):
        record_multi([values, None], MaxBackward0 if which == "max" else MinBackward0, (self,),
                     (d.shape, k, save(indices, "indices"), keepdim))
    return (MaxResult if which == "max" else MinResult)._of(values, indices)


def _extreme_0d(self, which):
    # A scalar is its own max along dim 0 (index 0); the gradient passes straight through.
    values = make(self._data.copy())
    indices = make(np.zeros((), np.int64))
    if needs_grad(self):
        record_multi([values, None], MaxBackward0 if which == "max" else MinBackward0, (self,),
                     ((), 0, save(indices, "indices"), False))
    return (MaxResult if which == "max" else MinResult)._of(values, indices)


@declare(tensor_first=True)
def max(self, dim=ALL_DIMS, keepdim=KEEPDIM_UNSET, *, other=None):
    """The largest element; with dim, (values, indices) along it; with a tensor, elementwise."""
    return _extreme(self, dim, keepdim, other, "max")


@declare(tensor_first=True)
def min(self, dim=ALL_DIMS, keepdim=KEEPDIM_UNSET, *, other=None):
    """The smallest element; with dim, (values, indices) along it; with a tensor, elementwise."""
    return _extreme(self, dim, keepdim, other, "min")


@rule
def AmaxBackward0(need, g, x, r, dims, keepdim):
    if not keepdim:
        for d in sorted(dims):
            g = P.unsqueeze(g, d)
            r = P.unsqueeze(r, d)
    mask = P.data(x) == P.data(r)
    return (g * (mask / mask.sum(axis=dims, keepdims=True)),)


@rule
def AminBackward0(need, g, x, r, dims, keepdim):
    return AmaxBackward0.rule(need, g, x, r, dims, keepdim)


def _check_nonempty(name, d, no_dim, dims, dim=None):
    """PyTorch's errors for a max/min reduction without an identity over nothing (the dim named
    as it was given: amin(-1) says -1)."""
    if not d.size:
        if no_dim and d.ndim:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        given = dims if no_dim or dim is None else [dim] if isinstance(dim, int) else list(dim)
        for k in given:
            if d.shape[k] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {k} to have non-zero size.")


@declare(tensor_first=True)
def amax(self, dim=(), keepdim=False):
    """Maximum over dims (all when empty); ties share the gradient."""
    d = self._data
    dims = tuple(range(d.ndim)) if dim == () or dim is None else _dims_or_all(dim, d.ndim)
    _check_nonempty("amax", d, dim == () or dim is None, dims, dim)
    out = result(np.max(d, axis=dims, keepdims=keepdim))
    if needs_grad(self):
        record(out, AmaxBackward0, (self,), (save(self), save_out(out), dims, keepdim))
    return out


@declare(tensor_first=True)
def amin(self, dim=(), keepdim=False):
    """Minimum over dims (all when empty); ties share the gradient."""
    d = self._data
    dims = tuple(range(d.ndim)) if dim == () or dim is None else _dims_or_all(dim, d.ndim)
    _check_nonempty("amin", d, dim == () or dim is None, dims, dim)
    out = result(np.min(d, axis=dims, keepdims=keepdim))
    if needs_grad(self):
        record(out, AminBackward0, (self,), (save(self), save_out(out), dims, keepdim))
    return out


AminmaxResult = return_type("aminmax", ("min", "max"))


@rule(n_outputs=2)
def AminmaxBackward0(need, g, self, min, max, dim, keepdim):
    dims = tuple(range(P.data(self).ndim)) if dim is None else (dim,)
    parts = [AmaxBackward0.rule(need, gi, self, r, dims, keepdim)[0]
             for gi, r in zip(g, (min, max)) if gi is not None]
    return (parts[0] + parts[1] if len(parts) == 2 else parts[0],)


@declare(tensor_first=True)
def aminmax(self, *, dim=None, keepdim=False):
    """(min, max) over dim (all elements when None); ties share each gradient."""
    d = self._data
    k = None if dim is None else dim_arg(dim, d.ndim)
    if k is None and d.size == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    if k is not None and d.ndim and d.shape[k] == 0:
        raise IndexError(f"aminmax: Expected reduction dim {k} to have non-zero size.")
    axis = None if k is None or not d.ndim else k
    lo, hi = (result(as_array(f(d, axis=axis, keepdims=keepdim))) for f in (np.min, np.max))
    if needs_grad(self):
        record_multi([lo, hi], AminmaxBackward0, (self,),
                     (save(self, "self"), save_out(lo, "min"), save_out(hi, "max"), k, keepdim))
    return AminmaxResult._of(lo, hi)


def _arg_extreme_checks(d, dim, name):
    if dim is None and d.size == 0:
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
    if dim is not None and d.ndim and d.shape[dim_arg(dim, d.ndim)] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim_arg(dim, d.ndim)} to have "
                         "non-zero size.")


@declare(tensor_first=True)
def argmax(self, dim=None, keepdim=False):
    """Index of the largest element (of the flattened tensor when dim is None)."""
    if keepdim is not False and keepdim is not True:
        keepdim = bool_arg(keepdim, "keepdim")
    d = self._data
    _arg_extreme_checks(d, dim, "argmax")
    if dim is None:  # the flat index; keepdim keeps every dim, of size 1 (PyTorch 2.13)
        return make(as_array(np.argmax(d), np.int64).reshape((1,) * d.ndim if keepdim else ()))
    k = dim_arg(dim, d.ndim)
    if not d.ndim:
        return make(np.zeros((), np.int64))
    return result(np.argmax(d, axis=k, keepdims=keepdim).astype(np.int64))


@declare(tensor_first=True)
def argmin(self, dim=None, keepdim=False):
    """Index of the smallest element (of the flattened tensor when dim is None)."""
    if keepdim is not False and keepdim is not True:
        keepdim = bool_arg(keepdim, "keepdim")
    d = self._data
    _arg_extreme_checks(d, dim, "argmin")
    if dim is None:  # the flat index; keepdim keeps every dim, of size 1 (PyTorch 2.13)
        return make(as_array(np.argmin(d), np.int64).reshape((1,) * d.ndim if keepdim else ()))
    k = dim_arg(dim, d.ndim)
    if not d.ndim:
        return make(np.zeros((), np.int64))
    return result(np.argmin(d, axis=k, keepdims=keepdim).astype(np.int64))


@declare(tensor_first=True)
def all(self, dim=None, keepdim=False):
    """True if every element (over dim) is nonzero: a bool tensor, never differentiable."""
    d = self._data
    if dim is None:
        return make(_all_kept(as_array(d.all(), _LOGICAL.get(d.dtype, np.bool_)), d.ndim, keepdim))
    if isinstance(dim, (tuple, list)) and not dim:  # no dims: nothing reduced (PyTorch 2.13)
        return result((d != 0).astype(_LOGICAL.get(d.dtype, np.bool_)))
    return result(np.all(d, axis=_dims_or_all(dim, d.ndim), keepdims=keepdim).astype(
        _LOGICAL.get(d.dtype, np.bool_), copy=False))


@declare(tensor_first=True)
def any(self, dim=None, keepdim=False):
    """True if some element (over dim) is nonzero: a bool tensor, never differentiable."""
    d = self._data
    if dim is None:
        return make(_all_kept(as_array(d.any(), _LOGICAL.get(d.dtype, np.bool_)), d.ndim, keepdim))
    if isinstance(dim, (tuple, list)) and not dim:  # no dims: nothing reduced (PyTorch 2.13)
        return result((d != 0).astype(_LOGICAL.get(d.dtype, np.bool_)))
    return result(np.any(d, axis=_dims_or_all(dim, d.ndim), keepdims=keepdim).astype(
        _LOGICAL.get(d.dtype, np.bool_), copy=False))


# all/any of a uint8 tensor are uint8 in PyTorch (for the masks of its byte-tensor days)
_LOGICAL = {np.dtype(np.uint8): np.uint8}


# ----- var / std / norm ---------------------------------------------------------------------
def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


def _var_args(self, dim, unbiased, keepdim, correction, name="std and var"):
    if unbiased is not None and correction is not None:   # (no signature takes both: the
        raise TypeError(f"{name}() got both unbiased and correction")   # parser's words replace it)
    if isinstance(dim, bool):  # var(False): the old `unbiased` positional
        unbiased, dim = dim, None
    d = self._data
    if d.dtype.kind not in "fVc":
        raise RuntimeError(f"{name} only support floating point and complex dtypes")
    dims = _dims_or_all(dim, d.ndim)
    c = _correction(unbiased, correction)
    n = 1
    for k in (dims if dims is not None else range(d.ndim)):
        n *= d.shape[k]
    return d, dims, c, n


def _backward_dims(dim, dims, n, ndim):
    """(dims, n) for std/var's backward: over an explicit empty dim list, PyTorch's forward
    reduces every dim but its backward takes the dims' product of sizes, 1 (2 / (1 - correction)
    is inf for the default correction: infinite gradients, signed by self - mean)."""
    if isinstance(dim, (tuple, list)) and not dim and ndim:
        return tuple(range(ndim)), 1
    return dims, n


def unsqueeze_multiple(g, dims, ndim):
    """FunctionsManual's unsqueeze_multiple: g with the reduced dims put back as size 1."""
    for d in sorted(range(ndim) if dims is None else dims):
        g = P.unsqueeze(g, d)
    return g


def _mean_like(x, dims):
    """x.mean() / x.mean(dims, keepdim=True) with gradsh's mean (recorded on a tensor)."""
    t = x if type(x) in TENSOR_TYPES else make(x)
    m = mean(t) if dims is None else mean(t, dims, keepdim=True)
    return m if type(x) in TENSOR_TYPES else m._data


def _var_backward(g, x, dims, c, n, keepdim):
    """FunctionsManual's var_backward: (2 / (n - correction)) * grad * (self - self.mean(dim))."""
    ndim = P.data(x).ndim
    if dims is None or ndim == 0:
        if n - c <= 0:  # 2 / 0: nan where self equals its mean, else inf
            same = P.data(x) == P.data(_mean_like(x, None))
            return g * P.where(same, math.nan, math.inf)
        return mul_scalar(g, 2.0 / (n - c)) * (x - _mean_like(x, None))
    if not keepdim and ndim > 1:
        g = unsqueeze_multiple(g, dims, ndim)
    scale = 2.0 / (n - c) if n != c else math.inf
    return mul_scalar(g, scale) * (x - _mean_like(x, dims))


def _var_values(d, dims, c, n, keepdim, name):
    if type(d) is _Meta:  # (the kernels below read values: a meta variance is its shape)
        return np.add.reduce(d.real, axis=dims, keepdims=keepdim if dims is not None else False
                             ).astype(np.float64)
    if d.dtype.kind == "c":   # a complex variance is real: the parts' variances added
        return (_var_values(np.ascontiguousarray(d.real), dims, c, n, keepdim, name)
                + _var_values(np.ascontiguousarray(d.imag), dims, c, n, keepdim, name))
    keep = keepdim if dims is not None else False
    if n - c > 0:
        return _var_double(d, dims, c, n, keep)
    # PyTorch's text up to its "(Triggered internally at <C++ file>)" suffix.
    errors.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than "
                  "the reduction factor (input numel divided by output numel). ", UserWarning,
                  stacklevel=4)
    with np.errstate(all="ignore"):
        m = np.sum(d, axis=dims, keepdims=True) / d.dtype.type(n)
        # PyTorch divides by max(0, n - correction): 0 / 0 is nan, more / 0 is inf.
        return as_array(np.sum((d - m) ** 2, axis=dims, keepdims=keep) / (n - c if n > c else 0), d.dtype)


def _var_double(d, dims, c, n, keep):
    """The variance as PyTorch's CPU kernels compute it, in double (the caller rounds, after
    the square root for std; gradsh/core/ops/moments.py). Over every dim of more than one
    element: the mean in d's dtype (its sum in PyTorch's order), then the squared deviations
    in double. Over dims: Welford's update in double for float64; for float32 the two-pass
    variance in double, which rounds to the same float32 as Welford's in all of 2100 sampled
    rows, at a fraction of the cost."""
    if every_dim_reduced(d.shape, dims) and (d.dtype is _F32 or d.dtype is _F64):
        total = ordered_sum(d, None, False)
        total = total if total is not None else _add_reduce(d, None)
        v = var_all(d, as_array(total / d.dtype.type(n), d.dtype), c, n)
        if dims is None:
            return v.reshape((1,) * d.ndim) if keep else v
        out_shape = tuple(k for i, k in enumerate(d.shape) if i not in dims)
        return _shaped(v, d.shape, dims, keep, out_shape)
    if d.dtype is _F64:
        stats = welford(d, tuple(dims))
        if stats is not None:
            return _shaped(stats[0] / (n - c), d.shape, dims, keep, stats[2])
    return np.var(d.astype(np.float64), axis=dims, ddof=c, keepdims=keep)


def _shaped(v, shape, dims, keep, out_shape):
    """A reduction's values in its result's shape (with keepdim: the reduced dims as 1)."""
    if keep:
        return v.reshape(tuple(1 if k in dims else n for k, n in enumerate(shape)))
    return v.reshape(out_shape)


def _whole(a, dims, ndim, keepdim):
    """std/var over every dim (dim None or empty): with keepdim, each dim kept as 1."""
    return _all_kept(a, ndim, keepdim) if dims is None else a


@rule
def VarBackward0(need, g, self, dims, c, n, keepdim):
    return (_var_backward(g, self, dims, c, n, keepdim),)


@rule
def StdBackward0(need, g, self, dims, c, n, keepdim, result):
    # std_backward: var_backward of (grad / (result * 2)).masked_fill_(result == 0, 0)
    grad_var = P.masked_fill(g / mul_scalar(result, 2), P.data(result) == 0, 0)
    return (_var_backward(grad_var, self, dims, c, n, keepdim),)


@declare(tensor_first=True)
def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance (Bessel-corrected by default), of all elements or over dim."""
    d, dims, c, n = _var_args(self, dim, unbiased, keepdim, correction)
    out = result(_whole(as_array(_var_values(d, dims, c, n, keepdim, "var"), d.real.dtype),
                        dims, d.ndim, keepdim))
    if needs_grad(self):
        bdims, bn = _backward_dims(dim, dims, n, d.ndim)
        record(out, VarBackward0, (self,), (save(self, "self"), bdims, c, bn, keepdim))
    return out


@declare(tensor_first=True)
def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation (Bessel-corrected by default), of all elements or over dim."""
    d, dims, c, n = _var_args(self, dim, unbiased, keepdim, correction)
    out = result(_whole(as_array(np.sqrt(_var_values(d, dims, c, n, keepdim, "std")),
                                   d.real.dtype), dims, d.ndim, keepdim))
    if needs_grad(self):
        bdims, bn = _backward_dims(dim, dims, n, d.ndim)
        record(out, StdBackward0, (self,),
               (save(self, "self"), bdims, c, bn, keepdim, save_out(out)))
    return out


def _with_mean_grad(gx, gm, x, dims, keepdim, n):
    """std_mean / var_mean: the statistic's gradient plus the mean's (either may be absent)."""
    if gm is None:
        return gx
    gmean = _expand_back(gm / n, x.shape, dims, keepdim)
    return gmean if gx is None else gx + gmean


@rule(n_outputs=2)
def VarMeanBackward0(need, g, x, dims, c, n, keepdim):
    gv = None if g[0] is None else VarBackward0.fast(need, g[0], x, dims, c, n, keepdim)[0]
    return (_with_mean_grad(gv, g[1], x, dims, keepdim, n),)


@rule(n_outputs=2)
def StdMeanBackward0(need, g, x, dims, c, n, keepdim, r):
    gs = None if g[0] is None else StdBackward0.fast(need, g[0], x, dims, c, n, keepdim, r)[0]
    return (_with_mean_grad(gs, g[1], x, dims, keepdim, n),)


def _stat_mean(self, dim, unbiased, keepdim, correction, name):
    """(variance or std, mean) as PyTorch's std_mean / var_mean compute them: Welford's update
    in double (where welford runs; else the two-pass variance and the mean in double)."""
    d, dims, c, n = _var_args(self, dim, unbiased, keepdim, correction, name)
    if d.dtype.kind == "c":   # the parts' statistics: variances added, the mean rebuilt
        parts = [_stat_mean(make(np.ascontiguousarray(x)), dim, unbiased, keepdim, correction,
                            "var_mean")[4:] for x in (d.real, d.imag)]
        v = parts[0][0]._data + parts[1][0]._data
        m = np.empty(v.shape, d.dtype)
        m.real, m.imag = parts[0][1]._data, parts[1][1]._data
        stat = np.sqrt(v) if name == "std_mean" else v
        return (d, dims, c, n, result(_whole(stat, dims, d.ndim, keepdim)),
                result(_whole(m, dims, d.ndim, keepdim)))
    stats = welford(d, tuple(range(d.ndim)) if dims is None else tuple(dims)) if (
        (d.dtype is _F32 or d.dtype is _F64) and n - c > 0 and type(d) is not _Meta) else None
    keep = keepdim and dims is not None
    if stats is None:
        v = as_array(_var_values(d, dims, c, n, keepdim, name), np.float64)
        m = np.mean(d.astype(np.complex128 if d.dtype.kind == "c" else np.float64), axis=dims,
                    keepdims=keep)
    else:
        m2, mean, out_shape = stats
        axes = range(d.ndim) if dims is None else dims
        v, m = (_shaped(a, d.shape, axes, keep, out_shape) for a in (m2 / (n - c), mean))
    stat = np.sqrt(v) if name == "std_mean" else v
    return (d, dims, c, n, result(_whole(as_array(stat, d.real.dtype), dims, d.ndim, keepdim)),
            result(_whole(as_array(m, d.dtype), dims, d.ndim, keepdim)))


@declare(method=False, tensor_first=True)
def var_mean(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(variance, mean), of all elements or over dim."""
    d, dims, c, n, v, m = _stat_mean(self, dim, unbiased, keepdim, correction, "var_mean")
    if needs_grad(self):
        bdims, bn = _backward_dims(dim, dims, n, d.ndim)
        record_multi([v, m], VarMeanBackward0, (self,), (save(self, "self"), bdims, c, bn, keepdim))
    return v, m


@declare(method=False, tensor_first=True)
def std_mean(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(standard deviation, mean), of all elements or over dim."""
    d, dims, c, n, s, m = _stat_mean(self, dim, unbiased, keepdim, correction, "std_mean")
    if needs_grad(self):
        bdims, bn = _backward_dims(dim, dims, n, d.ndim)
        record_multi([s, m], StdMeanBackward0, (self,),
                     (save(self, "self"), bdims, c, bn, keepdim, save_out(s)))
    return s, m


@rule
def LinalgVectorNormBackward0(need, g, self, result, p, dims, keepdim):
    """FunctionsManual's norm_backward."""
    x, r = self, result
    ndim = P.data(x).ndim
    if not keepdim and ndim != 0 and dims is not None:
        g, r = unsqueeze_multiple(g, dims, ndim), unsqueeze_multiple(r, dims, ndim)
    rd = P.data(r)
    if p == 0:  # PyTorch's undefined gradient: nothing reaches self (a leaf's .grad stays None)
        return (None,)
    if p == 2:
        return (g * P.masked_fill(x / r, rd == 0, 0),)
    if p == 1:
        return (sgn(x) * g,)
    if p == float("inf") or p == -float("inf"):  # amax/amin(abs(self))'s derivative, shared
        # among ties (and nan)
        ax = np.abs(P.data(x))
        mask = (ax == rd) | np.isnan(ax)
        count = mask.sum(axis=dims, keepdims=True) if dims is not None else mask.sum()
        as_operand = make if type(g) in TENSOR_TYPES else np.asarray
        return (sgn(x) * ((g / as_operand(count)) * as_operand(mask)),)
    if p < 1:
        scaled = sgn(x) * P.masked_fill(P.abs(x) ** (p - 1), P.data(x) == 0, 0)
        return (scaled * g * r ** (1 - p),)
    scaled = sgn(x) * P.abs(x) ** (p - 1) if p < 2 else x * P.abs(x) ** (p - 2)
    return (scaled * P.masked_fill(g / r ** (p - 1), rd == 0, 0),)


def _ordered_norm(d, dims, keepdim, p):
    """PyTorch's float32 / float64 p-norm, p finite and not 0 (gradsh/core/ops/moments.py);
    None where gradsh keeps numpy's sums (another dtype, empty, see vector_norm)."""
    if (d.dtype is not _F32 and d.dtype is not _F64) or not d.size:
        return None
    return vector_norm(d, dims, keepdim, p)


def _numpy_norm(a, p, dims, keepdim):
    """The p-norm of the absolute values a with numpy's sums (where PyTorch's order is not
    reproduced)."""
    if p == float("inf"):
        return np.max(a, axis=dims, keepdims=keepdim)
    if p == -float("inf"):
        return np.min(a, axis=dims, keepdims=keepdim)
    if p == 0:
        return np.sum(a != 0, axis=dims, keepdims=keepdim).astype(a.dtype)
    if p == 1:
        return np.sum(a, axis=dims, keepdims=keepdim)
    if p == 2:
        return np.sqrt(np.sum(a * a, axis=dims, keepdims=keepdim))
    return np.sum(a ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)


@rule
def NormBackward1(need, g, self, result, p, dims, keepdim):
    """C++'s at::norm(self, p, dim) (pairwise_distance): norm_backward, as linalg's."""
    return LinalgVectorNormBackward0.rule(need, g, self, result, p, dims, keepdim)


def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    """The vector p-norm over all elements or over dim (2-norm by default); torch.norm and
    Tensor.norm, which also take PyTorch's matrix orders, are declared in dense.py. With a
    dtype, the norm of the input in that dtype (PyTorch's computation type)."""
    if dtype is not None:
        norm_dtype_checks("linalg.vector_norm", self, dtype)
        self = self.to(dtype)
    return p_norm(self, p, dim, keepdim, LinalgVectorNormBackward0)


def norm_dtype_checks(name, self, dtype):
    """PyTorch's checks of a norm's dtype argument: a floating input, a floating dtype of the
    input's kind (real or complex) that the input converts to without narrowing."""
    d = self._data.dtype
    if d.kind not in "fVc":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{torch_dtype(d)._short}")
    dt = as_dtype(dtype)
    if dt.np.kind not in "fVc":
        raise RuntimeError(f"{name}: dtype should be floating point or complex, but got "
                           f"{dt._short}")
    if (d.kind == "c") != (dt.np.kind == "c"):
        kind = "complex" if d.kind == "c" else "real"
        raise RuntimeError(f"{name}: dtype should be {kind} for {kind} inputs, but got "
                           f"{dt._short}")
    if promote_pair(d, dt.np) != dt.np:
        raise RuntimeError(f"{name}: the dtype of the input ({torch_dtype(d)._short}) should be "
                           f"convertible without narrowing to the specified dtype ({dt._short})")


def _refuse_empty_extreme_norm(shape, dims, dim, p):
    """PyTorch's refusal of a max/min (inf/-inf norm) or a negative order (a harmonic-like
    sum: no identity either) over nothing, in place of numpy's."""
    ord = ("inf" if p > 0 else "-inf") if math.isinf(p) else \
        str(int(p)) if float(p).is_integer() else repr(float(p))
    if dims is None:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor "
                           "because the operation does not have an identity")
    for k, given in zip(dims, dim if isinstance(dim, (tuple, list)) else (dim,)):
        if shape[k] == 0:  # (the dim as given; PyTorch's message has no space before "because")
            raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on the "
                               f"dimension {given}because this dimension is empty and the operation "
                               "does not have an identity")


def p_norm(self, p, dim, keepdim, node):
    """The vector p-norm recorded as `node` (torch.norm's LinalgVectorNormBackward0, C++'s
    at::norm's NormBackward1)."""
    if isinstance(p, Tensor):  # a one-element tensor is read as its number
        if p.numel() != 1:
            raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, "
                            "not Tensor")
        p = p.item()
    if p == "fro" or p is None:
        p = 2
    d = self._data
    if d.dtype.kind not in "fVc":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {torch_dtype(d.dtype)._short}")
    if isinstance(p, complex):  # (after the input's dtype, as PyTorch checks)
        raise RuntimeError("linalg.vector_norm: Expected a non-complex scalar as the order of "
                           "norm.")
    dims = _dims_or_all(dim, d.ndim)
    if (p in (math.inf, -math.inf) or p < 0) and 0 in d.shape:
        _refuse_empty_extreme_norm(d.shape, dims, dim, p)
    if d.dtype.kind == "c":  # the norm of the magnitudes, real (its rule is PyTorch's complex one)
        d = P.abs_array(d)
    kept = d.dtype
    if kept == _F16 or kept.kind == "V":  # PyTorch computes a float16 norm in float32 (opmath)
        d = d.astype(_F32)
    v = _ordered_norm(d, dims, keepdim, p) if p != 0 and not math.isinf(p) else None
    if v is None:
        v = _numpy_norm(np.abs(d), p, dims, keepdim)
    out = result(as_array(as_array(v, d.dtype), kept))
    if needs_grad(self):
        record(out, node, (self,), (save(self, "self"), save_out(out), p, dims, keepdim))
    return out


@rule
def DistBackward0(need, g, self, other, p, result):
    """derivatives.yaml: norm_backward(grad, self - other, p, result), negated for other."""
    grad, = LinalgVectorNormBackward0.rule((True,), g, self - other, result, p, None, False)
    return (grad if need[0] else None, -grad if need[1] else None)


@declare(tensor_first=True)
def dist(self, other, p=2):
    """The p-norm of self - other (broadcast)."""
    kind = promote(self, other)
    if kind.kind in "iu":  # (bool - bool is refused by the subtraction, below)
        raise RuntimeError("norm(): input dtype should be either floating point or complex. "
                           f"Got {torch_dtype(kind)._short} instead.")
    with no_grad():
        out = result(p_norm(self - other, p, None, False, LinalgVectorNormBackward0)._data)
    if needs_grad(self, other):
        record(out, DistBackward0, (self, other), (*save_both(self, other, "self", "other"), p,
                                                   save_out(out)))
    return out


@rule
def LogsumexpBackward0(need, g, self, result, dims, keepdim):
    # logsumexp_backward: grad * (self - result).exp(), both unsqueezed back (broadcasting)
    ndim = P.data(self).ndim
    if not keepdim and ndim != 0:
        g, result = unsqueeze_multiple(g, dims, ndim), unsqueeze_multiple(result, dims, ndim)
    return (g * P.exp(self - result),)


@declare
def logsumexp(self, dim=ALL_DIMS, keepdim=False):
    """log(sum(exp(x))) over dim, computed stably."""
    if dim is ALL_DIMS:  # (PyTorch's words for the dim its signature requires)
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    if dim is None:
        raise TypeError("argument 'dim' must be tuple of ints, not NoneType")
    d = self._data
    if d.dtype.kind not in "fVc":  # integers are read as the default float first, as PyTorch does
        d = d.astype(default_float_np())
    kept = d.dtype
    if kept.kind == "V":  # bfloat16: in float32, rounded once
        d = d.astype(_F32)
    dims = _dims_or_all(dim, d.ndim)
    # over nothing: log(0) = -inf; complex: shifted by the largest real part
    m = np.max(d.real, axis=dims, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        v = np.log(np.sum(np.exp(d - m), axis=dims, keepdims=True)) + m
    if not keepdim:
        v = np.squeeze(v, dims)
    out = result(as_array(v).astype(kept))
    if needs_grad(self):
        record(out, LogsumexpBackward0, (self,), (save(self, "self"), save_out(out), dims, keepdim))
    return out


# ----- softmax ------------------------------------------------------------------------------
def _kernel_f32(g, r):
    """Arrays for which PyTorch's float32 backward kernels run (and gradsh's copies)."""
    return (type(g) is _ndarray and g.dtype == np.float32 and g.size and r.dtype == np.float32
            and g.shape == r.shape)


def _in_float32(value, g, r, dim):
    """A bfloat16 backward kernel's value: computed in float32, rounded once (PyTorch's)."""
    return value(g.astype(_F32), r.astype(_F32), dim).astype(g.dtype)


def _low_arrays(g, r):
    return type(g) is _ndarray and type(r) is _ndarray and g.dtype.kind == "V" == r.dtype.kind


def _softmax_grad_value(g, r, dim):
    if _low_arrays(g, r):
        return _in_float32(_softmax_grad_value, g, r, dim)
    if _kernel_f32(g, r) and g.ndim:
        if dim == g.ndim - 1:
            return softmax_backward_lastdim_float32(g, r)
        return softmax_backward_inner_float32(g, r, dim)
    return r * (g - P.sum(g * r, dim, keepdim=True))


def _log_softmax_grad_value(g, r, dim):
    if _low_arrays(g, r):
        return _in_float32(_log_softmax_grad_value, g, r, dim)
    if _kernel_f32(g, r) and g.ndim:
        if dim == g.ndim - 1:
            return log_softmax_backward_lastdim_float32(g, r)
        return log_softmax_backward_inner_float32(g, r, dim)
    return g - np.exp(r) * P.sum(g, dim, keepdim=True)


def softmax_backward_data(grad_output, output, dim):
    """PyTorch's _softmax_backward_data: an op (SoftmaxBackwardDataBackward0 under create_graph)."""
    return backward_op(SoftmaxBackwardDataBackward0, _softmax_grad_value, grad_output, (output,),
                       (dim,))


def log_softmax_backward_data(grad_output, output, dim):
    """PyTorch's _log_softmax_backward_data (LogSoftmaxBackwardDataBackward0 under create_graph)."""
    return backward_op(LogSoftmaxBackwardDataBackward0, _log_softmax_grad_value, grad_output,
                       (output,), (dim,))


@rule
def SoftmaxBackwardDataBackward0(need, grad, grad_output, output, dim):
    grad_output, output = arrays_unless(grad, grad_output, output)
    gi = None
    if need[1]:  # PyTorch's softmax_double_backward
        gi = (grad_output * grad - P.sum(output * grad_output, dim, keepdim=True) * grad
              - grad_output * P.sum(output * grad, dim, keepdim=True))
    return (softmax_backward_data(grad, output, dim) if need[0] else None, gi)


@rule
def LogSoftmaxBackwardDataBackward0(need, grad, grad_output, output, dim):
    grad_output, output = arrays_unless(grad, grad_output, output)
    return (grad - P.sum(grad * P.exp(output), dim, keepdim=True) if need[0] else None,
            -P.sum(grad_output, dim, keepdim=True) * P.exp(output) * grad if need[1] else None)


@rule
def SoftmaxBackward0(need, g, r, dim):
    return (softmax_backward_data(g, r, dim),)


@rule
def LogSoftmaxBackward0(need, g, r, dim):
    return (log_softmax_backward_data(g, r, dim),)


def _softmax_dim(dim, ndim, name):
    if dim is _NO_DIM:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    return _axis(dim, ndim)


def _float_only(d, k, name):
    if d.dtype.kind not in "fV":
        kernel = name + ("_lastdim" if k == () or k == d.ndim - 1 else "") + "_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{torch_dtype(d.dtype)._short}'")


def _implicit_dim(name):
    """F.softmax / F.log_softmax: dim=None is PyTorch's legacy implicit choice there, with its
    warning (torch.softmax and the method take no None and have no default)."""
    def function(input, dim=None, _stacklevel=3, dtype=None):
        if dim is None:
            errors.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                          "call to include dim=X as an argument.", UserWarning,
                          stacklevel=_stacklevel - 1)
            dim = 0 if input.ndim in (0, 1, 3) else 1
        return _SOFTMAXES[name](input, dim, dtype)
    function.__name__ = function.__qualname__ = name
    return function


@declare(tensor_first=True, nn=_implicit_dim("softmax"))
def softmax(self, dim=_NO_DIM, dtype=None):
    """exp(x) / sum(exp(x)) along dim."""
    d = self._data if dtype is None else self._data.astype(as_dtype(dtype).np)
    k = _softmax_dim(dim, d.ndim, "softmax")
    _float_only(d, k, "softmax")
    # float16 and bfloat16: in float32, rounded once (PyTorch's opmath; measured alike)
    low = d.dtype if d.dtype.kind == "V" or d.dtype == np.float16 else None
    if low is not None:
        d = d.astype(_F32)
    if type(d) is _Meta:  # (no data: the input's shape and dtype)
        out = result(d.copy())
    elif d.dtype == np.float32 and d.size and k == d.ndim - 1:
        out = result(softmax_lastdim_float32(d))  # PyTorch's kernels, bit for bit
    elif d.dtype == np.float32 and d.size and d.ndim:
        out = result(softmax_inner_float32(d, k))
    else:
        e = np.exp(d - np.max(d, axis=k, keepdims=True)) if d.size else d.copy()
        out = result(e / np.sum(e, axis=k, keepdims=True) if d.size else e)
    if low is not None:
        out = result(out._data.astype(low))
    if needs_grad(self):
        record(out, SoftmaxBackward0, (self,), (save_out(out), k))
    return out


@declare(tensor_first=True, nn=_implicit_dim("log_softmax"))
def log_softmax(self, dim=_NO_DIM, dtype=None):
    """log(softmax(x)) along dim, computed stably."""
    d = self._data if dtype is None else self._data.astype(as_dtype(dtype).np)
    k = _softmax_dim(dim, d.ndim, "log_softmax")
    _float_only(d, k, "log_softmax")
    # float16 and bfloat16: in float32, rounded once (PyTorch's opmath; measured alike)
    low = d.dtype if d.dtype.kind == "V" or d.dtype == np.float16 else None
    if low is not None:
        d = d.astype(_F32)
    if type(d) is _Meta:  # (no data: the input's shape and dtype)
        v = d.copy()
    elif low is not None and d.size and k == d.ndim - 1:  # PyTorch's reduced-precision lastdim
        s = d - np.max(d, axis=k, keepdims=True)  # keeps the sum of exps and its log in
        total = np.sum(np.exp(s), axis=k, keepdims=True).astype(low).astype(_F32)  # bfloat16
        v = s - np.log(total).astype(low).astype(_F32)  # (measured on random rows: all equal)
    elif d.dtype == np.float32 and d.size and k == d.ndim - 1:
        v = log_softmax_lastdim_float32(d)  # PyTorch's kernels, bit for bit
    elif d.dtype == np.float32 and d.size and d.ndim:
        v = log_softmax_inner_float32(d, k)
    elif d.size:
        s = d - np.max(d, axis=k, keepdims=True)
        v = s - np.log(np.sum(np.exp(s), axis=k, keepdims=True))
    else:
        v = d.copy()
    out = result(v if low is None else v.astype(low))
    if needs_grad(self):
        record(out, LogSoftmaxBackward0, (self,), (save_out(out), k))
    return out


_SOFTMAXES = {"softmax": softmax, "log_softmax": log_softmax}


# ----- scans --------------------------------------------------------------------------------
def _reverse_cumsum(g, dim):
    if not g.ndim:
        return g
    if isinstance(g, np.ndarray):  # (flip's result is a new array: contiguous as the cumsum's)
        return contiguous(np.flip(np.cumsum(np.flip(g, dim), axis=dim), dim))
    return g.flip(dim).cumsum(dim).flip(dim)


@rule
def CumsumBackward0(need, g, dim):
    return (_reverse_cumsum(g, dim),)


def _running(fn, d, k, rt):
    """np.cumsum/np.cumprod along k as PyTorch's CPU kernel runs them: in its accumulate type
    (double for float32, float for float16), each running value rounded to the result dtype."""
    if not d.ndim:
        return d.astype(rt)
    rt = np.dtype(rt)
    if rt in (_F32, _F16) or rt.kind == "V":  # (bfloat16 as float16: accumulated in float)
        return fn(d, axis=k, dtype=np.float64 if rt == _F32 else np.float32).astype(rt)
    return fn(d, axis=k, dtype=rt)


def _scan_dtype(name, d, dtype):
    """The dtype a scan runs in; PyTorch's scans have no bool kernel (`dtype=torch.bool`)."""
    rt = _reduce_dtype(d, dtype)
    if dtype is not None and np.dtype(rt) == np.bool_:
        raise NotImplementedError(f'"{name}_out_cpu" not implemented for \'Bool\'')
    return rt


@declare(inplace=True)
def cumsum(self, dim, *, dtype=None):
    """Running sum along dim."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    out = result(_running(np.cumsum, d, k, _scan_dtype("cumsum", d, dtype)))
    if needs_grad(self):
        record(out, CumsumBackward0, (self,), (k,))
    return out


def _log_add_exp(x, y):
    """PyTorch's _log_add_exp_helper(x, y), elementwise: log1p(exp(min - max)) + max, x itself
    where both are the same infinity; a NaN y wins."""
    nan_y = np.isnan(y)
    lo = np.where(nan_y, y, np.minimum(x, y))
    hi = np.where(nan_y, y, np.maximum(x, y))
    with np.errstate(invalid="ignore", over="ignore"):
        v = np.log1p(np.exp(lo - hi)) + hi
    return np.where((lo != hi) | np.isfinite(lo), v, x)


def _logcumsumexp_np(d, k):
    """The running log(sum(exp)) along axis k as PyTorch's CPU kernel adds: element by element
    into an accumulator that starts at -inf, in float64 for float32 and float16."""
    rows = np.moveaxis(d, k, 0)
    acc = np.full(rows.shape[1:], -np.inf)
    out = np.empty(rows.shape, d.dtype)
    for i in range(rows.shape[0]):
        acc = _log_add_exp(rows[i].astype(np.float64), acc)
        out[i] = acc
    return np.moveaxis(out, 0, k)


def _reverse_logcumsumexp(x, dim):
    if isinstance(x, np.ndarray):
        return np.flip(_logcumsumexp_np(np.flip(x, dim), dim), dim)
    return x.flip(dim).logcumsumexp(dim).flip(dim)


@rule
def LogcumsumexpBackward0(need, g, self, result, dim):
    """FunctionsManual's logcumsumexp_backward (real inputs): the positive and negative parts of
    the gradient each through a reversed logcumsumexp in log space."""
    if not P.data(self).ndim:
        return (g,)
    gd = P.data(g)
    floor = np_finfo(gd.dtype).min
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pos = P.where(gd > 0, P.log(g), floor)
        log_neg = P.where(gd < 0, P.log(-g), floor)
    pos = P.exp(_reverse_logcumsumexp(log_pos - result, dim) + self)
    neg = P.exp(_reverse_logcumsumexp(log_neg - result, dim) + self)
    return (pos - neg,)


@declare
def logcumsumexp(self, dim):
    """The running log(sum(exp(x))) along dim, computed stably."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    if d.dtype.kind not in "fV":
        raise NotImplementedError('"logcumsumexp_out_cpu" not implemented for '
                                  f"'{torch_dtype(d.dtype)._short}'")
    out = result(_logcumsumexp_np(d, k) if d.ndim else d.copy())
    if needs_grad(self):
        record(out, LogcumsumexpBackward0, (self,), (save(self, "self"), save_out(out), k))
    return out


@rule
def CumprodBackward0(need, g, x, r, dim):
    if not x.ndim or x.shape[dim] == 1 or P.data(x).size <= 1:
        return (g,)
    if not _has_zero(x):
        return (_reverse_cumsum(r * g, dim) / x,)  # PyTorch: reversed_cumsum(output * grad) / input
    if isinstance(x, np.ndarray):
        return (_cumprod_backward_zeros(g, x, r, dim),)
    return (_cumprod_backward_graph(g, x, dim),)


def _cumprod_backward_zeros(g, x, r, dim):
    """The cumprod gradient where an input is zero, exact and in O(n) (d r_j / d x_i is the
    product of x_k, k <= j, k != i): before a row's first zero z it is the usual
    reversed_cumsum(r * g) / x (x_i is not zero there); at z, r_{z-1} times the sum over j >= z
    of g_j times the product of x_{z+1..j}; after z, zero (every product holds x_z)."""
    xm = np.moveaxis(x, dim, -1)
    gm = np.broadcast_to(np.moveaxis(g, dim, -1), xm.shape)
    rm = np.moveaxis(r, dim, -1)
    n = xm.shape[-1]
    idx = np.arange(n)
    zero = xm == 0
    first = np.where(zero.any(-1), zero.argmax(-1), n)[..., None]   # n: no zero in the row
    before = idx < first
    one = xm.dtype.type(1)
    with np.errstate(all="ignore"):
        out = np.where(before, np.flip(np.cumsum(np.flip(rm * gm, -1), -1), -1) /
                       np.where(before, xm, one), xm.dtype.type(0))
        after_first = np.cumprod(np.where(idx <= first, one, xm), -1)
        tail = np.where(idx >= first, gm * after_first, 0).sum(-1, keepdims=True)
    prev = np.take_along_axis(rm, np.maximum(first - 1, 0), -1)
    prev = np.where(first == 0, one, prev)
    at_zero = (prev * tail).astype(xm.dtype, copy=False)
    np.put_along_axis(out, np.minimum(first, n - 1), np.where(
        first < n, at_zero, np.take_along_axis(out, np.minimum(first, n - 1), -1)), -1)
    return np.moveaxis(out, -1, dim)


def _cumprod_backward_graph(g, x, dim):
    """PyTorch's differentiable O(n^2) cumprod gradient (used when an input is zero and the
    backward is recorded): for each k, sum over j >= k of g_j * prod_{i<=j, i!=k} x_i. Its n
    steps of several ops each count against the work limit (a step as 5e6 multiply-adds: some
    40,000 steps at most, seconds)."""
    n = x.shape[dim]
    check_flops(n * (x.numel() + 5 * 10 ** 6),
                f"cumprod's double-differentiable gradient over {n} elements with a zero")
    ones_shape = list(x.shape)
    ones_shape[dim] = 1
    ones = Tensor._make(np.ones(ones_shape, dtype=P.data(g).dtype))
    grad_input = Tensor._make(np.zeros(x.shape, dtype=P.data(g).dtype))
    for k in range(n):
        if k == 0:
            omitted = cat([ones, x.narrow(dim, 1, n - 1).cumprod(dim)], dim)
        elif k == n - 1:
            omitted = x.narrow(dim, 0, k).prod(dim, True)
        else:
            until = x.narrow(dim, 0, k).prod(dim, True)
            after = x.narrow(dim, k + 1, n - k - 1).cumprod(dim)
            omitted = cat([until, until.expand_as(after) * after], dim)
        # written into its slice as PyTorch does (the result's node is CopySlices)
        grad_input.select(dim, k).copy_((g.narrow(dim, k, n - k) * omitted).sum(dim))
    return grad_input


@declare(inplace=True)
def cumprod(self, dim, *, dtype=None):
    """Running product along dim."""
    d = self._data
    k = dim_arg(dim, d.ndim)
    out = result(_running(np.cumprod, d, k, _scan_dtype("cumprod", d, dtype)))
    if needs_grad(self):
        record(out, CumprodBackward0, (self,), (save(self, "self"), save_out(out), k))
    return out


Namedtuple = collections.namedtuple
