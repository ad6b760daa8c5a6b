"""The torch.* functions that take a tensor first (torch.exp(x), torch.sum(x, 1), torch.cat...)."""

import functools as _functools

from .ops import index as _ix
from .ops import linalg as _la
from .ops import pointwise as _pw
from .ops import reduce as _rd
from .ops import shape as _sh
from .tensor import Tensor as _Tensor

add, sub, subtract, mul, multiply, div, divide, true_divide = (
    _pw.add, _pw.sub, _pw.sub, _pw.mul, _pw.mul, _pw.div, _pw.div, _pw.div)
floor_divide, remainder, fmod, pow, neg, negative, rsub = (
    _pw.floor_divide, _pw.remainder, _pw.fmod, _pw.pow, _pw.neg, _pw.neg, _pw.rsub)
exp, log, log2, log10, log1p, expm1 = _pw.exp, _pw.log, _pw.log2, _pw.log10, _pw.log1p, _pw.expm1
sin, cos, tan, tanh, sinh, cosh = _pw.sin, _pw.cos, _pw.tan, _pw.tanh, _pw.sinh, _pw.cosh
asin, acos, atan, arcsin, arccos, arctan = _pw.asin, _pw.acos, _pw.atan, _pw.asin, _pw.acos, _pw.atan
sqrt, rsqrt, reciprocal, erf, sigmoid, relu = (
    _pw.sqrt, _pw.rsqrt, _pw.reciprocal, _pw.erf, _pw.sigmoid, _pw.relu)
abs, absolute, sign, floor, ceil, round, trunc, square = (
    _pw.abs, _pw.abs, _pw.sign, _pw.floor, _pw.ceil, _pw.round, _pw.trunc, _pw.square)
clamp_min, clamp_max = _pw.clamp_min, _pw.clamp_max
clamp, clip, maximum, minimum, atan2, arctan2, hypot, lerp, where = (
    _pw.clamp, _pw.clamp, _pw.maximum, _pw.minimum, _pw.atan2, _pw.atan2, _pw.hypot, _pw.lerp,
    _pw.where)
eq, ne, lt, le, gt, ge, equal, allclose, isclose = (
    _pw.eq, _pw.ne, _pw.lt, _pw.le, _pw.gt, _pw.ge, _pw.equal, _pw.allclose, _pw.isclose)
greater, greater_equal, less, less_equal, not_equal = _pw.gt, _pw.ge, _pw.lt, _pw.le, _pw.ne
logical_not, logical_and, logical_or, logical_xor = (
    _pw.logical_not, _pw.logical_and, _pw.logical_or, _pw.logical_xor)
bitwise_not, bitwise_and, bitwise_or, bitwise_xor = (
    _pw.bitwise_not, _pw.bitwise_and, _pw.bitwise_or, _pw.bitwise_xor)
isnan, isinf, isfinite, clone = _pw.isnan, _pw.isinf, _pw.isfinite, _pw.clone

sum, nansum, mean, prod, max, min, amax, amin, argmax, argmin = (
    _rd.sum, _rd.nansum, _rd.mean, _rd.prod, _rd.max, _rd.min, _rd.amax, _rd.amin, _rd.argmax,
    _rd.argmin)
all, any = _rd.all, _rd.any
var, std, norm, logsumexp, softmax, log_softmax, cumsum, cumprod = (
    _rd.var, _rd.std, _rd.norm, _rd.logsumexp, _rd.softmax, _rd.log_softmax, _rd.cumsum,
    _rd.cumprod)

reshape, flatten, unflatten, ravel, permute, transpose, swapaxes, swapdims, t = (
    _sh.reshape, _sh.flatten, _sh.unflatten, _sh.ravel, _sh.permute, _sh.transpose, _sh.swapaxes,
    _sh.swapdims, _sh.t)
movedim, moveaxis, unsqueeze, squeeze, broadcast_to = (
    _sh.movedim, _sh.moveaxis, _sh.unsqueeze, _sh.squeeze, _sh.broadcast_to)
cat, concat, concatenate, stack, hstack, vstack = (
    _sh.cat, _sh.concat, _sh.concatenate, _sh.stack, _sh.hstack, _sh.vstack)
split, chunk, tensor_split, unbind, narrow, flip, fliplr, flipud, roll = (
    _sh.split, _sh.chunk, _sh.tensor_split, _sh.unbind, _sh.narrow, _sh.flip, _sh.fliplr,
    _sh.flipud, _sh.roll)


def repeat_interleave(input, repeats, dim=None):
    from .factories import tensor as _tensor
    import numpy as np
    d = input._data
    r = repeats._data if hasattr(repeats, "_data") else repeats
    from .memory import check_alloc
    try:
        total = int(np.sum(np.broadcast_to(r, (d.size if dim is None else d.shape[dim],))))
    except (ValueError, IndexError, TypeError):
        total = 0  # numpy's repeat below says what is wrong with the arguments
    check_alloc((total,) if dim is None else d.shape[:dim] + (total,) + d.shape[dim + 1:],
                d.dtype)
    if dim is None:
        return _tensor(np.repeat(d.reshape(-1), r))
    return _tensor(np.repeat(d, r, axis=dim))


select, gather, scatter, scatter_add, index_select, masked_fill, masked_select = (
    _ix.select, _ix.gather, _ix.scatter, _ix.scatter_add, _ix.index_select, _ix.masked_fill,
    _ix.masked_select)
take_along_dim, nonzero, argwhere = _ix.take_along_dim, _ix.nonzero, _ix.argwhere

matmul, mm, mv, dot, inner, vdot, bmm, outer, ger, addmm, einsum = (
    _la.matmul, _la.mm, _la.mv, _la.dot, _la.inner, _la.vdot, _la.bmm, _la.outer, _la.ger,
    _la.addmm, _la.einsum)
diag, diagonal, trace, tril, triu = _la.diag, _la.diagonal, _la.trace, _la.tril, _la.triu


def relu_(input):
    """relu in place."""
    return input.relu_()


def topk(input, k, dim=-1, largest=True, sorted=True):
    return _sort_ops().topk(input, k, dim, largest, sorted)


def sort(input, dim=-1, descending=False, stable=False):
    return _sort_ops().sort(input, dim, descending, stable)


def argsort(input, dim=-1, descending=False, stable=False):
    return _sort_ops().argsort(input, dim, descending, stable)


def _sort_ops():
    from .ops import sorting
    return sorting


# The functions above that are methods taking a tensor first: as torch.name(x), a first argument
# that is not a tensor gets PyTorch's TypeError (the method itself would fail on x._data).
_TENSOR_FIRST = """abs absolute acos all amax amin any arccos arcsin arctan argmax argmin argsort
    argwhere asin atan bitwise_not ceil clone cos cosh diag diagonal erf exp expm1 flatten flip
    fliplr flipud floor isfinite isinf isnan log log10 log1p log2 log_softmax logical_not max mean
    min nansum neg negative nonzero norm permute prod ravel reciprocal relu relu_ reshape round
    rsqrt sigmoid sign sin sinh softmax sort sqrt squeeze std sum t tan tanh trace tril triu trunc
    unbind var where""".split()


def _tensor_first(fn, name):
    arg = "condition" if name == "where" else "input"

    @_functools.wraps(fn)
    def call(input, *args, **kwargs):
        if not isinstance(input, _Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position 1) must be Tensor, not "
                            f"{type(input).__name__}")
        return fn(input, *args, **kwargs)
    return call


for _name in _TENSOR_FIRST:
    globals()[_name] = _tensor_first(globals()[_name], _name)
del _name

__all__ = [n for n in dir() if not n.startswith("_")]
