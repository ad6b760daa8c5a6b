"""Padding: torch.constant_pad_nd and F.pad's modes, as PyTorch computes them.

`pad` lists (left, right) amounts from the last dim backwards; a negative amount crops. The
constant mode's gradient is the same op with the amounts negated (PyTorch's
constant_pad_nd_backward), so its backward is ConstantPadNdBackward0 again. The reflect and
replicate modes are PyTorch's reflection_pad{1,2,3}d / replication_pad{1,2,3}d: each output
element reads one input element (an index per padded dim), the gradient adds the output's
gradients back into the elements read (ReflectionPad2DBackward0...), and that backward op's
own gradient is the pad again (ReflectionPad2DBackwardBackward0...). The circular mode is
PyTorch's composition: the input copied into the middle of an empty tensor, then each border
copied from the other side, slice by slice (CopySlices and SliceBackward0 nodes).
"""

import numpy as np

from .. import factories
from ..memory import check_alloc
from .base import backward_op, needs_grad, record
from .base import format_result
from .registry import declare
from .base import rule, save
from ..tensor import TENSOR_TYPES


def _check_pad(pad, ndim):
    for i, p in enumerate(pad):
        if type(p) is not int and not isinstance(p, np.integer):
            raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, but "
                            f"found element of type {type(p).__name__} at pos {i}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{ndim}")


def _padded(x, pad, value):
    """x (an array) padded by `value`, or cropped where an amount is negative."""
    shape, source, target = list(x.shape), [slice(None)] * x.ndim, [slice(None)] * x.ndim
    for i in range(len(pad) // 2):
        d = x.ndim - 1 - i
        left, right = pad[2 * i], pad[2 * i + 1]
        n = x.shape[d]
        size = n + left + right
        if size < 0 or n - max(0, -left) - max(0, -right) < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        shape[d] = size
        source[d] = slice(max(0, -left), n - max(0, -right))
        target[d] = slice(max(0, left), max(0, left) + max(0, n - max(0, -left) - max(0, -right)))
    check_alloc(shape, x.dtype)  # before the work: a convolution's padded input (round 8)
    out = np.full(shape, value, x.dtype)
    out[tuple(target)] = x[tuple(source)]
    return out


@rule
def ConstantPadNdBackward0(need, g, pad):
    crop = [-p for p in pad]
    return (constant_pad_nd(g, crop) if type(g) in TENSOR_TYPES else _padded(g, crop, 0),)


@declare(method=False)
def constant_pad_nd(input, pad, value=0):
    """input padded by `value`: (left, right) per dim from the last; negative amounts crop."""
    pad = list(pad)
    _check_pad(pad, input._data.ndim)
    out = format_result(_padded(input._data, pad, value), input._data, volumes=True)
    if needs_grad(input):
        record(out, ConstantPadNdBackward0, (input,), (pad,))
    return out


# ----- reflect and replicate: one index array per padded dim ----------------------------------
def _source_index(n, left, right, mode):
    """Which input element each output element of one dim reads (negative amounts crop)."""
    i = np.arange(-left, n + right)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    i = np.abs(i)
    return np.where(i > n - 1, 2 * (n - 1) - i, i)


def _indices(shape, pad, mode):
    """(axis, index) of each padded dim, the last dim first as `pad` lists them."""
    return [(len(shape) - 1 - k, _source_index(shape[len(shape) - 1 - k], pad[2 * k],
                                               pad[2 * k + 1], mode))
            for k in range(len(pad) // 2)]


def _gathered(x, pad, mode):
    # the result and its index arrays, from the sizes, before any is made (round 8: a padding
    # of 10**9 made an index array of 16 GB before the result was refused)
    shape = list(x.shape)
    for k in range(len(pad) // 2):
        d = len(shape) - 1 - k
        shape[d] = max(shape[d] + pad[2 * k] + pad[2 * k + 1], 0)
        check_alloc((shape[d],), np.int64)
    check_alloc(shape, x.dtype)
    for axis, index in _indices(x.shape, pad, mode):
        x = np.take(x, index, axis=axis)
    return x


def _folded(g, x, pad, mode):
    """The gradient of _gathered: each output gradient added into the input element it read."""
    for axis, index in reversed(_indices(x.shape, pad, mode)):
        shape = list(g.shape)
        shape[axis] = x.shape[axis]
        out = np.zeros(shape, g.dtype)
        np.add.at(out, (slice(None),) * axis + (index,), g)
        g = out
    return g


_NODE_PREFIX = {"reflect": "ReflectionPad", "replicate": "ReplicationPad"}


def _padding_nodes(mode, k):
    """The pad op's node and its backward op's node (ReflectionPad2DBackward0 and
    ReflectionPad2DBackwardBackward0), named as PyTorch's."""
    name = f"{_NODE_PREFIX[mode]}{k}DBackward"

    def backward_backward(need, gg, grad_output, self, padding, mode_):
        return (_index_pad(gg, padding, mode) if need[0] else None,
                _zeros_like(self, gg) if need[1] else None)

    def backward(need, g, self, padding):
        return (backward_op(backward_backward_node, _folded_value, g, (self,), (padding, mode)),)

    backward_backward_node = rule(backward_backward, name=name + "Backward0")
    return rule(backward, name=name + "0")


def _folded_value(g, x, padding, mode):
    return _folded(g, x, padding, mode)


def _zeros_like(self, gg):
    if type(gg) in TENSOR_TYPES:
        return factories.zeros(tuple(self.shape), dtype=self.dtype)
    return np.zeros_like(self._data if type(self) in TENSOR_TYPES else self)


_NODES = {(mode, k): _padding_nodes(mode, k) for mode in _NODE_PREFIX for k in (1, 2, 3)}


def _index_pad(input, pad, mode):
    """reflection_pad / replication_pad of `input` (an array when no graph is recorded)."""
    if type(input) not in TENSOR_TYPES:
        return _gathered(input, pad, mode)
    out = format_result(_gathered(input._data, pad, mode), input._data, volumes=True)
    if needs_grad(input):
        record(out, _NODES[mode, len(pad) // 2], (input,), (save(input, "self"), list(pad)))
    return out


def _check_index_pad(shape, pad, mode):
    """PyTorch's checks of reflection_pad / replication_pad: non-empty planes and, for reflect,
    each amount less than its dim."""
    k = len(pad) // 2
    if any(n == 0 for n in shape[1:]) or len(shape) == k:
        dims = {1: "2D or 3D", 2: "3D or 4D", 3: "4D or 5D"}[k]
        raise RuntimeError(f"Expected {dims} (batch mode) tensor with possibly 0 batch size "
                           f"and other non-zero dimensions for input, but got: {list(shape)}")
    if mode != "reflect":
        return
    for i in range(k):  # the last dim first, as PyTorch checks them (its argument #4, #6...)
        axis, left, right = len(shape) - 1 - i, pad[2 * i], pad[2 * i + 1]
        if left >= shape[axis] or right >= shape[axis]:
            raise RuntimeError(f"Argument #{2 * i + 4}: Padding size should be less than the "
                               "corresponding input dimension, but got: padding "
                               f"({left}, {right}) at dimension {axis} of input {list(shape)}")


# ----- circular: PyTorch's copies into slices ---------------------------------------------------
def _slice(t, dim, start, stop):
    return t.narrow(dim, start, stop - start)  # SliceBackward0 even when it is all of the dim


def _circular_pad(input, pad):
    """PyTorch's _pad_circular: the input (cropped by negative amounts) copied into the middle,
    then for each dim from the last the left border from the right end and the right border
    from the left end of what is there."""
    k = len(pad) // 2
    x = input
    in_shape = tuple(x.shape)
    amounts = [(len(in_shape) - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(k)]
    out_shape = list(in_shape)
    for dim, left, right in amounts:
        out_shape[dim] += left + right
        if left > in_shape[dim] or right > in_shape[dim]:
            raise RuntimeError("Padding value causes wrapping around more than once.")
    out = factories.empty(tuple(out_shape), dtype=x.dtype)
    out_slice, in_slice = out, x
    for dim, left, right in amounts:
        out_slice = _slice(out_slice, dim, max(left, 0), out_shape[dim] - max(right, 0))
        in_slice = _slice(in_slice, dim, max(-left, 0), in_shape[dim] - max(-right, 0))
    out_slice.copy_(in_slice)
    for dim, left, right in amounts:
        n = out_shape[dim]
        if left > 0:
            _slice(out, dim, 0, left).copy_(
                _slice(out, dim, n - left - max(right, 0), n - max(right, 0)))
        if right > 0:
            _slice(out, dim, n - right, n).copy_(
                _slice(out, dim, max(left, 0), max(left, 0) + right))
    return out


MODES = ("constant", "reflect", "replicate", "circular")


def _check_mode_pad(shape, pad, mode, value):
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    k = len(pad) // 2
    if not 1 <= k <= 3 or len(shape) not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {len(shape)}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


@declare(method=False, function=False, nn=True)
def pad(input, pad, mode="constant", value=None):
    """torch.nn.functional.pad: constant, reflect, replicate or circular."""
    if mode not in MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode == "constant":
        return constant_pad_nd(input, pad, 0 if value is None else value)
    pad = list(pad)
    _check_mode_pad(tuple(input.shape), pad, mode, value)
    if mode == "circular":
        return _circular_pad(input, pad)
    _check_index_pad(tuple(input.shape), pad, mode)
    return _index_pad(input, pad, mode)
