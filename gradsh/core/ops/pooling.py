"""max_pool2d and avg_pool2d as PyTorch's CPU kernels compute them (NCHW or unbatched CHW).

The forward pass walks the kernel offsets (a strided slice of the padded input per offset, so
no Python loop over elements) in PyTorch's scan order: a max keeps the first maximum of its
window and moves to any NaN it meets (the last NaN wins, as in PyTorch's `val > max || isnan`);
an average adds its window's elements in scan order and divides once. The gradient is a
scatter-add of the incoming gradient in output order (PyTorch's accumulation order), with
library ops under create_graph so the backward of the backward is recorded.
"""

import numpy as np

from .base import make, needs_grad, record, rule, save
from .base import contiguous_result as result
from .composite import composite_backward
from .registry import declare
from ..node import node_class
from ..tensor import Tensor


def _pair(v, default=None):
    if v is None or (isinstance(v, (tuple, list)) and len(v) == 0):
        v = default
    return tuple(v) * (2 if len(v) == 1 else 1) if isinstance(v, (tuple, list)) else (v, v)


def _out_size(n, k, s, p, d, ceil_mode):
    """PyTorch's pooling_output_shape: the last window must start inside the input or its left
    padding."""
    span = d * (k - 1) + 1
    out = (n + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def _geometry(x, kernel, stride, padding, dilation, ceil_mode):
    """Output size per spatial dim, with PyTorch's checks and words."""
    if x.ndim not in (3, 4) or x.size == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    for k, p, d in zip(kernel, padding, dilation):
        if k <= 0 or d <= 0:
            raise RuntimeError("kernel size and dilation should be greater than zero, but got "
                               f"kH: {kernel[0]} kW: {kernel[1]} dilationH: {dilation[0]} "
                               f"dilationW: {dilation[1]}")
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError("pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
    out = [_out_size(n, k, s, p, d, ceil_mode)
           for n, k, s, p, d in zip(x.shape[-2:], kernel, stride, padding, dilation)]
    if min(out) < 1:
        c, h, w = x.shape[-3:]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: "
                           f"({c}x{out[0]}x{out[1]}). Output size is too small")
    return out


def _padded(x, out, kernel, stride, padding, dilation, fill):
    """x padded by `fill` on the left by padding and on the right as far as the last window."""
    pads = []
    for n, o, k, s, p, d in zip(x.shape[-2:], out, kernel, stride, padding, dilation):
        right = max(p, (o - 1) * s + d * (k - 1) + 1 - p - n)
        pads.append((p, right))
    return np.pad(x, ((0, 0),) * (x.ndim - 2) + tuple(pads), constant_values=fill)


def _offsets(out, kernel, stride, dilation):
    """Each kernel offset in scan order: (slices of the padded input, row positions, column
    positions) where the positions are in padded coordinates."""
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            r0, c0 = i * dilation[0], j * dilation[1]
            rows = slice(r0, r0 + (out[0] - 1) * stride[0] + 1, stride[0])
            cols = slice(c0, c0 + (out[1] - 1) * stride[1] + 1, stride[1])
            yield (Ellipsis, rows, cols), np.arange(out[0]) * stride[0] + r0, \
                np.arange(out[1]) * stride[1] + c0


def _max_forward(x, out, kernel, stride, padding, dilation):
    """The maxima and their flat indices in each (unpadded) plane."""
    h, w = x.shape[-2:]
    xp = _padded(x, out, kernel, stride, padding, dilation, -np.inf)
    best = np.full(x.shape[:-2] + tuple(out), -np.inf, x.dtype)
    index = np.full(best.shape, -1, np.int64)
    for key, rows, cols in _offsets(out, kernel, stride, dilation):
        r, c = rows - padding[0], cols - padding[1]
        valid = ((r >= 0) & (r < h))[:, None] & ((c >= 0) & (c < w))[None, :]
        v = xp[key]
        take = (v > best) | np.isnan(v) | ((index < 0) & valid)
        best = np.where(take, v, best)
        index = np.where(take, r[:, None] * w + c[None, :], index)
    return best, index


def _avg_divisor(shape, out, kernel, stride, padding, count_include_pad, divisor_override):
    """PyTorch's divide_factor per output position (out[0], out[1])."""
    if divisor_override:
        return np.full(out, divisor_override)
    sizes = []
    for n, o, k, s, p in zip(shape, out, kernel, stride, padding):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        whole = end - start
        inside = np.minimum(end, n) - np.maximum(start, 0)
        sizes.append(whole if count_include_pad else inside)
    return sizes[0][:, None] * sizes[1][None, :]


def _avg_forward(x, out, kernel, stride, padding, divisor):
    xp = _padded(x, out, kernel, stride, padding, (1, 1), 0)
    total = np.zeros(x.shape[:-2] + tuple(out), x.dtype)
    for key, _, _ in _offsets(out, kernel, stride, (1, 1)):
        total = total + xp[key]
    return (total / divisor.astype(x.dtype)).astype(x.dtype)


def _scatter_planes(g, index, rows, plane):
    """Add g (rows of planes, any trailing shape) into `rows` zero planes of `plane` elements
    at the flat `index` (broadcast against g), in g's element order (PyTorch's accumulation
    order). g may be a tensor (the gradient under create_graph: recorded as a scatter_add)."""
    flat_i = np.broadcast_to(index, g.shape).reshape(rows, -1)
    if type(g) is not Tensor:
        planes = np.zeros((rows, plane), g.dtype)
        np.add.at(planes, (np.arange(rows)[:, None], flat_i), g.reshape(rows, -1))
        return planes
    zeros = make(np.zeros((rows, plane), g._data.dtype))
    return zeros.scatter_add(1, make(np.ascontiguousarray(flat_i)), g.reshape(rows, -1))


def _max_grads(need, g, input, index):
    shape = input.shape
    planes = _scatter_planes(g, index, int(np.prod(shape[:-2])), shape[-2] * shape[-1])
    return (planes.reshape(shape),)


max_pool_backward = composite_backward("MaxPool2DWithIndicesBackwardBackward0", _max_grads, 1, 1,
                                       zeros_for_unused=True)


@rule
def MaxPool2DWithIndicesBackward0(need, g, input, index):
    return max_pool_backward(need, g, input, index)


def _avg_grads(g, shape, out, kernel, stride, padding, divisor, padded):
    """avg_pool2d's gradient (arrays): each window's share added in output order."""
    g = g / divisor.astype(g.dtype)
    hp, wp = padded
    rows = (np.arange(out[0]) * stride[0])[:, None, None, None] + np.arange(kernel[0])[:, None]
    cols = (np.arange(out[1]) * stride[1])[None, :, None, None] + np.arange(kernel[1])[None, :]
    index = rows * wp + cols  # (OH, OW, KH, KW): each window's elements, in output order
    window = np.broadcast_to(g.reshape(g.shape + (1, 1)), g.shape + tuple(kernel))
    planes = _scatter_planes(window, index, int(np.prod(shape[:-2])), hp * wp)
    planes = planes.reshape(*shape[:-2], hp, wp)
    h, w = shape[-2:]
    return planes[..., padding[0]:padding[0] + h, padding[1]:padding[1] + w]


def _avg_double_backward(need, gg, grad_out, self, out, kernel, stride, padding, divisor,
                         padded):
    """PyTorch's formulas: avg_pool2d of gg for grad_output (its node AvgPool2DBackward0 under
    create_graph), zeros for self."""
    graph = type(gg) is Tensor
    geometry = (out, kernel, stride, padding, divisor, padded)
    to_grad_out = None
    if need[0]:
        to_grad_out = _avg_pool(gg, *geometry) if graph else \
            _avg_forward(gg, out, kernel, stride, padding, divisor)
    to_self = None
    if need[1]:
        zeros = np.zeros(self.shape, gg.dtype if not graph else gg._data.dtype)
        to_self = make(zeros) if graph else zeros
    return to_grad_out, to_self


AvgPool2DBackwardBackward0 = node_class("AvgPool2DBackwardBackward0", _avg_double_backward, 1)


@rule
def AvgPool2DBackward0(need, g, self, *geometry):
    if type(g) is not Tensor:
        return (_avg_grads(g, self.shape, *geometry),)
    grad = make(np.ascontiguousarray(_avg_grads(g._data, self.shape, *geometry)))
    if needs_grad(g, self):
        record(grad, AvgPool2DBackwardBackward0, (g, self), (g, self) + geometry)
    return (grad,)


def _avg_pool(input, out, kernel, stride, padding, divisor, padded):
    values = result(_avg_forward(input._data, out, kernel, stride, padding, divisor))
    if needs_grad(input):
        record(values, AvgPool2DBackward0, (input,),
               (save(input, "self"), out, kernel, stride, padding, divisor, padded))
    return values


@declare(method=False, function=True, nn=True)
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    kernel = _pair(kernel_size)
    stride, padding, dilation = _pair(stride, kernel), _pair(padding), _pair(dilation)
    x = input._data
    out = _geometry(x, kernel, stride, padding, dilation, ceil_mode)
    best, index = _max_forward(x, out, kernel, stride, padding, dilation)
    values = result(best)
    if needs_grad(input):
        record(values, MaxPool2DWithIndicesBackward0, (input,), (save(input, "self"), index))
    return (values, make(index)) if return_indices else values


@declare(method=False, function=False, nn=True)
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    kernel = _pair(kernel_size)
    stride, padding = _pair(stride, kernel), _pair(padding)
    x = input._data
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    out = _geometry(x, kernel, stride, padding, (1, 1), ceil_mode)
    divisor = _avg_divisor(x.shape[-2:], out, kernel, stride, padding, count_include_pad,
                           divisor_override)
    padded = [max(p, (o - 1) * s + k - p - n) + p + n
              for n, o, k, s, p in zip(x.shape[-2:], out, kernel, stride, padding)]
    return _avg_pool(input, out, kernel, stride, padding, divisor, padded)
