"""F.unfold (im2col) and F.fold (col2im): the sliding blocks of a batch of images as columns,
and their sum back into images; each is the other's gradient (Im2ColBackward0 records col2im,
Col2ImBackward0 records im2col), so derivatives of any order come for free.

A plan is one flat index per (channel, kernel offset, block): where that column entry reads in
the zero-padded image. fold adds the columns into the padded image in that order (PyTorch's
col2im loop: channel and kernel offset outer, blocks inner), then drops the padding.
"""

import numpy as np

from .base import needs_grad, record, rule
from .base import contiguous_result as result
from .dtype_refusals import _BOOL, _INTEGERS, refuse_kernel
from .registry import declare
from ..memory import check_alloc, check_work
from ..tensor import TENSOR_TYPES


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _check_positive(kernel, dilation, padding, stride):
    for name, label, v, low in (("kernel size", "kernel", kernel, 1),
                                ("dilation", "dilation", dilation, 1),
                                ("padding", "pad", padding, 0), ("stride", "stride", stride, 1)):
        if min(v) < low:
            rule_text = "greater than zero" if low else "non-negative"
            raise RuntimeError(f"{name} should be {rule_text}, but got {label}_height: {v[0]} "
                               f"{label}_width: {v[1]}")


def _blocks(size, kernel, dilation, padding, stride):
    return tuple((n + 2 * p - d * (k - 1) - 1) // s + 1
                 for n, k, d, p, s in zip(size, kernel, dilation, padding, stride))


def _plan(channels, size, kernel, dilation, padding, stride):
    """(C * kh * kw, L) flat indices into the padded (C, H + 2p, W + 2p) image."""
    hp, wp = size[0] + 2 * padding[0], size[1] + 2 * padding[1]
    bh, bw = _blocks(size, kernel, dilation, padding, stride)
    c = np.arange(channels)[:, None, None, None, None]
    i = np.arange(kernel[0])[None, :, None, None, None] * dilation[0]
    j = np.arange(kernel[1])[None, None, :, None, None] * dilation[1]
    y = np.arange(bh)[None, None, None, :, None] * stride[0]
    x = np.arange(bw)[None, None, None, None, :] * stride[1]
    index = (c * hp + i + y) * wp + (j + x)
    return index.reshape(channels * kernel[0] * kernel[1], bh * bw)


def _im2col_array(x, kernel, dilation, padding, stride):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    return xp.reshape(n, -1)[:, _plan(c, (h, w), kernel, dilation, padding, stride)]


def _col2im_array(cols, size, kernel, dilation, padding, stride):
    n = cols.shape[0]
    c = cols.shape[1] // (kernel[0] * kernel[1])
    hp, wp = size[0] + 2 * padding[0], size[1] + 2 * padding[1]
    index = _plan(c, size, kernel, dilation, padding, stride)
    flat = (np.arange(n)[:, None, None] * (c * hp * wp) + index).ravel()
    out = np.zeros(n * c * hp * wp, cols.dtype)
    np.add.at(out, flat, cols.ravel())
    out = out.reshape(n, c, hp, wp)
    return out[:, :, padding[0]:padding[0] + size[0], padding[1]:padding[1] + size[1]]


@rule
def Im2ColBackward0(need, g, dilation, kernel_size, padding, self_sym_argsize_minus_1,
                    self_sym_argsize_minus_2, stride):
    size = (self_sym_argsize_minus_2, self_sym_argsize_minus_1)
    if type(g) in TENSOR_TYPES:
        return (fold(g, size, kernel_size, dilation, padding, stride),)
    return (_batched_array(_col2im_array, g, 3, size, kernel_size, dilation, padding, stride),)


@rule
def Col2ImBackward0(need, g, dilation, kernel_size, padding, stride):
    if type(g) in TENSOR_TYPES:
        return (unfold(g, kernel_size, dilation, padding, stride),)
    return (_batched_array(_im2col_array, g, 4, kernel_size, dilation, padding, stride),)


def _batched_array(kernel, a, batched_ndim, *args):
    """kernel on a batch; an unbatched array gets its batch dim and loses it again."""
    if a.ndim == batched_ndim:
        return kernel(a, *args)
    return kernel(a[None], *args)[0]


def _check_work(x, batched_ndim, size, kernel, padding, blocks):
    """The tensor limit for the arrays im2col and col2im make, from the sizes, before any is
    made (round 8: a huge padding was padded and indexed for seconds before being refused):
    the padded images, the plan of flat indices, the columns."""
    n = x.shape[0] if x.ndim == batched_ndim else 1
    c = x.shape[-3] if batched_ndim == 4 else x.shape[-2] // (kernel[0] * kernel[1])
    padded = (n, c, size[0] + 2 * padding[0], size[1] + 2 * padding[1])
    plan = (c * kernel[0] * kernel[1], blocks[0] * blocks[1])
    check_alloc(padded, x.dtype)
    check_alloc(plan, np.int64)
    check_alloc((n,) + plan, x.dtype)
    result_shape = (n,) + plan if batched_ndim == 4 else (n, c, *size)
    check_work(result_shape, [padded, (plan, np.int64), (n,) + plan], x.dtype)


def _check_rank(x, ranks, what):
    if x.ndim < ranks[0]:  # (PyTorch reads a dim the input lacks)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-x.ndim}, "
                         f"{x.ndim - 1}], but got {x.ndim})")
    if x.ndim not in ranks or 0 in x.shape[1:]:
        raise RuntimeError(what + f", but got: {list(x.shape)}")


@declare(method=False, function=False, nn=True)
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """torch.nn.functional.unfold: (N, C, H, W) -> (N, C * kh * kw, L) sliding blocks."""
    kernel, dilation, padding, stride = map(_pair, (kernel_size, dilation, padding, stride))
    x = input._data
    _check_positive(kernel, dilation, padding, stride)
    _check_rank(x, (3, 4), "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size "
                           "and other non-zero dimensions for input")
    size = x.shape[-2:]
    blocks = _blocks(size, kernel, dilation, padding, stride)
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(size)}, kernel_size={kernel}, "
                           f"dilation={dilation}, padding={padding}, calculated shape of the "
                           f"array of sliding blocks as {blocks}, but its components must be at "
                           "least one.")
    _check_work(x, 4, size, kernel, padding, blocks)
    # ("unfold" names Tensor.unfold too, which integers may use: F.unfold's check is here)
    refuse_kernel("im2col_out_cpu", x, _INTEGERS - _BOOL)
    out = result(_batched_array(_im2col_array, x, 4, kernel, dilation, padding, stride))
    if needs_grad(input):
        record(out, Im2ColBackward0, (input,), (dilation, kernel, padding, size[1], size[0],
                                                stride))
    return out


@declare(method=False, function=False, nn=True)
def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """torch.nn.functional.fold: (N, C * kh * kw, L) columns summed into (N, C, H, W)."""
    size, kernel, dilation, padding, stride = map(
        _pair, (output_size, kernel_size, dilation, padding, stride))
    x = input._data
    _check_positive(kernel, dilation, padding, stride)
    _check_rank(x, (2, 3), "Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                           "batch size and non-zero dimensions for input")
    if x.shape[-2] % (kernel[0] * kernel[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={x.shape[-2]} and "
                           f"kernel_size={kernel}.")
    bh, bw = _blocks(size, kernel, dilation, padding, stride)
    if x.shape[-1] != bh * bw:
        raise RuntimeError(f"Given output_size={size}, kernel_size={kernel}, dilation={dilation}, "
                           f"padding={padding}, stride={stride}, expected size of input's "
                           f"dimension 2 to match the calculated number of sliding blocks "
                           f"{bh} * {bw} = {bh * bw}, but got input.size(2)={x.shape[-1]}.")
    _check_work(x, 3, size, kernel, padding, (bh, bw))
    out = result(_batched_array(_col2im_array, x, 3, size, kernel, dilation, padding, stride))
    if needs_grad(input):
        record(out, Col2ImBackward0, (input,), (dilation, kernel, padding, stride))
    return out
