"""More of torch.nn.functional's activations and dropouts, each with PyTorch's node and rule:
celu, glu, threshold, hardshrink, softshrink, tanhshrink, prelu, rrelu, dropout1d/2d/3d,
alpha_dropout and feature_alpha_dropout.

Piecewise-linear gradients (threshold, the shrinks, rrelu) are `grad_op`s: linear in the
upstream gradient, so under create_graph their node is PyTorch's backward-of-backward
(ThresholdBackwardBackward0...), whose own gradient is the same op again. The dropouts are
PyTorch's _dropout_impl composed of tensor ops (a noise tensor drawn by bernoulli_, then
MulBackward0 / AddBackward0), so their draws and graphs are PyTorch's.
"""

import math
import warnings

import numpy as np

from . import autocast as _amp
from . import errors, grad_mode
from .dtypes import float_max
from .meta import check_devices
from .nn_functional import _elu_grad, check_dropout_p, dropout
from .ops import prim as P
from .ops.base import (backward_op, contiguous_result, iter_result, needs_grad, record, rule, save,
                       save_out)
from .ops.inplace import apply_inplace
from .ops.composite import composite_backward
from .ops.pointwise import ThresholdBackwardBackward0, grad_op, linear_grad_node
from .ops.registry import declare
from .ops.shape import cat
from .tensor import TENSOR_TYPES


# ----- celu: elu with input_scale 1 / alpha ---------------------------------------------------
@rule
def CeluBackward0(need, g, self, alpha):
    # derivatives.yaml: input_scale 1.0 / alpha.toFloat() (alpha rounded to float32 first)
    return (_elu_grad(g, self, alpha, 1, 1.0 / float(np.float32(alpha))),)


@declare(method=False, nn=True)
def celu(input, alpha=1.0, inplace=False):
    """x where x > 0, else alpha * (exp(x / alpha) - 1) (PyTorch's elu kernel, input_scale)."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    d = input._data
    t = d.dtype.type
    neg = np.expm1(np.minimum(d, 0) * t(1.0 / alpha)) * t(alpha)
    out = iter_result(np.where(d > 0, d, neg).astype(d.dtype), input)
    if needs_grad(input):
        record(out, CeluBackward0, (input,), (save(input, "self"), alpha))
    return out


# ----- piecewise-linear: threshold, hardshrink, softshrink ------------------------------------
HardshrinkBackwardBackward0 = linear_grad_node("HardshrinkBackwardBackward0")
SoftshrinkBackwardBackward0 = linear_grad_node("SoftshrinkBackwardBackward0")


def _kept(keep):
    """The gradient value g where `keep`, else +0."""
    return lambda gd: np.where(keep, gd, gd.dtype.type(0))


def _outside(x, lambd):
    """Where |x| > lambd (in x's dtype), as the shrink kernels compare."""
    d = P.data(x)
    t = d.dtype.type
    return (d < t(-lambd)) | (d > t(lambd))


@rule
def ThresholdBackward0(need, g, self, threshold):
    keep = P.data(self) > P.data(self).dtype.type(threshold)
    return (grad_op(ThresholdBackwardBackward0, g, self, _kept(keep)),)


@rule
def HardshrinkBackward0(need, g, self, lambd):
    return (grad_op(HardshrinkBackwardBackward0, g, self, _kept(_outside(self, lambd))),)


@rule
def SoftshrinkBackward0(need, g, self, lambd):
    return (grad_op(SoftshrinkBackwardBackward0, g, self, _kept(_outside(self, lambd))),)


def _recorded(input, values, node, number):
    out = iter_result(values.astype(input._data.dtype), input)
    if needs_grad(input):
        record(out, node, (input,), (save(input, "self"), number))
    return out


@declare(method=False, nn=True)
def threshold(input, threshold, value, inplace=False):
    """value where x <= threshold, else x."""
    d = input._data
    t = d.dtype.type
    return _recorded(input, np.where(d <= t(threshold), t(value), d), ThresholdBackward0,
                     threshold)


@declare(nn=True)
def hardshrink(self, lambd=0.5):
    """x where |x| > lambd, else 0."""
    d = self._data
    return _recorded(self, np.where(_outside(d, lambd), d, d.dtype.type(0)),
                     HardshrinkBackward0, lambd)


_C_NAMES = {"float16": "Half", "float32": "Float", "float64": "Double", "bfloat16": "BFloat16"}


@declare(method=False, function=False, nn=True)
def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, else 0 (x * 0: its sign kept)."""
    d = input._data
    if lambd < 0:
        raise RuntimeError(f"lambda must be in range [0, {float_max(d.dtype):g}] for input "
                           f"dtype {_C_NAMES[d.dtype.name]}, but found {lambd:g}")
    t = d.dtype.type
    values = np.where(d > t(lambd), d - t(lambd), np.where(d < t(-lambd), d + t(lambd), d * 0))
    return _recorded(input, values, SoftshrinkBackward0, lambd)


@declare(method=False, function=False, nn=True)
def tanhshrink(input):
    """x - tanh(x), composed as PyTorch composes it (SubBackward0, TanhBackward0)."""
    return input - input.tanh()


# ----- glu -----------------------------------------------------------------------------------
def _halves(t, dim):
    if type(t) in TENSOR_TYPES:
        return t.chunk(2, dim)
    return np.split(t, 2, axis=dim)


def _joined(a, b, dim):
    return cat([a, b], dim) if type(a) in TENSOR_TYPES else np.concatenate([a, b], axis=dim)


def _glu_grad_array(gd, xd, dim):
    a, b = np.split(xd, 2, axis=dim)
    s = 1 / (1 + np.exp(-b))
    return np.concatenate([s * gd, (1 - s) * s * a * gd], axis=dim)


@rule
def GluBackwardBackward0(need, gg, g, self, dim):
    """The gradients of <gg, glu_backward(g, x)> for g and x, with the library's ops."""
    a, b = _halves(self, dim)
    gga, ggb = _halves(gg, dim)
    s = P.sigmoid(b)
    ds = s * (1 - s)
    gg_out = gga * s + ggb * a * ds if need[0] else None
    gx = None
    if need[1]:
        gx = _joined(ggb * g * ds, (gga + ggb * a * (1 - 2 * s)) * g * ds, dim)
    return (gg_out, gx)


@rule
def GluBackward0(need, g, self, dim):
    return (backward_op(GluBackwardBackward0, _glu_grad_array, g, (self,), (dim,)),)


@declare(method=False, function=False, nn=True)
def glu(input, dim=-1):
    """a * sigmoid(b), a and b the halves of input along dim."""
    d = input._data
    if d.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if not -d.ndim <= dim < d.ndim:
        raise errors.dim_out_of_range(dim, d.ndim)
    axis = dim % d.ndim
    if d.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size "
                           f"{d.shape[axis]}")
    a, b = np.split(d, 2, axis=axis)
    out = iter_result((a * (1 / (1 + np.exp(-b)))).astype(d.dtype), input)
    if needs_grad(input):
        record(out, GluBackward0, (input,), (save(input, "self"), axis))
    return out


# ----- prelu ---------------------------------------------------------------------------------
def _prelu_grads(need, g, x, w):
    """_prelu_kernel_backward: the weight's gradient still in the broadcast shape."""
    pos = P.data(x) > 0
    gx = P.where(pos, g, g * w) if need[0] else None
    gw = P.masked(x * g, ~pos) if need[1] else None
    return (gx, gw)


def _prelu_double_backward(need, ggs, g, x, w, first_need):
    """derivatives.yaml's _prelu_kernel_backward formulas (masks x >= 0, where the first-order
    kernel's are x > 0), for (grad_output, self, weight)."""
    ggx, ggw = ggs
    nonneg = P.data(x) >= 0
    out = [None, None, None]
    if need[0]:
        neg = None if ggx is None else ggx * w
        if ggw is not None:
            neg = ggw * x if neg is None else neg + ggw * x
        out[0] = P.where(nonneg, ggx if ggx is not None else P.zeros_like(neg), neg)
    if need[1]:
        out[1] = P.masked(g * ggw, ~nonneg) if ggw is not None else P.zeros_like(x)
    if need[2]:
        gw = P.masked(g * ggx, ~nonneg) if ggx is not None else P.zeros_like(g)
        out[2] = P.sum_to(gw, tuple(P.data(w).shape))
    return tuple(out)


prelu_kernel_backward = composite_backward("PreluKernelBackwardBackward0", _prelu_grads, 2, 2,
                                           formula=_prelu_double_backward)


@rule
def PreluKernelBackward0(need, g, self, weight):
    gx, gw = prelu_kernel_backward(need, g, self, weight)
    return (gx, P.sum_to(gw, tuple(P.data(weight).shape)) if gw is not None else None)


def _prelu_kernel(input, weight):
    d, w = input._data, weight._data
    out = iter_result(np.where(d > 0, d, w * d).astype(d.dtype), input)
    if needs_grad(input, weight):
        record(out, PreluKernelBackward0, (input, weight),
               (save(input, "self"), save(weight, "weight")))
    return out


@declare(nn=True)
def prelu(self, weight):
    """x where x > 0, else weight * x, the weight one per channel (dim 1) or one for all."""
    check_devices(self, weight, against=weight)
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        self, weight = _amp.lower(self, weight)
    if self.dtype != weight.dtype:  # (PyTorch's first check)
        raise RuntimeError(f"prelu: Type promoting not supported. Got {self.dtype._short} and "
                           f"{weight.dtype._short}")
    n = weight.numel()
    channels = self.shape[1] if self.ndim > 1 else 1
    if n != 1 and channels != n:  # (PyTorch checks the count before the weight's rank)
        raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                           f"parameter numbers = {n} and channel size = {channels}.")
    if weight.ndim > 1:
        raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {weight.ndim}")
    if self.ndim > 1:
        weight = weight.reshape([1, n] + [1] * (self.ndim - 2))
    return _prelu_kernel(self, weight)


# ----- rrelu ---------------------------------------------------------------------------------
RreluWithNoiseBackwardBackward0 = linear_grad_node("RreluWithNoiseBackwardBackward0")


def _leaky_value(x, slope):
    keep = x > 0
    return lambda gd: np.where(keep, gd, gd * gd.dtype.type(slope))


def _rrelu_grad(g, x, noise, lower, upper, training):
    """rrelu_with_noise_backward: g times the noise drawn in the forward (training), else
    leaky_relu's gradient at the slopes' mean, where x (the input, or the result of the
    in-place form) is positive."""
    if training and upper - lower > 1e-6:
        value = (lambda gd: gd * noise)  # noqa: E731
        return (grad_op(RreluWithNoiseBackwardBackward0, g, x, value, P.data(noise)),)
    value = _leaky_value(P.data(x), (lower + upper) / 2)
    return (grad_op(RreluWithNoiseBackwardBackward0, g, x, value),)


@rule
def RreluWithNoiseBackward0(need, g, self, noise, lower, upper, training):
    return _rrelu_grad(g, self, noise, lower, upper, training)


def _rrelu_noise(d, lower, upper):
    """PyTorch's _rrelu_with_noise_train: for each x <= 0 in memory order one
    uniform_real_distribution<double>(lower, upper) draw (the bounds in the op's math type),
    rounded to it; 1 elsewhere."""
    from . import random as R  # on first use: numpy.random costs 15 ms of start-up
    t = d.dtype.type
    negative = d <= 0
    lo, hi = float(t(lower)), float(t(upper))
    u = R.default_generator.uniform((int(negative.sum()),), np.float64)
    draws = u * (hi - lo) + lo  # unfused: at::uniform_real_distribution's x * (to - from) + from
    noise = np.ones_like(d)
    noise[negative] = draws.astype(d.dtype)
    return noise


def _rrelu_values(d, lower, upper, training):
    """(values, noise): the slopes drawn in training (PyTorch's draws), their mean else."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if training:
        noise = _rrelu_noise(np.ascontiguousarray(d), lower, upper)
        return (d * noise).astype(d.dtype), noise
    return np.where(d > 0, d, d * d.dtype.type((lower + upper) / 2)).astype(d.dtype), None


@declare(method=False, nn=True)
def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """x where x > 0, else x times a slope drawn from U(lower, upper) (training) or their mean."""
    if inplace:
        return rrelu_inplace(input, lower, upper, training)
    values, noise = _rrelu_values(input._data, lower, upper, training)
    out = contiguous_result(values)  # empty_like(self, contiguous), as PyTorch
    if needs_grad(input):
        record(out, RreluWithNoiseBackward0, (input,),
               (save(input, "self"), noise, lower, upper, training))
    return out


@rule
def RreluWithNoiseBackward1(need, g, noise, lower, upper, training, result):
    # rrelu_with_noise_backward(..., self_is_result=true): the result's sign decides
    return _rrelu_grad(g, result, noise, lower, upper, training)


@declare(name="rrelu_", method=False, nn=True, tensor_first=True)
def rrelu_inplace(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """F.rrelu written into input (torch.rrelu_, F.rrelu(inplace=True)): PyTorch's
    rrelu_with_noise_, whose node RreluWithNoiseBackward1 saves the result and the noise."""
    def op(before):
        values, noise = _rrelu_values(before._data, lower, upper, training)
        out = contiguous_result(values)
        if needs_grad(before):
            record(out, RreluWithNoiseBackward1, (before,),
                   (noise, lower, upper, training, save_out(out)))
        return out
    return apply_inplace(input, op)


# ----- dropout1d/2d/3d, alpha_dropout, feature_alpha_dropout ----------------------------------
_SELU_ALPHA_PRIME = 1.7580993408473766  # -scale * alpha of SELU


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _noise(input, feature):
    """An empty tensor shaped as the input, or as its (N, C) with ones after for a feature
    (channel) mask, as PyTorch's make_feature_noise."""
    if not feature:
        return input.new_empty(tuple(input.shape))
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return input.new_empty((input.shape[0], input.shape[1]) + (1,) * (input.ndim - 2))


def _dropout_impl(input, p, train, feature, alpha):
    """PyTorch's _dropout_impl (Dropout.cpp), op for op."""
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        return input * input.new_zeros(())
    with grad_mode.no_grad():
        noise = _noise(input, feature).bernoulli_(1 - p)
        if alpha:
            a = 1.0 / math.sqrt((_SELU_ALPHA_PRIME ** 2 * p + 1) * (1 - p))
            b = noise.add(-1).mul_(_SELU_ALPHA_PRIME * a).add_(_SELU_ALPHA_PRIME * a * p)
            noise.mul_(a)
        else:
            noise.div_(1 - p)
    out = input * noise
    return out.add_(b) if alpha else out


def _torch_dropouts(feature, alpha, name):
    """torch.<name>(input, p, train) and torch.<name>_ (written into input): ATen's dropouts,
    whose p check is a RuntimeError."""
    def out_of_place(input, p, train):
        check_dropout_p(p)
        return _dropout_impl(input, p, train, feature, alpha)

    def in_place(input, p, train):
        check_dropout_p(p)
        if p == 0 or not train or input.numel() == 0:
            return input
        return apply_inplace(input, _dropout_impl, p, train, feature, alpha)
    out_of_place.__name__ = out_of_place.__qualname__ = name
    in_place.__name__ = in_place.__qualname__ = name + "_"
    return out_of_place, in_place


_torch_alpha_dropout, alpha_dropout_ = _torch_dropouts(False, True, "alpha_dropout")
feature_dropout, feature_dropout_ = _torch_dropouts(True, False, "feature_dropout")
_torch_feature_alpha_dropout, feature_alpha_dropout_ = _torch_dropouts(
    True, True, "feature_alpha_dropout")
for _f in (alpha_dropout_, feature_dropout, feature_dropout_, feature_alpha_dropout_):
    declare(method=False, tensor_first=True)(_f)
del _f


@declare(method=False, tensor_first=True)
def dropout_(input, p, train):
    """torch.dropout_: F.dropout's draws multiplied into input."""
    check_dropout_p(p)
    return dropout(input, p, train, inplace=True)


@declare(method=False, nn=True, function=_torch_alpha_dropout)
def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout that keeps SELU's mean and variance: dropped elements set to -alpha', then an
    affine map a * x + b."""
    _check_p(p)
    if inplace:
        return alpha_dropout_(input, p, training)
    return _dropout_impl(input, p, training, False, True)


@declare(method=False, nn=True, function=_torch_feature_alpha_dropout)
def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """alpha_dropout of whole channels."""
    _check_p(p)
    if inplace:
        return feature_alpha_dropout_(input, p, training)
    return _dropout_impl(input, p, training, True, True)


def _feature_dropout(input, p, training, batched):
    x = input if batched else input.unsqueeze(0)
    out = _dropout_impl(x, p, training, True, False)
    return out if batched else out.squeeze(0)


@declare(method=False, function=False, nn=True)
def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) input with probability p."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note "
            "that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    return _feature_dropout(input, p, training, input.ndim == 3)


def _warn_dims(name, ndim, spatial):
    if ndim not in (spatial + 1, spatial + 2):
        warnings.warn(
            f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result "
            "in an error in a future release. To retain the behavior and silence this warning, "
            f"please use dropout instead. Note that {name} exists to provide channel-wise "
            f"dropout on inputs with {spatial} spatial dimensions, a channel dimension, and an "
            f"optional batch dimension (i.e. {spatial + 1}D or {spatial + 2}D inputs).",
            stacklevel=4)


@declare(method=False, function=False, nn=True)
def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) input with probability p (3-D input: (N, C, L))."""
    _check_p(p)
    _warn_dims("dropout2d", input.ndim, 2)
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=3)
    return _dropout_impl(input, p, training, True, False)


@declare(method=False, function=False, nn=True)
def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p."""
    _check_p(p)
    _warn_dims("dropout3d", input.ndim, 3)
    return _feature_dropout(input, p, training, input.ndim == 5)


# ----- gumbel_softmax -------------------------------------------------------------------------
@declare(method=False, function=False, nn=True, tensor_first="logits")
def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """softmax((logits + g) / tau) for Gumbel(0, 1) noise g = -log(Exponential(1)) drawn by
    exponential_ (PyTorch's draws for the same seed); hard: the one-hot of its argmax, with the
    soft sample's gradient (y_hard - y_soft.detach() + y_soft). PyTorch's composition, op for
    op, so its nodes are PyTorch's (AddBackward0, DivBackward1, SoftmaxBackward0...)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -logits.new_empty(tuple(logits.shape)).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = logits.new_zeros(tuple(logits.shape)).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
