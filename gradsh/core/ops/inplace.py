"""In-place ops (`add_`, `x += 1`, `x[i] = v`) with PyTorch's checks and version counters."""

import numpy as np

from .. import errors
from ..tensor import Tensor
from .base import make, needs_grad, state


def check_inplace(t, view_error=False):
    """PyTorch's refusals: in-place on a leaf that requires grad, or on a view of one."""
    if not state.enabled:
        return
    if t._grad_fn is None and t._requires_grad:
        raise RuntimeError(errors.VIEW_LEAF_INPLACE if view_error or t._base is not None
                           else errors.LEAF_INPLACE)
    base = t._base
    if base is not None:
        if t._view_of_no_grad and base._requires_grad:
            raise RuntimeError(errors.VIEW_NO_GRAD_INPLACE)
        if base._grad_fn is None and base._requires_grad:
            raise RuntimeError(errors.VIEW_LEAF_INPLACE)


def bump(t):
    t._vc[0] += 1


def _history_copy(t):
    """A stand-in for t's value before an in-place op: same history, its own storage."""
    c = make(t._data.copy())
    c._grad_fn = t._grad_fn
    c._requires_grad = t._requires_grad
    c._output_nr = t._output_nr
    c._acc = t._acc
    if t._grad_fn is None and t._requires_grad:
        return t
    return c


def apply_inplace(self, fn, *args, **kwargs):
    """Run out-of-place `fn(self, *args)` and write its result into self's storage.

    The recorded node (if any) becomes self's grad_fn, so later ops see the new history; values
    the node saved of self are a copy taken before the write.
    """
    check_inplace(self)
    grad = needs_grad(self, *[a for a in args if isinstance(a, Tensor)])
    src = _history_copy(self) if grad else self
    r = fn(src, *args, **kwargs)
    d = self._data
    rd = r._data
    if rd.shape != d.shape:
        try:
            np.broadcast_to(rd, d.shape)
        except ValueError:
            raise RuntimeError(f"output with shape {errors.shape_str(d.shape)} doesn't match the "
                               f"broadcast shape {errors.shape_str(rd.shape)}") from None
    if rd.dtype != d.dtype and not np.can_cast(rd.dtype, d.dtype, "same_kind"):
        from .base import torch_dtype
        raise RuntimeError(f"result type {torch_dtype(rd.dtype)._short} can't be cast to the "
                           f"desired output type {torch_dtype(d.dtype)._short}")
    if not d.flags.writeable:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor "
                           "refers to a single memory location. Please clone() the tensor before "
                           "performing the operation.")
    np.copyto(d, rd, casting="unsafe")
    bump(self)
    if grad and r._grad_fn is not None:
        self._grad_fn = r._grad_fn
        self._requires_grad = True
        self._output_nr = r._output_nr
    return self


def _ops():
    from . import pointwise as pw
    return pw


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


def matmul_(self, other):
    from .linalg import matmul
    return apply_inplace(self, matmul, other)


def unary_inplace(name):
    def op(self):
        return apply_inplace(self, getattr(_ops(), name))
    op.__name__ = name + "_"
    return op


from .base import rule  # noqa: E402


@rule("ZeroBackward0")
def ZeroBackward0(need, g):
    from . import prim as P
    return (P.zeros_like(g),)


@rule("FillBackward2")
def FillBackward2(need, g):
    from . import prim as P
    return (P.zeros_like(g),)


@rule("FillBackward3")
def FillBackward3(need, g):
    from . import prim as P
    return (P.zeros_like(g), P.sum(g))


def _constant_fill(cls, value_fn):
    from .base import record

    def fn(src, *args):
        out = make(value_fn(src._data, *args))
        if needs_grad(src, *[a for a in args if isinstance(a, Tensor)]):
            record(out, cls, (src,) + tuple(a for a in args if isinstance(a, Tensor)))
        return out
    return fn


_zero = _constant_fill(ZeroBackward0, lambda d: np.zeros_like(d))
_fill = _constant_fill(FillBackward2, lambda d, v: np.full_like(d, v))
_fill_t = _constant_fill(FillBackward3, lambda d, v: np.full_like(d, v._data))


def zero_(self):
    """Fill with zeros, in place."""
    return apply_inplace(self, _zero)


def fill_(self, value):
    """Fill with `value`, in place."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        return apply_inplace(self, _fill_t, value)
    return apply_inplace(self, _fill, value)


@rule("CopyBackwards")
def CopyBackwards(need, g):
    from . import prim as P
    return (P.zeros_like(g) if need[0] else None, g if need[1] else None)


def _copy(src, value):
    from .base import record
    v = value._data if isinstance(value, Tensor) else np.asarray(value)
    out = make(np.broadcast_to(v, src._data.shape).astype(src._data.dtype))
    if needs_grad(src, value):
        record(out, CopyBackwards, (src, value if isinstance(value, Tensor) else None))
    return out


def copy_(self, src, non_blocking=False):
    """Copy src's values into self (broadcasting), in place."""
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
