"""Constant padding: torch.constant_pad_nd and F.pad(mode="constant"), as PyTorch computes it.

`pad` lists (left, right) amounts from the last dim backwards; a negative amount crops. The
gradient is the same op with the amounts negated (PyTorch's constant_pad_nd_backward), so its
backward is ConstantPadNdBackward0 again.
"""

import numpy as np

from .base import make, needs_grad, record
from .base import contiguous_result as result
from .registry import declare
from .base import rule
from ..tensor import Tensor


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
    out = np.full(shape, value, x.dtype)
    out[tuple(target)] = x[tuple(source)]
    return out


@rule
def ConstantPadNdBackward0(need, g, pad):
    crop = [-p for p in pad]
    return (constant_pad_nd(g, crop) if type(g) is Tensor else _padded(g, crop, 0),)


@declare(method=False)
def constant_pad_nd(input, pad, value=0):
    """input padded by `value`: (left, right) per dim from the last; negative amounts crop."""
    pad = list(pad)
    _check_pad(pad, input._data.ndim)
    out = result(_padded(input._data, pad, value))
    if needs_grad(input):
        record(out, ConstantPadNdBackward0, (input,), (pad,))
    return out


MODES = ("constant", "reflect", "replicate", "circular")


@declare(method=False, function=False, nn=True)
def pad(input, pad, mode="constant", value=None):
    """torch.nn.functional.pad: the constant mode (the others are not there yet)."""
    if mode not in MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant":
        raise NotImplementedError(f"F.pad(mode={mode!r}) is not in gradsh yet: use "
                                  "mode='constant'")
    return constant_pad_nd(input, pad, 0 if value is None else value)
