"""In-place ops (`add_`, `x += 1`, `x[i] = v`) with PyTorch's checks and version counters.

Every in-place op is one mechanism: run the out-of-place op on a stand-in for self's old value,
write the result into self's storage, bump the shared version counter, and (when the op was
recorded) make its node self's history (views.rebase: CopySlices on the base for a view).
"""

import numpy as np

from .. import errors
from ..tensor import Tensor
from . import prim as P
from .base import make, needs_grad, record, rule, state, torch_dtype
from .views import _MULTI, multi_output_error, rebase, refresh_views


def check_inplace(t):
    """PyTorch's refusals, in its order: a view made in no_grad, a view of a leaf, a leaf."""
    if not state.enabled:
        return
    root = t._base
    if root is not None:
        info = t._view
        if info.multi and root._requires_grad:
            raise RuntimeError(multi_output_error(t, "is being modified inplace"))
        if info.no_grad and root._requires_grad:
            raise RuntimeError(errors.VIEW_NO_GRAD_INPLACE)
        if root._grad_fn is None and t._requires_grad:
            # PyTorch asks whether the base is a leaf, not whether it requires grad: a view of
            # a plain tensor made to require grad (b.reshape(2, 2).requires_grad_()) is refused
            raise RuntimeError(errors.VIEW_LEAF_INPLACE)
    elif t._grad_fn is None and t._requires_grad:
        raise RuntimeError(errors.LEAF_INPLACE)


def bump(t):
    t._vc[0] += 1


def _stand_in(t):
    """t's value before the write: same history, its own storage (so saved values stay right)."""
    c = make(t._data.copy())
    c._grad_fn = t._grad_fn
    c._requires_grad = t._requires_grad
    c._output_nr = t._output_nr
    c._acc = t._acc
    return c


def _write(self, r):
    d = self._data
    rd = r._data
    if rd.shape != d.shape:
        try:
            np.broadcast_to(rd, d.shape)
        except ValueError:
            raise RuntimeError(f"output with shape {errors.shape_str(d.shape)} doesn't match the "
                               f"broadcast shape {errors.shape_str(rd.shape)}") from None
    if rd.dtype != d.dtype and not np.can_cast(rd.dtype, d.dtype, "same_kind"):
        raise RuntimeError(f"result type {torch_dtype(rd.dtype)._short} can't be cast to the "
                           f"desired output type {torch_dtype(d.dtype)._short}")
    flags = d.flags
    if not flags.writeable or (not flags.c_contiguous and any(
            s == 0 and n > 1 for s, n in zip(d.strides, d.shape))):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor "
                           "refers to a single memory location. Please clone() the tensor before "
                           "performing the operation.")
    np.copyto(d, rd, casting="unsafe")
    bump(self)


def apply_inplace(self, fn, *args, **kwargs):
    """Run out-of-place `fn(self, *args)` and write its result into self's storage."""
    check_inplace(self)
    grad = needs_grad(self, *args)
    if grad and self._base is not None and self._view.multi:
        # (PyTorch's own wording for this case, which mixes two of its messages)
        raise RuntimeError("A view was created in no_grad mode and is being modified inplace with "
                           "grad mode enabled. " + _MULTI)
    r = fn(_stand_in(self) if grad else self, *args, **kwargs)
    _write(self, r)
    node = r._grad_fn if grad else None
    if node is not None:
        # The op's saved output is self now (a later in-place op on self must be caught).
        for s in node._saved:
            if getattr(s, "is_output", False):
                s.data, s.vc, s.version = self._data, self._vc, self._vc[0]
        rebase(self, node)
    refresh_views(self._base if self._base is not None else self)
    return self


def _ops():
    from . import pointwise
    return pointwise


def add_(self, other, *, alpha=1):
    return apply_inplace(self, _ops().add, other, alpha=alpha)


def sub_(self, other, *, alpha=1):
    return apply_inplace(self, _ops().sub, other, alpha=alpha)


def mul_(self, other):
    return apply_inplace(self, _ops().mul, other)


def div_(self, other, *, rounding_mode=None):
    return apply_inplace(self, _ops().div, other, rounding_mode=rounding_mode)


def pow_(self, exponent):
    return apply_inplace(self, _ops().pow, exponent)


def clamp_(self, min=None, max=None):
    return apply_inplace(self, _ops().clamp, min, max)


def clamp_min_(self, min):
    return apply_inplace(self, _ops().clamp_min, min)


def clamp_max_(self, max):
    return apply_inplace(self, _ops().clamp_max, max)


def lerp_(self, end, weight):
    return apply_inplace(self, _ops().lerp, end, weight)


def matmul_(self, other):
    from .linalg import matmul
    return apply_inplace(self, matmul, other)


def masked_fill_(self, mask, value):
    from .index import masked_fill
    return apply_inplace(self, masked_fill, mask, value)


def scatter_(self, dim, index, src=None, value=None, reduce=None):
    from .index import scatter
    return apply_inplace(self, scatter, dim, index, src, value, reduce)


def scatter_add_(self, dim, index, src):
    from .index import scatter_add
    return apply_inplace(self, scatter_add, dim, index, src)


def index_put_(self, indices, values, accumulate=False):
    from .index import index_put
    return apply_inplace(self, index_put, tuple(indices), values, accumulate)


def unary_inplace(name):
    def op(self):
        return apply_inplace(self, getattr(_ops(), name))
    op.__name__ = name + "_"
    op.__doc__ = f"{name}, in place."
    return op


@rule("ZeroBackward0")
def ZeroBackward0(need, g):
    return (P.zeros_like(g),)


@rule("FillBackward2")
def FillBackward2(need, g):
    return (P.zeros_like(g),)


@rule("FillBackward3")
def FillBackward3(need, g):
    return (P.zeros_like(g) if need[0] else None, P.sum(g) if need[1] else None)


def _zero(src):
    out = make(np.zeros_like(src._data))
    if needs_grad(src):
        record(out, ZeroBackward0, (src,))
    return out


def _fill(src, value):
    if isinstance(value, Tensor):
        out = make(np.full_like(src._data, value._data))
        if needs_grad(src, value):
            record(out, FillBackward3, (src, value))
        return out
    out = make(np.full_like(src._data, value))
    if needs_grad(src):
        record(out, FillBackward2, (src,))
    return out


def zero_(self):
    """Fill with zeros, in place."""
    return apply_inplace(self, _zero)


def fill_(self, value):
    """Fill with `value` (a number or a 0-d tensor), in place."""
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value._data.ndim} dimensions.")
    return apply_inplace(self, _fill, value)


@rule("CopyBackwards")
def CopyBackwards(need, g):
    return (P.zeros_like(g) if need[0] else None, g if need[1] else None)


def _copy(src, value):
    v = value._data
    shape = src._data.shape
    try:
        data = np.broadcast_to(v, shape)
    except ValueError:
        try:
            both = np.broadcast_shapes(shape, v.shape)
        except ValueError:
            raise errors.broadcast_error(shape, v.shape) from None
        raise RuntimeError(f"output with shape {errors.shape_str(shape)} doesn't match the "
                           f"broadcast shape {errors.shape_str(both)}") from None
    out = make(data.astype(src._data.dtype))
    if needs_grad(src, value):
        record(out, CopyBackwards, (src, value))
    return out


def copy_(self, src, non_blocking=False):
    """Copy src's values into self (broadcasting, casting to self's dtype), in place."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    return apply_inplace(self, _copy, src)


def requires_grad_(self, requires_grad=True):
    return self.requires_grad_(requires_grad)


def resize_(self, *sizes):
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    from .shape import sizes as _sizes
    shape = _sizes(sizes)
    n = 1
    for s in shape:
        n *= s
    flat = self._data.reshape(-1)
    new = np.zeros(n, self._data.dtype)
    new[:min(n, flat.size)] = flat[:min(n, flat.size)]
    self._data = new.reshape(shape)
    bump(self)
    return self
