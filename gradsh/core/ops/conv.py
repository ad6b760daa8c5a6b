"""Convolutions as PyTorch's `convolution`: 1 to 3 spatial dims, plain or transposed, grouped,
with stride, padding, dilation and output_padding; one node, ConvolutionBackward0, with
PyTorch's saved values (`transposed`, `output_padding`, `groups`...).

A convolution's gradients are convolutions again: the input gradient of a plain convolution is
the transposed convolution of the output gradient with the same weight, and the other way
round; the weight gradient is a convolution over the batch (the input's channels as its batch,
the output gradient as its kernel, stride and dilation swapped). So the rule calls
`convolution` again on tensors under create_graph, and second derivatives come for free; on
arrays (the plain backward pass) the same helpers run in numpy. The kernel is an einsum over
sliding windows, a matrix product (BLAS) per group.
"""

import math
import operator
import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import autocast as _amp
from .. import errors
from . import prim as P
from .base import needs_grad, record, rule, save
from .base import format_result, grad_in_format
from .composite import composite_backward
from .padding import _padded, constant_pad_nd
from .registry import declare
from ..dtypes import c_name
from ..memory import check_alloc, check_work, check_flops, PYTHON_STEP
from ..tensor import Tensor

_SPATIAL = "xyz"
_KERNEL = "uvw"


# ----- the numpy kernels ----------------------------------------------------------------------
def _windows(xp, k, stride, dilation):
    """(N, C, *out, *k) view of the padded input's receptive fields."""
    nd = len(k)
    span = tuple(d * (kk - 1) + 1 for kk, d in zip(k, dilation))
    win = sliding_window_view(xp, span, axis=tuple(range(2, 2 + nd)))
    sl = (slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride) + \
        tuple(slice(None, None, d) for d in dilation)
    return win[sl]


def _correlate(xp, w, stride, dilation, groups):
    """Cross-correlation of an already padded input (N, C, *L) with w (O, C / groups, *K)."""
    if xp.dtype.kind == "V":  # bfloat16: in float32, rounded once (numpy's einsum has none)
        wide = np.float32
        return _correlate(xp.astype(wide), w.astype(wide), stride, dilation, groups).astype(
            xp.dtype)
    nd = w.ndim - 2
    win = _windows(xp, w.shape[2:], stride, dilation)
    s, k = _SPATIAL[:nd], _KERNEL[:nd]
    equation = f"nc{s}{k},oc{k}->no{s}"
    if groups == 1:
        return np.einsum(equation, win, w, optimize=True)
    ci, co = xp.shape[1] // groups, w.shape[0] // groups
    return np.concatenate([np.einsum(equation, win[:, i * ci:(i + 1) * ci],
                                     w[i * co:(i + 1) * co], optimize=True)
                           for i in range(groups)], axis=1)


def _pad_spatial(a, before, after):
    """a padded with zeros (or cropped, for negative amounts) on its spatial dims."""
    amounts = [n for b, e in zip(reversed(before), reversed(after)) for n in (b, e)]
    return _padded(a, amounts, 0) if any(amounts) else a


def _dilate(x, stride):
    """stride - 1 zeros between the spatial elements of x."""
    if all(s == 1 for s in stride):
        return x
    shape = x.shape[:2] + tuple((n - 1) * s + 1 for n, s in zip(x.shape[2:], stride))
    out = np.zeros(shape, x.dtype)
    out[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)] = x
    return out


def _swap_in_out(w, groups):
    """A transposed convolution's weight (C, O / groups, *K) as the plain convolution's that
    computes it: (O, C / groups, *K), each group's channels swapped, the kernel flipped."""
    c, o = w.shape[:2]
    k = w.shape[2:]
    wg = w.reshape(groups, c // groups, o, *k).swapaxes(1, 2).reshape(groups * o, c // groups, *k)
    return np.flip(wg, tuple(range(2, w.ndim)))


def _plain_array(x, w, stride, padding, dilation, groups):
    return _correlate(_pad_spatial(x, padding, padding), w, stride, dilation, groups)


def _transposed_array(x, w, stride, padding, output_padding, dilation, groups):
    """The transposed convolution: x spread out by the stride, then a full correlation with the
    flipped weight (less `padding` at both ends, `output_padding` more at the end)."""
    full = [d * (k - 1) for d, k in zip(dilation, w.shape[2:])]
    before = [f - p for f, p in zip(full, padding)]
    after = [b + op for b, op in zip(before, output_padding)]
    xp = _pad_spatial(_dilate(x, stride), before, after)
    return _correlate(xp, _swap_in_out(w, groups), (1,) * len(full), dilation, groups)


# ----- the same on tensors (recorded) or arrays -----------------------------------------------
def _either(x, w, transposed, stride, padding, output_padding, dilation, groups):
    if isinstance(x, Tensor) or isinstance(w, Tensor):
        x, w = _as_tensor(x), _as_tensor(w)
        return convolution(x, w, None, stride, padding, dilation, transposed, output_padding,
                           groups)
    if transposed:
        return _transposed_array(x, w, stride, padding, output_padding, dilation, groups)
    return _plain_array(x, w, stride, padding, dilation, groups)


def _as_tensor(a):
    return a if isinstance(a, Tensor) else Tensor._make(np.ascontiguousarray(a))


def _crop(a, lengths):
    for dim, n in enumerate(lengths, 2):
        if n != a.shape[dim]:
            a = a.narrow(dim, 0, n) if isinstance(a, Tensor) else \
                a[(slice(None),) * dim + (slice(0, n),)]
    return a


def _weight_grad(x, g, stride, padding, dilation, groups, k):
    """gw[o, c, *k] = sum over the batch and positions of xp[n, c, l * stride + k * dilation] *
    g[n, o, l]: a correlation of x (channels as batch, batch as channels) with g as the kernel,
    stride and dilation swapped, per group; cropped to the kernel's size."""
    n, c = P.data(x).shape[:2]
    o = P.data(g).shape[1]
    nd = len(k)
    rest = tuple(range(3, 3 + nd))
    xs = P.permute(P.reshape(x, (n, groups, c // groups) + P.data(x).shape[2:]), (2, 1, 0) + rest)
    xs = P.reshape(xs, (c // groups, groups * n) + P.data(x).shape[2:])
    gs = P.transpose(P.reshape(g, (n, o) + P.data(g).shape[2:]), 0, 1)
    gw = _either(xs, gs, False, dilation, padding, (0,) * nd, stride, groups)
    return P.transpose(_crop(gw, k), 0, 1)


def _output_padding_for(size, g_size, stride, padding, dilation, k):
    """The output_padding that makes a transposed convolution of g_size give `size`."""
    return tuple(n - ((m - 1) * s - 2 * p + d * (kk - 1) + 1)
                 for n, m, s, p, d, kk in zip(size, g_size, stride, padding, dilation, k))


def _convolution_grads(need, g, x, w, stride, padding, dilation, transposed, output_padding,
                       groups):
    xs, k = P.data(x).shape, P.data(w).shape[2:]
    nd = len(k)
    gx = gw = gb = None
    if need[0] and transposed:
        gx = _crop(_either(g, w, False, stride, padding, (0,) * nd, dilation, groups), xs[2:])
    elif need[0]:
        op = _output_padding_for(xs[2:], P.data(g).shape[2:], stride, padding, dilation, k)
        gx = _either(g, w, True, stride, padding, op, dilation, groups)
    if need[1]:
        gw = _weight_grad(g, x, stride, padding, dilation, groups, k) if transposed else \
            _weight_grad(x, g, stride, padding, dilation, groups, k)
    if need[2]:
        gb = P.sum(g, (0,) + tuple(range(2, 2 + nd)))
    return (grad_in_format(gx, x), gw, gb)


convolution_backward = composite_backward(
    "ConvolutionBackwardBackward0", _convolution_grads, 2, 3)


@rule
def ConvolutionBackward0(need, g, input, weight, bias_sym_sizes_opt, stride, padding, dilation,
                         transposed, output_padding, groups):
    return convolution_backward(need, g, input, weight, stride, padding, dilation, transposed,
                                output_padding, groups)


# ----- the op ---------------------------------------------------------------------------------
def _tuple(v, nd):
    if isinstance(v, Tensor):  # a 0-d integer tensor is read as its int (PyTorch's int list)
        v = operator.index(v)
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * nd


def _arguments(nd, **values):
    """stride, padding... as nd-tuples, refused with PyTorch's words when of another length."""
    out = []
    for name, v in values.items():
        t = _tuple(v, nd)
        if len(t) != nd and not (len(t) == 1 and isinstance(v, (tuple, list))):
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(t)}")
        out.append(t * nd if len(t) == 1 else t)
    return out


def _check_sizes(x, w, bias, stride, padding, dilation, transposed, output_padding, groups):
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if x.ndim != w.ndim:
        raise RuntimeError(f"Expected {w.ndim}-dimensional input for {w.ndim}-dimensional weight "
                           f"{list(w.shape)}, but got {x.ndim}-dimensional input of size "
                           f"{list(x.shape)} instead")
    if w.shape[0] < groups:  # (PyTorch's two checks: only the second doubles the brackets)
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} "
                           f"at dimension 0, but got weight of size {list(w.shape)} instead")
    if w.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{list(w.shape)}] instead")
    if transposed:
        _check_transposed(x, w, bias, stride, padding, dilation, output_padding, groups)
    else:
        _check_plain(x, w, bias, padding, dilation, groups)
    k = w.shape[2:]
    if 0 in k:  # PyTorch's CPU kernels (a 1-d convolution runs as a 2-d one of height 1)
        if len(k) == 3:
            raise RuntimeError("kernel size should be greater than zero, but got: %d x %d x %d "
                               "(TxHxW)" % tuple(k))
        height, width = (1, k[0]) if len(k) == 1 else k
        raise RuntimeError("kernel size should be greater than zero, but got kernel_height: %d "
                           "kernel_width: %d" % (height, width))


def _check_plain(x, w, bias, padding, dilation, groups):
    if x.shape[1] != w.shape[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {w.shape[1] * groups} channels, but got {x.shape[1]} "
            "channels instead")
    if bias is not None and tuple(bias.shape) != (w.shape[0],):
        raise RuntimeError(f"Given weight of size {list(w.shape)}, expected bias to be "
                           f"1-dimensional with {w.shape[0]} elements, but got bias of size "
                           f"{list(bias.shape)} instead")
    padded = [n + 2 * p for n, p in zip(x.shape[2:], padding)]
    span = [d * (k - 1) + 1 for d, k in zip(dilation, w.shape[2:])]
    if any(n < s for n, s in zip(padded, span)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size: ({' x '.join(map(str, span))}). Kernel size can't be greater "
            "than actual input size")


def _per_dim(name, values):
    """PyTorch's `output_padding_height: 1 output_padding_width: 0` (1-d convolutions run as
    2-d ones with a height of 1)."""
    names = ("depth", "height", "width")[-len(values):] if len(values) > 1 else ("height",
                                                                                   "width")
    values = values if len(values) > 1 else (0 if name == "output_padding" else 1,) + values
    return " ".join(f"{name}_{n}: {v}" for n, v in zip(names, values))


def _check_transposed(x, w, bias, stride, padding, dilation, output_padding, groups):
    if x.shape[1] != w.shape[0]:
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {w.shape[0]} channels, but got {x.shape[1]} channels "
            "instead")
    if bias is not None and tuple(bias.shape) != (w.shape[1] * groups,):
        raise RuntimeError(f"Given transposed=1, weight of size {list(w.shape)}, expected bias "
                           f"to be 1-dimensional with {w.shape[1] * groups} elements, but got "
                           f"bias of size {list(bias.shape)} instead")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           f"got {_per_dim('output_padding', output_padding)} "
                           f"{_per_dim('stride', stride)} {_per_dim('dilation', dilation)}")
    size = [(n - 1) * s - 2 * p + d * (k - 1) + 1 + op for n, s, p, d, k, op in zip(
        x.shape[2:], stride, padding, dilation, w.shape[2:], output_padding)]
    if any(n < 1 for n in size):
        two_d = len(size) == 1  # reported as the 2-d convolution it runs as
        given = ([1] if two_d else []) + list(x.shape[2:])
        size = ([1] if two_d else []) + size
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, given))}). "
                           f"Calculated output size per channel: "
                           f"({' x '.join(map(str, size))}). Output size is too small")


_NO_TRANSPOSED_KERNEL = ("int32", "int16", "int8", "uint8", "bool")


def _check_dtypes(input, weight, bias, transposed, nd):
    """PyTorch's words for operands of other dtypes (measured): a plain convolution compares the
    bias first, in C++ type names, and has no bool kernel; a transposed one has no kernel for
    integer types but int64, then compares the weight and the bias in ScalarType names."""
    kernel = f"{max(nd, 2)}d"  # (1-d convolutions run as 2-d ones)
    if transposed:
        if input.dtype.name in _NO_TRANSPOSED_KERNEL:
            raise NotImplementedError(f'"slow_conv_transpose{kernel}_out_cpu" not implemented '
                                      f"for '{input.dtype._short}'")
        for other in (weight, bias):
            if other is not None and other.dtype != input.dtype:
                raise RuntimeError(f"expected scalar type {input.dtype._short} but found "
                                   f"{other.dtype._short}")
        return
    if bias is not None and bias.dtype != input.dtype:
        raise RuntimeError(f"Input type ({c_name(input._data.dtype)}) and bias type "
                           f"({c_name(bias._data.dtype)}) should be the same")
    if input.dtype.name == "bool":
        raise NotImplementedError(f'"slow_conv{kernel}_cpu" not implemented for \'Bool\'')
    if weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype._short} but found "
                           f"{weight.dtype._short}")


def _check_work(x, w, stride, padding, dilation, transposed, output_padding):
    """The tensor limit for the arrays the numpy kernels make, checked from the sizes before
    any is made (round 8: a huge padding or stride was computed for seconds before the result
    was refused): the padded (for a transposed convolution, spread out) input, the receptive
    fields einsum copies (input channels times kernel elements per output position) and the
    output."""
    n, c = x.shape[:2]
    k = w.shape[2:]
    if transposed:
        spread = [(size - 1) * s + 1 for size, s in zip(x.shape[2:], stride)]
        full = [d * (kk - 1) for d, kk in zip(dilation, k)]
        padded = [sp + 2 * (f - p) + op
                  for sp, f, p, op in zip(spread, full, padding, output_padding)]
        out = [pd - f for pd, f in zip(padded, full)]
        channels = w.shape[1] * (c // w.shape[0] if w.shape[0] else 1)
        check_alloc((n, c, *spread), x.dtype)
    else:
        padded = [size + 2 * p for size, p in zip(x.shape[2:], padding)]
        out = [(pd - d * (kk - 1) - 1) // s + 1
               for pd, d, kk, s in zip(padded, dilation, k, stride)]
        channels = w.shape[0]
    if min(padded, default=1) < 0 or min(out, default=1) < 1:
        return  # the kernels' own errors
    shapes = [(n, c, *padded), (n, c, *out, *k), (n, channels, *out)]
    for shape in shapes:
        check_alloc(shape, x.dtype)  # the message that names the one too large
    check_work(shapes[-1], shapes, x.dtype)
    # each output element sums input channels times kernel elements (w.size / channels)
    check_flops(math.prod(shapes[-1]) * w.size // max(channels, 1),
                f"a convolution of input {list(x.shape)} with weight {list(w.shape)}")


def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                groups):
    """PyTorch's convolution of a batched input (N, C, *L): cross-correlation, or its transpose."""
    nd = weight.ndim - 2
    stride, padding, dilation, output_padding = _arguments(
        nd, stride=stride, padding=padding, dilation=dilation, output_padding=output_padding)
    x, w = input._data, weight._data
    _check_sizes(x, w, bias, stride, padding, dilation, transposed, output_padding, groups)
    _check_dtypes(input, weight, bias, transposed, nd)
    _check_work(x, w, stride, padding, dilation, transposed, output_padding)
    # the groups are computed one by one (an einsum each)
    check_flops(groups * PYTHON_STEP, f"a convolution in {groups} groups")
    kept = x.dtype
    if kept.kind == "V":  # bfloat16: the products and the bias summed in float32, rounded once
        x, w = x.astype(np.float32), w.astype(np.float32)
    out = _transposed_array(x, w, stride, padding, output_padding, dilation, groups) \
        if transposed else _plain_array(x, w, stride, padding, dilation, groups)
    if bias is not None:
        out = out + bias._data.reshape((1, -1) + (1,) * nd).astype(x.dtype, copy=False)
    out = format_result(np.asarray(out, dtype=kept), x, w)
    if needs_grad(input, weight, bias):
        record(out, ConvolutionBackward0, (input, weight, bias),
               (save(input, "input"), save(weight, "weight"),
                (0,) if bias is None else tuple(bias.shape), stride, padding, dilation,
                transposed, output_padding, groups))
    return out


# ----- torch.nn.functional --------------------------------------------------------------------
def _same_padding(input, weight, stride, dilation):
    """padding='same': half the total on each side; an odd total's extra element goes to the
    end, padded separately first (PyTorch's ConstantPadNdBackward0, with its warning)."""
    nd = weight.ndim - 2
    stride, dilation = _tuple(stride, nd), _tuple(dilation, nd)
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    total = [d * (k - 1) for d, k in zip(dilation, weight.shape[2:])]
    if any(t % 2 for t in total):
        warnings.warn("Using padding='same' with even kernel lengths and odd dilation may "
                      "require a zero-padded copy of the input be created"
                      + errors.triggered_at("aten/src/ATen/native/Convolution.cpp:1101"),
                      UserWarning)
        extra = [a for t in reversed(total) for a in (0, t % 2)]
        input = constant_pad_nd(input, extra)
    return input, tuple(t // 2 for t in total)


def _padding_arguments(input, weight, stride, padding, dilation):
    if not isinstance(padding, str):
        return input, padding
    if padding == "valid":
        return input, 0
    if padding == "same":
        return _same_padding(input, weight, stride, dilation)
    raise RuntimeError(f"Invalid padding string: '{padding}'")


def _batched(name, nd, input, run):
    """run(input) on the batched input; an unbatched one gets its batch dim and loses it again,
    as PyTorch's convolutions do."""
    if input.ndim == nd + 1:
        return run(input.unsqueeze(0)).squeeze(0)
    if input.ndim != nd + 2:
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")
    return run(input)


def _check_weight_rank(weight):
    """PyTorch's check of a convolution's weight, after the input's rank (batchify)."""
    if isinstance(weight, Tensor) and weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")


def _plain(nd):
    def conv(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
            input, weight, bias = _amp.lower(input, weight, bias)

        def run(x):
            _check_weight_rank(weight)
            x, pad = _padding_arguments(x, weight, stride, padding, dilation)
            return convolution(x, weight, bias, _tuple(stride, nd), _tuple(pad, nd),
                               _tuple(dilation, nd), False, (0,) * nd, groups)
        return _batched(f"conv{nd}d", nd, input, run)
    conv.__name__ = conv.__qualname__ = f"conv{nd}d"
    conv.__doc__ = f"torch.nn.functional.conv{nd}d: cross-correlation over {nd} spatial dims."
    return conv


def _transposed(nd):
    def conv_transpose(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                       dilation=1):
        name = f"conv_transpose{nd}d"
        if isinstance(padding, str):
            raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
        if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
            input, weight, bias = _amp.lower(input, weight, bias)

        def run(x):
            _check_weight_rank(weight)
            return convolution(x, weight, bias, _tuple(stride, nd), _tuple(padding, nd),
                               _tuple(dilation, nd), True, _tuple(output_padding, nd), groups)
        return _batched(name, nd, input, run)
    conv_transpose.__name__ = conv_transpose.__qualname__ = f"conv_transpose{nd}d"
    conv_transpose.__doc__ = (f"torch.nn.functional.conv_transpose{nd}d: the transposed "
                              f"convolution (the input gradient of conv{nd}d) over {nd} dims.")
    return conv_transpose


# torch.conv1d ... take F's arguments (the same C functions)
conv1d = declare(method=False, nn=True)(_plain(1))
conv2d = declare(method=False, nn=True)(_plain(2))
conv3d = declare(method=False, nn=True)(_plain(3))
conv_transpose1d = declare(method=False, nn=True)(_transposed(1))
conv_transpose2d = declare(method=False, nn=True)(_transposed(2))
conv_transpose3d = declare(method=False, nn=True)(_transposed(3))
