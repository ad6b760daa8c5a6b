"""PyTorch's CPU orders for the variance and the 2-norm (ATen's ReduceOps.cpp and
ReduceOpsKernel.cpp, x86-64 AVX2 kernels), float32 and float64, written with numpy.

- The variance of every element, or over dims that leave no dim of more than one element
  (`std_var_all_cpu`): the mean as `self.mean()` (the ordered sum divided by n, in the
  tensor's dtype) made a double, then `(x - mean) ** 2` added one by one in double, in memory
  order, from 0.
- The variance over dims (`std_var_kernel_impl`, also every `var_mean`/`std_mean`): Welford's
  update in double for each output, over its elements in TensorIterator's order (the reduced
  dims by stride, the smallest innermost): `delta = x - mean; mean += delta / n;
  m2 += delta * (x - mean)`.
- The 2-norm where TensorIterator leaves one reduced dim of unit stride (`norm()` of a dense
  tensor in any dim order, `norm(dim=-1)` of a contiguous one; `binary_kernel_reduce_lastdim`):
  per row, L lanes (8 floats, 4 doubles) of squares added vector by vector, the lanes added
  one by one, then the tail: its first four elements squared as a 4-wide vector and added
  (float32 tails of 4 to 7), the rest by fused multiply-adds (the compiler contracts the
  scalar `acc += x * x`). Elsewhere (`NormTwoOps` in `binary_kernel_reduce`): the squares
  added one by one in the dtype, from 0, in TensorIterator's order; the 1-norm so too
  (`NormOneOps`, every layout), and every other finite order p but 0 (`NormOps`: `|x| ** p`
  by the C library's pow, powf in float32, added one by one, then `acc ** (1 / p)` with 1 / p
  taken in the dtype).
Measured against PyTorch 2.13 by `python tools/measure_float32_reductions.py` (docs/autograd.md,
"Float32 reductions").
"""

from math import prod

import numpy as np

from ..fma import _fma32, _fma64
from .cephes import pow_scalar
from .summation import SERIAL_MAX, _plan, lanes_of

_F64 = np.dtype(np.float64)
_TAIL_VECTOR = 4  # the tail's 4-wide vector step (SSE), unfused
WELFORD_MAX = 1 << 14  # longest reduction gradsh runs Welford's update over (one numpy step each)


def iterator_rows(d, dims):
    """d as (outputs, elements) in TensorIterator's walk of a reduction over dims (a tuple of
    axes in range): each row's elements in the order PyTorch visits them. Returns (rows,
    lastdim, out_shape): lastdim when the reduced elements are one dim of unit stride; None
    where the walk is not reproduced (negative strides) or there is none (no elements)."""
    itemsize = d.itemsize
    strides = tuple(s // itemsize for s in d.strides)
    if not d.size or any(s < 0 for s in strides):
        return None
    kind, order, view_shape, stride0, _, nkept, out_shape = _plan(d.shape, strides, dims)
    view = d.transpose(order).reshape(view_shape)
    rows = view.reshape(prod(view_shape[:nkept]), -1)
    return rows, len(view_shape) - nkept == 1 and stride0 == 1, out_shape


def every_dim_reduced(shape, dims):
    """True when the reduction leaves no dim of more than one element (PyTorch's all-reduce
    kernels run then)."""
    return dims is None or all(n == 1 for k, n in enumerate(shape) if k not in dims)


def var_all(d, mean, c, n):
    """std_var_all_cpu's variance (a double): mean is `self.mean()` in d's dtype; the squared
    deviations in double, one by one in memory order."""
    rows = None if d.flags.c_contiguous else iterator_rows(d, tuple(range(d.ndim)))
    flat = d.reshape(-1) if rows is None else rows[0].reshape(-1)
    dx = flat.astype(_F64) - np.float64(mean)
    return np.add.accumulate(dx * dx)[-1] / (n - c)


def welford(d, dims):
    """(m2, mean, out_shape) of Welford's update in double over dims, each output's elements in
    TensorIterator's order; None where gradsh does not run it (negative strides, several
    outputs over more than WELFORD_MAX elements each, one output of more than SERIAL_MAX
    elements: PyTorch splits it among its threads)."""
    walk = iterator_rows(d, dims)
    if walk is None:
        return None
    rows, _, out_shape = walk
    count = rows.shape[1]
    if len(rows) == 1:
        return (*_welford_one(rows[0]), out_shape) if count <= SERIAL_MAX else None
    if count > WELFORD_MAX:
        return None
    mean = np.zeros(len(rows))
    m2 = np.zeros(len(rows))
    for i, x in enumerate(rows.T.astype(_F64)):
        delta = x - mean
        mean = mean + delta / float(i + 1)
        m2 = m2 + delta * (x - mean)
    return m2, mean, out_shape


def _welford_one(row):
    """Welford's update over one row, in Python's floats (doubles; faster than numpy's calls
    for a single output)."""
    mean = m2 = 0.0
    for i, x in enumerate(row.astype(_F64).tolist(), 1):
        delta = x - mean
        mean += delta / i
        m2 += delta * (x - mean)
    return np.float64(m2), np.float64(mean)


def _lastdim_squares(rows):
    """The sum of squares of every row as binary_kernel_reduce_lastdim's 2-norm adds them."""
    count = rows.shape[1]
    lanes = lanes_of(rows.dtype)
    body = count - count % lanes
    vectors = rows[:, :body].reshape(len(rows), -1, lanes).transpose(1, 0, 2)
    # vector by vector: numpy adds the slices of a C-contiguous array's outer axis in order
    acc = np.add.reduce(np.multiply(vectors, vectors, order="C"), axis=0)
    total = acc[:, 0]
    for lane in range(1, lanes):  # then the lanes one by one
        total = total + acc[:, lane]
    tail = count - body
    plain = body + tail - tail % _TAIL_VECTOR
    if plain > body:
        squares = rows[:, body:plain] * rows[:, body:plain]
        total = np.add.accumulate(np.concatenate((total[:, None], squares), 1), axis=1)[:, -1]
    fma = _fma32 if rows.dtype != _F64 else _fma64
    for k in range(plain, count):
        x = rows[:, k]
        total = fma(x, x, total)
    return total


def vector_norm(d, dims, keepdim, p):
    """The float32 or float64 p-norm (p finite, not 0) of the non-empty d over dims (None: all)
    as PyTorch's CPU kernels compute it; None where gradsh keeps numpy's (negative strides, one
    output of more than SERIAL_MAX elements outside the unit-stride 2-norm kernel, more than
    SERIAL_MAX elements in all for an order other than 1 and 2)."""
    axes = tuple(range(d.ndim)) if dims is None else tuple(dims)
    walk = iterator_rows(d, axes)
    if walk is None:
        return None
    rows, lastdim, out_shape = walk
    if rows.shape[1] == 1:  # linalg_vector_norm's shortcut for a reduction over size-1 dims
        out = np.abs(rows[:, 0])
    elif p == 2 and lastdim:
        out = np.sqrt(_lastdim_squares(rows))
    elif len(rows) == 1 and rows.shape[1] > SERIAL_MAX:
        return None
    elif p != 1 and p != 2 and rows.size > SERIAL_MAX:
        return None  # (the C library's pow element by element: 2 us each, a learner's sizes)
    else:  # NormTwoOps / NormOneOps / NormOps: the terms added one by one in the dtype, from 0
        terms = rows * rows if p == 2 else np.abs(rows) if p == 1 else \
            pow_scalar(np.abs(rows), p)
        zero = np.zeros((len(rows), 1), d.dtype)
        with np.errstate(all="ignore"):  # (0 ** -p is inf, as in C)
            out = np.add.accumulate(np.concatenate((zero, terms), 1), axis=1)[:, -1]
        if p == 2:
            out = np.sqrt(out)
        elif p != 1:
            t = d.dtype.type
            out = pow_scalar(out, t(1) / t(p))
    if keepdim:
        return out.reshape(tuple(1 if k in axes else n for k, n in enumerate(d.shape)))
    return out.reshape(out_shape)
