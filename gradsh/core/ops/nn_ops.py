"""The ops nn layers need beyond nn_functional: embedding, layer_norm, batch_norm, smooth_l1 and
huber losses, each with PyTorch's node and a rule written with the library's own ops (so
create_graph=True records the backward pass and gives second derivatives).

A rule receives arrays on the plain backward pass and tensors under create_graph; the helpers
below (`_mean`, `_sum`) take either, as the ones in prim do.
"""

import numpy as np

from .. import errors
from . import prim as P
from .base import (arrays_unless, backward_op, iter_result, make, needs_grad, record, rule,
                   save)
from .base import contiguous_result as result  # contiguous, but for the pointwise losses
from .composite import composite_backward
from .pointwise import div_scalar
from .registry import declare
from .summation import ordered_sum
from ..tensor import Tensor


def _mean(a, dims):
    if isinstance(a, Tensor):
        return a.mean(dims, keepdim=True)
    return a.mean(axis=dims, keepdims=True)


def _sum(a, dims):
    if isinstance(a, Tensor):
        return a.sum(dims, keepdim=True)
    return a.sum(axis=dims, keepdims=True)


def _rsqrt(a):
    return a.rsqrt() if isinstance(a, Tensor) else 1 / np.sqrt(a)


# ----- bilinear: PyTorch's _trilinear node over the inputs viewed as (batch, features) -------
def _operand_gradient_equation(equation, k):
    """The einsum equation of operand k's gradient: the output's subscripts in its place, its
    own as the output ("bi,oij,bj->bo", 0 -> "bo,oij,bj->bi")."""
    inputs, output = equation.split("->")
    subs = inputs.split(",")
    own, subs[k] = subs[k], output
    return ",".join(subs) + "->" + own


@rule
def TrilinearBackward0(need, g, i1, i2, i3, equation):
    """_trilinear_backward: each operand's gradient is _trilinear again, of the gradient and the
    other two operands (so its own node is TrilinearBackward0 under create_graph)."""
    operands = [i1, i2, i3]
    out = []
    for k in range(3):
        if not need[k]:
            out.append(None)
            continue
        args = operands[:k] + [g] + operands[k + 1:]
        out.append(trilinear(*args, _operand_gradient_equation(equation, k)))
    return tuple(out)


def trilinear(i1, i2, i3, equation):
    """PyTorch's _trilinear as an einsum of three operands (TrilinearBackward0); plain numpy on
    arrays."""
    if not any(type(a) is Tensor for a in (i1, i2, i3)):
        return np.einsum(equation, i1, i2, i3)
    i1, i2, i3 = (a if type(a) is Tensor else make(np.asarray(a)) for a in (i1, i2, i3))
    out = result(np.einsum(equation, i1._data, i2._data, i3._data))
    if needs_grad(i1, i2, i3):
        record(out, TrilinearBackward0, (i1, i2, i3),
               (save(i1, "i1"), save(i2, "i2"), save(i3, "i3"), equation))
    return out


@declare(method=False, function=False, nn=True)
def bilinear(input1, input2, weight, bias=None):
    """x1^T A x2 + b over the last dim, A of shape (out, in1, in2)."""
    lead = tuple(input1.shape[:-1])
    x1 = input1.reshape(-1, input1.shape[-1])
    x2 = input2.reshape(-1, input2.shape[-1])
    out = trilinear(x1, weight, x2, "bi,oij,bj->bo").view(*lead, weight.shape[0])
    return out + bias if bias is not None else out


# ----- embedding ------------------------------------------------------------------------------
@rule
def EmbeddingBackward0(need, g, shape, indices, padding_idx):
    idx = P.data(indices)
    if padding_idx is not None and padding_idx >= 0:
        g = P.masked(g, (idx != padding_idx)[..., None])
    rows = idx.reshape(-1)
    return (P.scatter_into(shape, (rows,), P.reshape(g, (rows.size, shape[1]))),)


@declare(method=False, function=False, nn=True)
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of weight picked by the integer tensor input."""
    idx = input._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"torch.{input.dtype._legacy} instead (while checking arguments for "
                           "embedding)")
    n = weight._data.shape[0]
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError("index out of range in self")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += n
    idx = np.where(idx < 0, idx + n, idx)
    out = result(weight._data[idx])
    if needs_grad(weight):
        record(out, EmbeddingBackward0, (weight,),
               (weight._data.shape, make(idx), padding_idx))
    return out


# ----- layer_norm -----------------------------------------------------------------------------
def _normalized(x, dims, eps):
    mu = _mean(x, dims)
    xc = x - mu
    return xc * _rsqrt(_mean(xc * xc, dims) + eps)


def _layer_norm_grads(need, g, x, weight, dims, eps):
    xhat = _normalized(x, dims, eps)  # recomputed from x: differentiable under create_graph
    lead = tuple(range(len(P.data(x).shape) - len(dims)))
    gw = P.sum(g * xhat, lead) if need[1] else None
    gb = P.sum(g, lead) if need[2] else None
    gx = None
    if need[0]:
        gh = g * weight if weight is not None else g
        rstd = _rsqrt(_mean((x - _mean(x, dims)) ** 2, dims) + eps)
        gx = rstd * (gh - _mean(gh, dims) - xhat * _mean(gh * xhat, dims))
    return (gx, gw, gb)


native_layer_norm_backward = composite_backward(
    "NativeLayerNormBackwardBackward0", _layer_norm_grads, 2, 3)


@rule
def NativeLayerNormBackward0(need, g, input, weight, dims, eps):
    return native_layer_norm_backward(need, g, input, weight, dims, eps)


@declare(method=False, function=False, nn=True)
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x - mean) / sqrt(var + eps) over the last len(normalized_shape) dims, then * w + b."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    k = len(normalized_shape)
    x = input._data
    if tuple(x.shape[x.ndim - k:]) != tuple(normalized_shape) or x.ndim < k:
        raise RuntimeError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
            f"{list(x.shape)}")
    dims = tuple(range(x.ndim - k, x.ndim))
    out = _normalized(x, dims, eps)
    if weight is not None:
        out = out * weight._data
    if bias is not None:
        out = out + bias._data
    out = result(out.astype(x.dtype))
    if needs_grad(input, weight, bias):
        record(out, NativeLayerNormBackward0, (input, weight, bias),
               (save(input, "input"), save(weight, "weight") if weight is not None else None,
                dims, eps))
    return out


# ----- batch_norm -----------------------------------------------------------------------------
def _channel_shape(x, c):
    return (1, c) + (1,) * (len(x.shape) - 2)


def _batch_norm_grads(need, g, x, weight, mean, var, training, eps):
    xd = P.data(x)
    dims = (0,) + tuple(range(2, xd.ndim))
    cs = _channel_shape(xd, xd.shape[1])
    w = P.reshape(weight, cs) if weight is not None else None
    if training:
        xhat = _normalized(x, dims, eps)
        rstd = _rsqrt(_mean((x - _mean(x, dims)) ** 2, dims) + eps)
    else:  # running statistics are constants
        rstd = (1 / np.sqrt(var + eps)).reshape(cs).astype(xd.dtype)
        xhat = (x - mean.reshape(cs).astype(xd.dtype)) * rstd
    gw = P.reshape(P.sum(g * xhat, dims), (xd.shape[1],)) if need[1] else None
    gb = P.reshape(P.sum(g, dims), (xd.shape[1],)) if need[2] else None
    gx = None
    if need[0]:
        gh = g * w if w is not None else g
        if training:
            gx = rstd * (gh - _mean(gh, dims) - xhat * _mean(gh * xhat, dims))
        else:
            gx = gh * rstd
    return (gx, gw, gb)


native_batch_norm_backward = composite_backward(
    "NativeBatchNormBackwardBackward0", _batch_norm_grads, 2, 3)


@rule
def NativeBatchNormBackward0(need, g, input, weight, mean, var, training, eps):
    return native_batch_norm_backward(need, g, input, weight, mean, var, training, eps)


@declare(method=False, function=False, nn=True)
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalize each channel (dim 1) by the batch statistics (training) or the running ones,
    updating the running statistics in training as PyTorch does (unbiased variance)."""
    x = input._data
    if x.ndim < 2:
        raise ValueError(f"expected 2D or 3D input (got {x.ndim}D input)")
    c = x.shape[1]
    dims = (0,) + tuple(range(2, x.ndim))
    cs = _channel_shape(x, c)
    n = x.size // c
    if training:
        if n <= 1:
            raise ValueError("Expected more than 1 value per channel when training, got input "
                             f"size {list(input.shape)}")
        mean = x.mean(axis=dims)
        var = x.var(axis=dims)
        if running_mean is not None:
            rm = running_mean._data
            rm[...] = (1 - momentum) * rm + momentum * mean
            running_mean._vc[0] += 1
        if running_var is not None:
            rv = running_var._data
            rv[...] = (1 - momentum) * rv + momentum * var * n / (n - 1)
            running_var._vc[0] += 1
        saved_mean, saved_var = None, None
    else:
        mean, var = running_mean._data, running_var._data
        saved_mean, saved_var = mean.copy(), var.copy()
    out = (x - mean.reshape(cs)) / np.sqrt(var.reshape(cs) + eps)
    if weight is not None:
        out = out * weight._data.reshape(cs)
    if bias is not None:
        out = out + bias._data.reshape(cs)
    out = result(out.astype(x.dtype))
    if needs_grad(input, weight, bias):
        record(out, NativeBatchNormBackward0, (input, weight, bias),
               (save(input, "input"), save(weight, "weight") if weight is not None else None,
                saved_mean, saved_var, training, eps))
    return out


# ----- smooth L1 and Huber losses -------------------------------------------------------------
def reduce_loss(v, reduction):
    """A loss array's mean or sum as PyTorch's loss kernels reduce it: float32 in PyTorch's
    summation order (summation.py), the mean the sum divided by the count."""
    if reduction == "none":
        return v
    if reduction not in ("mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    total = ordered_sum(v)
    total = v.sum() if total is None else total
    return np.asarray(total / v.dtype.type(v.size) if reduction == "mean" else total, v.dtype)


def _norm(x, reduction, n):
    return x.dtype.type(1.0 / n if reduction == "mean" else 1.0)


def _smooth_l1_grad_value(g, x, y, reduction, beta, n):
    """PyTorch's smooth_l1_backward kernel: -norm * g, norm * g, or norm * d * g / beta."""
    norm, d = _norm(x, reduction, n), x - y
    if beta == 0:
        return norm * np.sign(d) * g
    inside = norm * d * g / x.dtype.type(beta)
    return np.where(d <= -beta, -norm * g, np.where(d >= beta, norm * g, inside))


def _smooth_l1_double_backward(g, x, y, reduction, beta, n):
    """FunctionsManual's smooth_l1_loss_double_backward: grad * (|d| < beta) / beta."""
    if beta == 0:
        return P.zeros_like(g)
    inside = np.abs(P.data(x) - P.data(y)) < beta
    gi = div_scalar(g * _as_operand(inside.astype(P.data(g).dtype), g), beta)
    return div_scalar(gi, n) if reduction == "mean" else gi


def _huber_grad_value(g, x, y, reduction, delta, n):
    """PyTorch's huber_backward kernel: -norm * g * delta, norm * g * delta, or norm * d * g."""
    norm, d = _norm(x, reduction, n), x - y
    delta = x.dtype.type(delta)
    return np.where(d <= -delta, -norm * g * delta,
                    np.where(d >= delta, norm * g * delta, norm * d * g))


def _huber_double_backward(g, x, y, reduction, delta, n):
    """FunctionsManual's huber_loss_double_backward: grad * (|d| < delta)."""
    inside = np.abs(P.data(x) - P.data(y)) < delta
    gi = g * _as_operand(inside.astype(P.data(g).dtype), g)
    return div_scalar(gi, n) if reduction == "mean" else gi  # C++'s grad_input /= numel


def _as_operand(array, like):
    return make(array) if type(like) is Tensor else array


def _loss_backward_op(name, value, double_backward, summed_grad_output=False):
    """PyTorch's backward op of a pointwise loss (smooth_l1_loss_backward, huber_loss_backward):
    the function computing it, recorded under create_graph as node `name`, whose rule is
    derivatives.yaml's: grad_output: the backward op again (`summed_grad_output`: huber's
    huber_loss_double_backward_grad_output, the op of ones times grad, summed, when reduced);
    self: double_backward(grad * grad_output); target: its negation."""
    def backward(grad_output, self, target, reduction, param, n):
        return backward_op(node, value, grad_output, (self, target), (reduction, param, n))

    def grad_output_part(grad, grad_output, self, target, reduction, param, n):
        if not summed_grad_output or reduction == "none":
            return backward(grad, self, target, reduction, param, n)
        ones = _as_operand(np.ones_like(P.data(grad_output)), grad)
        return P.sum(backward(ones, self, target, reduction, param, n) * grad)

    def node_rule(need, grad, grad_output, self, target, reduction, param, n):
        grad_output, self, target = arrays_unless(grad, grad_output, self, target)
        gs = (double_backward(grad * grad_output, self, target, reduction, param, n)
              if need[1] or need[2] else None)
        return (grad_output_part(grad, grad_output, self, target, reduction, param, n)
                if need[0] else None, gs if need[1] else None, -gs if need[2] else None)
    node = rule(node_rule, name=name)
    return backward


smooth_l1_loss_backward = _loss_backward_op(
    "SmoothL1LossBackwardBackward0", _smooth_l1_grad_value, _smooth_l1_double_backward)
huber_loss_backward = _loss_backward_op(
    "HuberLossBackwardBackward0", _huber_grad_value, _huber_double_backward,
    summed_grad_output=True)


@rule
def SmoothL1LossBackward0(need, g, self, target, reduction, beta, n):
    # derivatives.yaml: self: smooth_l1_loss_backward(grad, self, target, ...), target: the same
    # with self and target swapped
    return (smooth_l1_loss_backward(g, self, target, reduction, beta, n) if need[0] else None,
            smooth_l1_loss_backward(g, target, self, reduction, beta, n) if need[1] else None)


def check_loss_operands(input, target):
    """PyTorch's first step in mse/l1/smooth_l1/huber/binary_cross_entropy(_with_logits):
    `target.size()`, then `input.size()`."""
    for value in (target, input):
        if not isinstance(value, Tensor):
            raise errors.no_attribute(value, "size")


@declare(method=False, function=False, nn=True)
def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target)."""
    check_loss_operands(input, target)
    a, b = np.broadcast_arrays(input._data, target._data)
    d = np.abs(a - b)
    if beta == 0:
        v = d
    else:
        v = np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)
    out = iter_result(reduce_loss(v.astype(a.dtype), reduction), input, target)
    if needs_grad(input, target):
        record(out, SmoothL1LossBackward0, (input, target),
               (save(input, "self"), save(target, "target"), reduction, beta, d.size))
    return out


@rule
def HuberLossBackward0(need, g, self, target, reduction, delta, n):
    return (huber_loss_backward(g, self, target, reduction, delta, n) if need[0] else None,
            huber_loss_backward(g, target, self, reduction, delta, n) if need[1] else None)


@declare(method=False, function=False, nn=True)
def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta)."""
    check_loss_operands(input, target)
    a, b = np.broadcast_arrays(input._data, target._data)
    d = np.abs(a - b)
    v = np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    out = iter_result(reduce_loss(v.astype(a.dtype), reduction), input, target)
    if needs_grad(input, target):
        record(out, HuberLossBackward0, (input, target),
               (save(input, "self"), save(target, "target"), reduction, delta, d.size))
    return out


# ----- xlogy and kl_div (PyTorch composes kl_div from xlogy, mul and sub; so does gradsh) ------
def _xlogy_array(x, y):
    with np.errstate(all="ignore"):
        out = x * np.log(y)
    return np.where(x == 0, np.where(np.isnan(y), y, 0), out).astype(out.dtype)


@rule
def XlogyBackward0(need, g, x, y):
    gx = gy = None
    if need[0]:
        nz = (P.data(x) != 0).astype(P.data(y).dtype)
        gx = g * (xlogy(make(nz), y) if isinstance(y, Tensor) else _xlogy_array(nz, y))
    if need[1]:
        gy = g * x / y
    return (gx, gy)


def xlogy(input, other):
    """input * log(other), 0 where input is 0 (unless other is nan)."""
    out = iter_result(_xlogy_array(input._data, other._data), input, other)
    if needs_grad(input, other):
        record(out, XlogyBackward0, (input, other), (save(input, "self"), save(other, "other")))
    return out


@declare(method=False, function=False, nn=True)
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """target * (log target - input), summed as reduction says ('batchmean': sum / batch)."""
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / (input.shape[0] if input.ndim else 1)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")
