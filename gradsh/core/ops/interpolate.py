"""F.interpolate: nearest, nearest-exact, linear, bilinear, bicubic, trilinear and area, with
PyTorch's argument handling and its kernels' index arithmetic.

Every mode but area is separable: per spatial dim, a plan says which input positions (`taps`)
each output reads and with what weights, computed as PyTorch's UpSample.h computes them (the
scale `1 / scale_factor` or `in / out` rounded to float for nearest, to the tensor's type for
the others; `scale * (o + 0.5) - 0.5` source positions, clamped; the cubic convolution
weights). PyTorch's compiled kernels fuse some of these multiply-adds, and so does gradsh,
where they do (gradsh/core/fma.py): the values are PyTorch's bit for bit. The forward pass
applies the dims from the last to the first (PyTorch's nested `Interpolate<n>::eval`), or, for
bilinear, sums all four taps of an output at once (its 2-d kernel); the backward pass adds each
output's gradient times the product of its weights into the input in output order, as the
backward kernels do (bicubic's with unfused weights, the width's tap outermost). Its backward
(under create_graph) is the forward again on the incoming gradient. Area is adaptive average
pooling (gradsh/core/ops/pooling.py), as in PyTorch.
"""

import functools

import numpy as np

from ..fma import _fma32, _fma64
from ..memory import check_alloc
from .base import make, needs_grad, record
from .base import format_result
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d
from .registry import declare
from ..node import node_class
from ..tensor import TENSOR_TYPES, Tensor
from .. import errors

_CUBIC_A = -0.75


# ----- where each output reads, per dim: (indices (out, taps), weights (out, taps)) ---------
def _inverse_scale(scale, n_in, n_out, dtype):
    """compute_scales_value: 1 / scale_factor when one was given, else in / out, in `dtype`."""
    if scale is not None and scale > 0:
        return dtype(1.0 / scale)
    return dtype(n_in) / dtype(n_out)


def _nearest(n_in, n_out, align_corners, scale, dtype):
    o = np.arange(n_out)
    if n_out == n_in:
        return o
    if n_out == 2 * n_in:
        return o >> 1
    s = _inverse_scale(scale, n_in, n_out, np.float32)
    return np.minimum(np.floor(o.astype(np.float32) * s).astype(np.int64), n_in - 1)


def _nearest_exact(n_in, n_out, align_corners, scale, dtype):
    s = _inverse_scale(scale, n_in, n_out, np.float32)
    src = ((np.arange(n_out) + 0.5) * np.float64(s)).astype(np.float32)
    return np.minimum(np.floor(src).astype(np.int64), n_in - 1)


def _linear_scale(n_in, n_out, align_corners, scale, dtype):
    """area_pixel_compute_scale."""
    if align_corners:
        return dtype(n_in - 1) / dtype(n_out - 1) if n_out > 1 else dtype(0)
    return _inverse_scale(scale, n_in, n_out, dtype)


def _source(n_in, n_out, align_corners, scale, dtype, cubic, fused=True):
    """area_pixel_compute_source_index for every output position (`scale * (o + 0.5) - 0.5`
    fused where PyTorch's compiler fuses it)."""
    s = _linear_scale(n_in, n_out, align_corners, scale, dtype)
    o = np.arange(n_out).astype(dtype)
    if align_corners:
        return s * o
    half = dtype(0.5)
    src = _fma(np.full(n_out, s, dtype), o + half, np.full(n_out, -half, dtype)) if fused else \
        s * (o + half) - half
    return src if cubic else np.maximum(src, dtype(0))


def _linear(n_in, n_out, align_corners, scale, dtype):
    if n_out == n_in:
        o = np.arange(n_out)
        return np.stack([o, o], 1), np.stack([np.ones(n_out, dtype), np.zeros(n_out, dtype)], 1)
    src = _source(n_in, n_out, align_corners, scale, dtype, False)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    lam1 = np.clip(src - i0.astype(dtype), dtype(0), dtype(1)).astype(dtype)
    i1 = i0 + (i0 < n_in - 1)
    return np.stack([i0, i1], 1), np.stack([dtype(1) - lam1, lam1], 1)


def _full(x, v):
    return np.full(x.shape, v, x.dtype)


def _cubic_near(x, a, fused):
    """((a + 2) * x - (a + 3)) * x * x + 1, its first step fused in the forward kernel."""
    if not fused:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    return _fma(_full(x, a + 2), x, _full(x, -(a + 3))) * x * x + x.dtype.type(1)


def _cubic_far(x, a, fused):
    """((a * x - 5a) * x + 8a) * x - 4a, its first two steps fused in the forward kernel."""
    if not fused:
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return _fma(_fma(_full(x, a), x, _full(x, -5 * a)), x, _full(x, 8 * a)) * x - \
        x.dtype.type(4 * a)


def _cubic(n_in, n_out, align_corners, scale, dtype, fused=True):
    """Four taps from floor(source) - 1, clamped; PyTorch's cubic convolution weights (A = -0.75),
    computed unfused by its backward kernel."""
    src = _source(n_in, n_out, align_corners, scale, dtype, True, fused)
    i = np.floor(src)
    t = (src - i).astype(dtype)
    one = dtype(1)
    a = dtype(_CUBIC_A) if fused else _CUBIC_A
    weights = np.stack([_cubic_far(t + one, a, fused), _cubic_near(t, a, fused),
                        _cubic_near(one - t, a, fused), _cubic_far(one - t + one, a, fused)],
                       1).astype(dtype)
    taps = i.astype(np.int64)[:, None] + np.arange(-1, 3)
    return np.clip(taps, 0, n_in - 1), weights


# ----- applying the taps ------------------------------------------------------------------------
def _aa_filter(kind, x):
    """The antialiasing filters: the triangle (bilinear) and Keys' cubic with a = -0.5
    (bicubic; PIL's, where the plain bicubic mode uses -0.75)."""
    x = np.abs(x)
    if kind == "bilinear":
        return np.where(x < 1, 1 - x, 0.0)
    a = -0.5
    return np.where(x < 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, (((x - 5) * x + 8) * x - 4) * a, 0.0))


def _antialias(kind):
    """The plan of one dim for antialias=True (PIL's resampling, as PyTorch's AA kernels): the
    filter stretched by the scale when shrinking (support = taps / 2 * scale), each output's
    window [int(center - support + 0.5), int(center + support + 0.5)) around center =
    scale * (o + 0.5), clipped to the input, weighted by the filter at (i - center + 0.5) /
    scale and normalized to sum 1; computed in float64, rounded to the tensor's type."""
    taps = 2 if kind == "bilinear" else 4

    def plan(n_in, n_out, align_corners, scale, dtype):
        s = float(_linear_scale(n_in, n_out, align_corners, scale, np.float64))
        support = taps / 2 * s if s >= 1 else taps / 2
        inverse = 1 / s if s >= 1 else 1.0
        centers = s * (np.arange(n_out) + 0.5)
        lo = np.maximum((centers - support + 0.5).astype(np.int64), 0)
        hi = np.minimum((centers + support + 0.5).astype(np.int64), n_in)
        width = max(int((hi - lo).max()) if n_out else 2, 2)  # (the kernel reads two taps)
        index = lo[:, None] + np.arange(width)
        inside = index < hi[:, None]
        w = np.where(inside, _aa_filter(kind, (index - centers[:, None] + 0.5) * inverse), 0.0)
        total = w.sum(1, keepdims=True)
        w = np.where(total != 0, w / np.where(total != 0, total, 1), w)
        return np.minimum(index, n_in - 1), w.astype(dtype)
    return plan


_antialias_bilinear, _antialias_bicubic = _antialias("bilinear"), _antialias("bicubic")


def _fma(a, b, c):
    """a * b + c rounded once, as PyTorch's compiled kernels compute these (the compiler fuses
    them)."""
    return (_fma32 if a.dtype == np.float32 else _fma64)(a, b, c).astype(a.dtype)


def _along(a, dim, taps):
    return np.take(a, taps, axis=dim)


def _weighted(w, dim, ndim):
    return w.reshape((-1,) + (1,) * (ndim - dim - 1))


def _interpolate_array(x, plans):
    """plans[d]: indices (out,) for nearest, (indices, weights) (out, taps) otherwise."""
    nd = len(plans)
    for d in range(nd - 1, -1, -1):
        dim = x.ndim - nd + d
        plan = plans[d]
        if not isinstance(plan, tuple):
            x = _along(x, dim, plan)
            continue
        idx, w = plan
        taps = [(_along(x, dim, idx[:, k]), _weighted(w[:, k], dim, x.ndim))
                for k in range(idx.shape[1])]
        (v0, w0), (v1, w1) = taps[:2]
        out = _fma(v0, np.broadcast_to(w0, v0.shape), v1 * w1)
        for v, w_k in taps[2:]:
            out = _fma(v, np.broadcast_to(w_k, v.shape), out)
        x = out
    return x


def _interpolate_flat(x, plans):
    """Every output as one sum over all its taps (the weights multiplied dim by dim), in
    PyTorch's 2-d kernel's order: the second tap's product, then the first fused into it, then
    the others."""
    nd = len(plans)
    index, weight = _flat_taps(plans, x.shape[-nd:])
    planes = x.reshape(-1, int(np.prod(x.shape[-nd:], dtype=np.int64)))
    v = planes[:, index]  # (planes, out, taps)
    out = v[..., 1] * weight[:, 1]
    for k in [0] + list(range(2, index.shape[1])):
        out = _fma(v[..., k], np.broadcast_to(weight[:, k], out.shape), out)
    shape = x.shape[:-nd] + tuple(p[0].shape[0] for p in plans)
    return out.reshape(shape)


def _flat_taps(plans, in_shape):
    """(out_numel, taps) arrays over every output position (C order) and tap combination (the
    last dim's taps fastest): the flat input index, and the product of the weights taken dim by
    dim (None for nearest), as PyTorch's backward kernels take it."""
    nd = len(plans)
    strides = [int(np.prod(in_shape[d + 1:], dtype=np.int64)) for d in range(nd)]
    index, weight = 0, None
    for d, plan in enumerate(plans):
        idx, w = plan if isinstance(plan, tuple) else (plan[:, None], None)
        shape = [1] * (2 * nd)
        shape[d], shape[nd + d] = idx.shape
        index = index + idx.reshape(shape) * strides[d]
        if w is not None:
            weight = w.reshape(shape) if weight is None else weight * w.reshape(shape)
    out_numel = int(np.prod([(p[0] if isinstance(p, tuple) else p).shape[0] for p in plans]))
    index = index.reshape(out_numel, -1)
    return index, None if weight is None else weight.reshape(out_numel, -1)


def _bicubic_backward(g, in_shape, plans):
    """PyTorch's bicubic backward kernel: for each output, the 16 taps with the width's tap
    outermost, each adding (g * w_height) * w_width, weights computed unfused."""
    (iy, wy), (ix, wx) = plans
    h, w = in_shape[-2:]
    planes = int(np.prod(in_shape[:-2], dtype=np.int64))
    index = ix[None, :, :, None] + iy[:, None, None, :] * w  # (oy, ox, i, j)
    gp = g.reshape(planes, *g.shape[-2:])
    values = gp[:, :, :, None, None] * wy[None, :, None, None, :] * wx[None, None, :, :, None]
    flat = (np.arange(planes)[:, None, None, None, None] * (h * w) + index).ravel()
    grad = np.zeros(planes * h * w, g.dtype)
    np.add.at(grad, flat, values.ravel())
    return grad.reshape(in_shape)


def _backward_array(g, in_shape, plans):
    """Each output's gradient times its weights added into the input, in output order."""
    nd = len(plans)
    planes = int(np.prod(g.shape[:-nd], dtype=np.int64))
    index, weight = _flat_taps(plans, in_shape[-nd:])
    out_numel, taps = index.shape
    gp = g.reshape(planes, out_numel, 1)
    plane = int(np.prod(in_shape[-nd:], dtype=np.int64))
    if weight is None:
        flat = (np.arange(planes)[:, None, None] * plane + index).ravel()
        grad = np.zeros(planes * plane, g.dtype)
        np.add.at(grad, flat, np.broadcast_to(gp, (planes, out_numel, taps)).ravel())
        return grad.reshape(in_shape)
    grad = np.zeros((planes, plane), g.dtype)
    _fused_add_at(grad, index.ravel(), weight.ravel(),
                  np.broadcast_to(gp, (planes, out_numel, taps)).reshape(planes, -1))
    return grad.reshape(in_shape)


def _fused_add_at(acc, index, w, g):
    """acc[:, index[k]] = fma(w[k], g[:, k], acc[:, index[k]]) for k in order (the same pattern
    in every plane): in rounds, the r-th contribution to every element at once."""
    order = np.argsort(index, kind="stable")
    sorted_index = index[order]
    starts = np.flatnonzero(np.r_[True, sorted_index[1:] != sorted_index[:-1]])
    rank = np.arange(index.size) - np.repeat(starts, np.diff(np.r_[starts, index.size]))
    by_round = np.argsort(rank, kind="stable")
    bounds = np.searchsorted(rank[by_round], np.arange(int(rank.max()) + 2 if rank.size else 1))
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        k = order[by_round[lo:hi]]
        at = index[k]
        acc[:, at] = _fma(np.broadcast_to(w[k], (acc.shape[0], k.size)), g[:, k], acc[:, at])


# ----- the nodes: UpsampleBilinear2DBackward0 and its backward ----------------------------------
def _nodes(label, saved_names):
    """`label`Backward0 (the gradient: _backward_array) and `label`BackwardBackward0 (the
    forward again, on the incoming gradient); both save PyTorch's values, then the plans."""
    in_shape_at = saved_names.index("self_sym_sizes")

    def backward(need, g, *saved):
        (_, _, gradient), in_shape = saved[-1], saved[in_shape_at]
        if type(g) not in TENSOR_TYPES:
            return (gradient(g, in_shape),)
        grad = make(gradient(g._data, in_shape))
        if needs_grad(g):
            record(grad, twice, (g,), saved)
        return (grad,)

    def double_backward(need, gg, *saved):
        if type(gg) not in TENSOR_TYPES:
            kernel, plans, _ = saved[-1]
            return (kernel(gg, plans),)
        return (_apply(gg, once, saved),)

    once = node_class(label + "Backward0", backward, saved_names=saved_names)
    names = tuple("input_size" if n == "self_sym_sizes" else n for n in saved_names)
    twice = node_class(label + "BackwardBackward0", double_backward, saved_names=names)
    return once


def _apply(input, node, saved):
    kernel, plans, _ = saved[-1]
    out = format_result(kernel(input._data, plans), input._data, volumes=True)
    if needs_grad(input):
        record(out, node, (input,), saved)
    return out


_SCALE_NAMES = {1: ("scales",), 2: ("scales_h", "scales_w"), 3: ("scales_d", "scales_h", "scales_w")}


def _mode_nodes(label, nds, interpolating, suffix=""):
    first = ("align_corners",) if interpolating else ()
    return {nd: _nodes(f"Upsample{label}{nd}D{suffix}",
                       first + ("output_size",) + _SCALE_NAMES[nd] + ("self_sym_sizes",))
            for nd in nds}


# mode: (the plan of one dim, {spatial dims: node}, takes align_corners, the kernel's order)
MODES = {
    "nearest": (_nearest, _mode_nodes("Nearest", (1, 2, 3), False), False, _interpolate_array),
    "nearest-exact": (_nearest_exact, _mode_nodes("NearestExact", (1, 2, 3), False), False,
                      _interpolate_array),
    "linear": (_linear, _mode_nodes("Linear", (1,), True), True, _interpolate_array),
    "bilinear": (_linear, _mode_nodes("Bilinear", (2,), True), True, _interpolate_flat),
    "trilinear": (_linear, _mode_nodes("Trilinear", (3,), True), True, _interpolate_array),
    "bicubic": (_cubic, _mode_nodes("Bicubic", (2,), True), True, _interpolate_array),
    # antialias=True (2-d only): separable passes, the width's first, as PyTorch's AA kernels
    "bilinear-aa": (_antialias_bilinear, _mode_nodes("Bilinear", (2,), True, "Aa"), True,
                    _interpolate_array),
    "bicubic-aa": (_antialias_bicubic, _mode_nodes("Bicubic", (2,), True, "Aa"), True,
                   _interpolate_array),
}
_AREA = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}
_NEEDS = {"linear": 3, "bilinear": 4, "trilinear": 5, "bicubic": 4, "bilinear-aa": 4, "bicubic-aa": 4}
_MODE_LIST = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


# ----- torch.nn.functional.interpolate ----------------------------------------------------------
def _check_sizes(in_sizes, out_sizes):
    labels = ("D", "H", "W")[3 - len(in_sizes):]
    if min(in_sizes) > 0 and min(out_sizes) > 0:
        return

    def show(sizes):
        return ", ".join(f"{label}: {n}" for label, n in zip(labels, sizes))
    joint = " and" if len(in_sizes) == 1 else ""  # (PyTorch's 1-d wording)
    raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                       f"({show(in_sizes)}){joint} output ({show(out_sizes)})")


_WEIGHTS_KERNEL = {_nearest: "nearest", _nearest_exact: "nearest", _linear: "linear",
                   _cubic: "cubic"}


def _check_dtype(x, plan_of, dtype):
    if plan_of in (_antialias_bilinear, _antialias_bicubic):
        if x.dtype == np.uint8:  # (PyTorch's own uint8 kernels: fixed-point arithmetic)
            raise NotImplementedError("gradsh's interpolate has no uint8 antialias kernel: "
                                      "convert the image to float first (x.float())")
        if x.dtype in (np.float32, np.float64):
            return
        raise NotImplementedError('"compute_index_ranges_weights" not implemented for '
                                  f"'{dtype._short}'")
    if x.dtype.kind in "fV" or x.dtype == np.uint8 and plan_of in (_nearest, _nearest_exact):
        return
    # (PyTorch's bilinear and nearest 2-d kernels check the dtype in their channels-last
    # branches first)
    if x.ndim == 4 and plan_of is _linear:
        name = "upsample_bilinear2d_channels_last"
    elif x.ndim == 4 and plan_of in (_nearest, _nearest_exact):
        name = "upsample_nearest2d_channels_last"
    else:
        name = f"compute_indices_weights_{_WEIGHTS_KERNEL[plan_of]}"
    raise NotImplementedError(f'"{name}" not implemented for \'{dtype._short}\'')


def _upsample(input, mode, output_size, scales, align_corners):
    plan_of, nodes, interpolating, kernel = MODES[mode]
    x = input._data
    nd = x.ndim - 2
    if output_size is None:  # PyTorch's static_cast<int64_t>(size * scale), in double
        output_size = [int(n * s) for n, s in zip(x.shape[2:], scales)]
    scales = [None] * nd if scales is None else [float(s) for s in scales]
    _check_sizes(x.shape[2:], output_size)
    _check_dtype(x, plan_of, input.dtype)
    # the result's size before any dim is interpolated (round 16: bicubic to 8000 x 8000 ran its
    # first passes, minutes under load, before the result was refused)
    check_alloc(tuple(x.shape[:2]) + tuple(output_size), x.dtype)
    dtype = x.dtype.type if x.dtype.kind in "fV" else np.float32
    plans = [plan_of(n, o, align_corners, s, dtype)
             for n, o, s in zip(x.shape[2:], output_size, scales)]
    first = (align_corners,) if interpolating else ()
    if mode == "bicubic":
        unfused = [_cubic(n, o, align_corners, s, dtype, fused=False)
                   for n, o, s in zip(x.shape[2:], output_size, scales)]
        gradient = functools.partial(_bicubic_backward, plans=unfused)
    else:
        gradient = functools.partial(_backward_array, plans=plans)
    saved = first + (tuple(output_size),) + tuple(scales) + (tuple(x.shape),
                                                             (kernel, plans, gradient))
    return _apply(input, nodes[nd], saved)


def _is_integer(v):
    return isinstance(v, int) or (isinstance(v, Tensor) and not v.dtype.is_floating_point)


def _size_and_scales(input, nd, size, scale_factor):
    """(output sizes or None, scale factors or None), refused in PyTorch's words."""
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if not isinstance(size, (list, tuple)):
            return [size] * nd, None
        if len(size) != nd:
            raise ValueError(
                "Input and output must have the same number of spatial dimensions, but got input "
                f"with spatial dimensions of {spatial} and output size of {size}. Please provide "
                "input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                "...,oK) format.")
        if not all(_is_integer(v) for v in size):
            raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                            "Tuple[int, int, int], but got size with types "
                            f"{[type(v) for v in size]}")
        return [int(v) for v in size], None
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if not isinstance(scale_factor, (list, tuple)):
        return None, [scale_factor] * nd
    if len(scale_factor) != nd:
        raise ValueError(
            "Input and scale_factor must have the same number of spatial dimensions, but got "
            f"input with spatial dimensions of {spatial} and scale_factor of shape "
            f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
            "scale_factor in (s1, s2, ...,sK) format.")
    return None, list(scale_factor)


def _check_align_corners(mode, align_corners):
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
        return None
    return False if align_corners is None else align_corners


def _refuse_rank(input, mode):
    if mode in _NEEDS and 3 <= input.ndim <= 5:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs "
                                  f"{_NEEDS[mode]}D input")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                              f"{input.ndim}D) for the modes: {_MODE_LIST} (got {mode})")


@declare(method=False, function=False, nn=True)
def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """torch.nn.functional.interpolate (no lanczos)."""
    align_corners = _check_align_corners(mode, align_corners)
    nd = input.ndim - 2
    output_size, scales = _size_and_scales(input, nd, size, scale_factor)
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if recompute_scale_factor or (mode == "area" and output_size is None):
        output_size = [int(n * s) for n, s in zip(input.shape[2:], scales)]
        scales = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    if mode == "lanczos":
        raise NotImplementedError("gradsh's interpolate has no lanczos mode yet")
    if antialias:
        mode += "-aa"
    if 3 <= input.ndim <= 5 and mode == "area":
        return _AREA[nd](input, output_size)
    if 3 <= input.ndim <= 5 and (mode in ("nearest", "nearest-exact") or
                                 _NEEDS.get(mode) == input.ndim):
        return _upsample(input, mode, output_size, scales, align_corners)
    _refuse_rank(input, mode)


# ----- the deprecated names (PyTorch's UserWarning, then interpolate) -----------------------------
def _deprecated(name):
    errors.warn(f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=3)


@declare(method=False, function=False, nn=True)
def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


@declare(method=False, function=False, nn=True)
def upsample_nearest(input, size=None, scale_factor=None):
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


@declare(method=False, function=False, nn=True)
def upsample_bilinear(input, size=None, scale_factor=None):
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
