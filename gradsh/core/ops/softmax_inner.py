"""float32 softmax and log_softmax over a dim that is not the last, as PyTorch 2.13's CPU kernels
compute them (SoftMaxKernel.cpp: `_vec_softmax`, `_vec_logsoftmax`, `_vec_softmax_backward`,
`_vec_log_softmax_backward`), bit for bit. The last dim's kernels are in expf.py.

The input is seen as (outer, dim, inner). Each of the outer * inner columns is reduced along
dim, one element after another (a "vertical" reduction), with no reordering: the kernels run
`Vectorized<float>` over groups of consecutive columns (the vector lanes) and a scalar loop over
the `inner % lanes` columns left at the end of each outer row. Lanes and scalar code differ only
in their exp (SLEEF's in the lanes, glibc's expf in the scalar loop), in how softmax's max meets
a NaN (the lanes propagate it, `std::max` keeps the first operand), and in whether the compiler
fused a multiply-add. Facts checked against PyTorch by tests/core/test_softmax_inner.py.
"""

import numpy as np

from ..fma import _fma32
from .expf import _LANES, _LOW29, _TIE29, glibc_expf, sleef_expf, sleef_logf

_F32, _F64 = np.float32, np.float64


def _columns(a, dim):
    """a (C-contiguous) as (outer, dim, inner), and the number of inner columns run in lanes."""
    inner = int(np.prod(a.shape[dim + 1:], dtype=np.int64))
    cube = np.ascontiguousarray(a).reshape(-1, a.shape[dim], inner)
    return cube, inner - inner % _LANES


def _by_lanes(cube, lanes, lane_fn, scalar_fn):
    """lane_fn on the columns run in vector lanes, scalar_fn on the others (same shapes out)."""
    out = np.empty_like(cube)
    if lanes:
        out[:, :, :lanes] = lane_fn(cube[:, :, :lanes])
    if lanes < cube.shape[2]:
        out[:, :, lanes:] = scalar_fn(cube[:, :, lanes:])
    return out


def _running_sum(rows):
    """The float32 sum along axis 1 added in order from 0 (a vertical accumulation): accumulate
    adds one element after another; the final `+ 0` is the kernel's start from 0 (-0. + 0. = 0.)."""
    return np.add.accumulate(rows, axis=1)[:, -1] + _F32(0)


def _running_fma_sum(a, b):
    """The sum along axis 1 of a * b, each step `acc += a * b` one fused multiply-add: the
    product is exact in float64 and `acc + product` there rounds to float32's fma, except where
    the float64 sum was rounded onto a float32 tie; the columns where one was are run again by
    _fma32 (an exact sum on a tie is rounded once, rightly). The loop does two numpy calls a
    step (its sums are kept, and checked for ties after it)."""
    products = np.moveaxis(a.astype(_F64) * b, 1, 0)  # (dim, outer, inner)
    sums = np.empty_like(products)
    acc = np.zeros(products.shape[1:], _F32)
    for k in range(len(products)):
        np.add(acc, products[k], out=sums[k])
        acc = sums[k].astype(_F32)
    before = np.concatenate([np.zeros((1,) + acc.shape), sums[:-1].astype(_F32)])
    tie = (sums.view(np.uint64) & _LOW29) == _TIE29
    tie &= ((sums - before) != products) | ((sums - products) != before)
    tied = tie.any(axis=0)
    if tied.any():
        exact = np.zeros(int(tied.sum()), _F32)
        for k in range(a.shape[1]):
            exact = _fma32(a[:, k][tied], b[:, k][tied], exact)
        acc[tied] = exact
    return acc


def _first_kept_max(x):
    """std::max folded along axis 1, `m < x ? x : m`: a NaN first stays, a later one is passed
    over (the max of the others: fmax ignores NaN)."""
    first = x[:, 0]
    return np.where(np.isnan(first), first, np.fmax.reduce(x, axis=1))


def _softmax_block(x, m, exp):
    e = exp(x - m[:, None])
    return e / _running_sum(e)[:, None]


def softmax_inner_float32(d, dim):
    """torch.softmax(x, dim) of a float32 array, dim not the last (nor of size 0)."""
    cube, lanes = _columns(d, dim)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        out = _by_lanes(cube, lanes,
                        lambda x: _softmax_block(x, np.max(x, axis=1), sleef_expf),
                        lambda x: _softmax_block(x, _first_kept_max(x), glibc_expf))
    return out.reshape(d.shape)


def log_softmax_inner_float32(d, dim):
    """torch.log_softmax(x, dim) of a float32 array, dim not the last: per column, the max of
    the elements above -inf (`x > max`, so NaN is passed over), the sum of exp(x - max) in order,
    SLEEF's log of it (every column: the tail goes through a partial vector), x - max - log."""
    cube, lanes = _columns(d, dim)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        top = np.fmax.reduce(cube, axis=1, initial=-np.inf)  # `x > max ? x : max` from -inf
        shifted = cube - top[:, None]
        e = _by_lanes(shifted, lanes, sleef_expf, glibc_expf)
        log_sum = sleef_logf(_running_sum(e))
        return (shifted - log_sum[:, None]).reshape(d.shape)


def softmax_backward_inner_float32(grad, output, dim):
    """PyTorch's float32 softmax backward over a dim that is not the last: per column,
    s = the sum of grad * output in order (each step one fused multiply-add), then
    output * (grad - s)."""
    g, lanes = _columns(grad, dim)
    r, _ = _columns(output, dim)
    s = _running_fma_sum(g, r)
    return (r * (g - s[:, None])).reshape(grad.shape)


def log_softmax_backward_inner_float32(grad, output, dim):
    """PyTorch's float32 log_softmax backward over a dim that is not the last: per column,
    s = the sum of grad in order, then grad - exp(output) * s as one fused multiply-add
    (SLEEF's exp in the lanes, glibc's in the scalar columns)."""
    g, lanes = _columns(grad, dim)
    r, _ = _columns(output, dim)
    s = np.broadcast_to(_running_sum(g)[:, None], g.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        e = _by_lanes(r, lanes, sleef_expf, glibc_expf)
        return _fma32(-e, s, g).reshape(grad.shape)
