"""F.fractional_max_pool2d/3d (Graham's fractional max-pooling) as PyTorch computes it.

The functions draw their random samples as PyTorch's functional.py does (`torch.rand(N, C, 2 or
3, dtype=input.dtype)` from the default generator, unless `_random_samples` is given); each
plane's windows start where generate_intervals puts them, in the input's float type:
`int((i + u) * alpha) - int(u * alpha)` with alpha = (input - pool) / (output - 1), the last
window at input - pool. A window keeps its first maximum in scan order and moves to any NaN
(PyTorch's `val > max || isnan(val)`). The gradient adds the incoming one at the indices of the
maxima, as max pooling's (FractionalMaxPool2DBackward0 and its double backward)."""

import numpy as np

from .base import format_result, needs_grad, record, save, save_index
from .pooling import _max_node, _named
from .registry import declare
from ..factories import rand
from ..tensor import Tensor

_NODES = {nd: _max_node(f"FractionalMaxPool{nd}D", nd) for nd in (2, 3)}
_AXES = {2: ("height", "width"), 3: ("time", "height", "width")}


def _sizes(v, nd, what, op):
    if isinstance(v, (tuple, list)):
        if len(v) == 1:
            return tuple(v) * nd
        if len(v) != nd:
            raise RuntimeError(f"{op}: {what} must either be a single Int or tuple of Ints")
        return tuple(v)
    return (v,) * nd


def _length(v):
    if not isinstance(v, (tuple, list, Tensor)):
        raise TypeError(f"object of type '{type(v).__name__}' has no len()")
    return len(v)


def _intervals(u, n, out, pool):
    """generate_intervals for every plane at once: u (planes,) samples in the input's type."""
    f = u.dtype.type
    seq = np.empty(u.shape + (out,), np.int64)
    if out > 1:
        alpha = f(n - pool) / f(out - 1)
        i = np.arange(out - 1, dtype=u.dtype)
        seq[:, :-1] = (np.trunc((i + u[:, None]) * alpha).astype(np.int64)
                       - np.trunc(u * alpha).astype(np.int64)[:, None])
    if out > 0:
        seq[:, -1] = n - pool
    return seq


def _forward(x, kernel, out, samples):
    """The maxima and their flat indices: x (planes, *spatial), samples (planes, nd)."""
    nd = len(kernel)
    planes, spatial = x.shape[0], x.shape[1:]
    if planes == 0:  # an empty batch
        return np.empty((0,) + tuple(out), x.dtype), np.empty((0,) + tuple(out), np.int64)
    flat = x.reshape(planes, int(np.prod(spatial)))
    column = (1, 0) if nd == 2 else (0, 1, 2)  # the 2-d kernel reads W's sample first
    starts = [_intervals(samples[:, column[d]], spatial[d], out[d], kernel[d])
              for d in range(nd)]
    strides = [int(np.prod(spatial[d + 1:])) for d in range(nd)]
    base = 0
    for d in range(nd):
        shape = [planes] + [1] * nd
        shape[d + 1] = out[d]
        base = base + starts[d].reshape(shape) * strides[d]
    best = np.full((planes,) + tuple(out), -np.inf, x.dtype)
    index = np.broadcast_to(base, best.shape).copy()
    for offset in np.ndindex(*kernel):
        at = base + sum(o * s for o, s in zip(offset, strides))
        at = np.broadcast_to(at, best.shape)
        v = np.take_along_axis(flat, at.reshape(planes, -1), 1).reshape(best.shape)
        take = (v > best) | np.isnan(v)
        best = np.where(take, v, best)
        index = np.where(take, at, index)
    return best, index


def _pool(input, nd, kernel_size, output_size, samples):
    op = f"fractional_max_pool{nd}d"
    kernel = _sizes(kernel_size, nd, "kernel_size", op)
    out = _sizes(output_size, nd, "output_size", op)
    x = input._data
    if x.ndim not in (nd + 1, nd + 2):
        dims = ("3D or 4D", "4D or 5D")[nd - 2]
        raise RuntimeError(f"{op}(): Expected {dims} tensor, but got: {list(x.shape)}")
    for d in range(1, x.ndim):
        if x.shape[d] == 0:
            raise RuntimeError(f"{op}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but got{list(x.shape)} with dimension {d} being "
                               "empty.")
    spatial = x.shape[-nd:]
    where = op + ("_out()" if nd == 3 else "()")
    for name, o, k, n in zip(_AXES[nd], out, kernel, spatial):
        # (ATen's 3-d kernel asks for a strictly smaller sum than its 2-d one does)
        if o + k - 1 >= n if nd == 3 else o + k - 1 > n:
            raise RuntimeError(f"{where}: pool {name} {k} too large relative to input {name} {n}")
    channels = x.shape[-nd - 1]
    s = samples._data
    if s.shape[1] != channels:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if s.dtype != x.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    batch = x.shape[:-nd]
    best, index = _forward(x.reshape((-1,) + spatial), kernel, out,
                           s.reshape(-1, nd)[: int(np.prod(batch))])
    values = format_result(best.reshape(batch + tuple(out)), x)
    if needs_grad(input):
        record(values, _NODES[nd], (input,),
               (save(input, "self"), save_index(index.reshape(values.shape))))
    return values, format_result(index.reshape(values.shape), x)


def _with_indices(nd):
    op = f"fractional_max_pool{nd}d"

    def function(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        if output_size is None and output_ratio is None:
            raise ValueError(f"{op} requires specifying either an output_size or an "
                             "output_ratio")
        if output_size is None:
            if nd == 2 and _length(output_ratio) > 2:  # (PyTorch's len(): a number fails)
                raise ValueError(f"{op} requires output_ratio to either be a single Int or "
                                 "tuple of Ints.")
            ratio = _sizes(output_ratio, nd, "output_ratio", op)
            output_size = [int(input.size(d - nd) * r) for d, r in enumerate(ratio)]
        if _random_samples is None:
            n_batch = 1 if input.dim() == nd + 1 else input.size(0)
            _random_samples = rand(n_batch, input.size(-nd - 1), nd, dtype=input.dtype)
        return _pool(input, nd, kernel_size, output_size, _random_samples)
    return _named(function, op + "_with_indices")


fractional_max_pool2d_with_indices = _with_indices(2)
fractional_max_pool3d_with_indices = _with_indices(3)
declare(fractional_max_pool2d_with_indices, method=False, function=False, nn=True)
declare(fractional_max_pool3d_with_indices, method=False, function=False, nn=True)


def _dispatch(with_indices, nd):
    """F.fractional_max_pool{2,3}d: the values, or (values, indices) with return_indices."""
    def function(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        out = with_indices(input, kernel_size, output_size, output_ratio, return_indices,
                           _random_samples)
        return out if return_indices else out[0]
    return _named(function, f"fractional_max_pool{nd}d")


fractional_max_pool2d = _dispatch(fractional_max_pool2d_with_indices, 2)
fractional_max_pool3d = _dispatch(fractional_max_pool3d_with_indices, 3)
declare(fractional_max_pool2d, method=False, function=False, nn=True)
declare(fractional_max_pool3d, method=False, function=False, nn=True)
