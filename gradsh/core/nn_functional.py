"""torch.nn.functional: activations and losses, each with PyTorch's node name and rule."""

import math
import warnings

import numpy as np

from . import autocast as _amp
from . import errors, grad_mode
from .layout import made_like, pointwise_layout
from .promotion import broadcast_shapes
from .memory import check_alloc
from .ops import activation_kernels as AK, prim as P, vml
from .ops.base import (arrays_unless, backward_op, contiguous_result, iter_result, make,
                       needs_grad, promote, record, rule, save, save_index, save_out,
                       torch_dtype)
from .ops.inplace import apply_inplace
from .ops.linalg import addmm, matmul
from .ops.pointwise import (NotImplementedBackward, add_scalar, div_scalar, grad_op,
                             linear_grad_node, mul_scalar,
                             relu as _relu, scalar_minus, sigmoid_backward, sub_scalar)
from .ops.reduce import NormBackward1, log_softmax, p_norm, softmax
from .ops.dtype_refusals import refuse_kernel
from .ops.registry import declare
from .ops.special import erf
from .ops.nn_ops import (check_loss_operands, loss_arrays, loss_reduction, reduce_loss,
                          reduction_name, warn_if_sizes_differ)
from .ops.summation import nll_cascade_sum
from .tensor import TENSOR_TYPES, Tensor
from .meta import MetaArray, as_array, check_devices, meta_like

# torch.nn.functional is made from the ops declared nn=True (here and sigmoid, tanh, softmax,
# log_softmax in ops/): gradsh/core/bindings.py.

_SQRT_2 = math.sqrt(2.0)
_SQRT_2_PI = math.sqrt(2.0 / math.pi)


@declare(method=False, function=False, nn=True)
def relu(input, inplace=False):
    """max(x, 0)."""
    return input.relu_() if inplace else _relu(input)


LeakyReluBackwardBackward0 = linear_grad_node("LeakyReluBackwardBackward0")


@rule
def LeakyReluBackward0(need, g, x, slope):
    keep = P.data(x) > 0

    def value(gd):  # PyTorch's kernel: x > 0 ? g : g * slope (slope in the tensor's dtype)
        return np.where(keep, gd, gd * gd.dtype.type(slope))
    return (grad_op(LeakyReluBackwardBackward0, g, x, value),)


@declare(method=False, function=False, nn=True)
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, else negative_slope * x."""
    d = input._data
    out = iter_result(np.where(d > 0, d, d * negative_slope).astype(d.dtype), input)
    if needs_grad(input):
        record(out, LeakyReluBackward0, (input,), (save(input, "self"), negative_slope))
    return out


def _nonpositive(x):
    """min(x, 0): exp of it cannot overflow where the other branch of a where is taken."""
    return x.clamp(max=0.0) if isinstance(x, Tensor) else np.minimum(x, 0)


def _elu_grad_array(gd, xd, alpha, scale, input_scale=1):
    """PyTorch's elu_backward kernel: x <= 0 ? g * input_scale * alpha * scale *
    exp(x * input_scale) : g * scale (exp rounded from double, as PyTorch's float32 exp is
    correctly rounded where numpy's may be one ulp off)."""
    t = xd.dtype.type
    neg = np.minimum(xd, 0) if input_scale == 1 else np.minimum(xd, 0) * t(input_scale)
    if xd.dtype == np.float32:  # PyTorch's kernel's exp: SLEEF's in lanes, glibc's in the tail
        e = AK.exp_float32(neg)
    else:
        e = np.exp(neg.astype(np.float64)).astype(xd.dtype)
    if input_scale != 1:
        r = np.where(xd <= 0, gd * t(input_scale) * t(alpha) * e, gd)
    elif scale == 1:
        r = np.where(xd <= 0, gd * t(alpha) * e, gd)
    else:
        r = np.where(xd <= 0, gd * t(alpha * scale) * e, gd * t(scale))
    return pointwise_layout(r, gd, xd)  # (the kernel's TensorIterator over (grad, self))


def _elu_grad(g, x, alpha, scale, input_scale=1):
    """elu_backward(g, x) as an op of (g, x), node EluBackwardBackward0 under create_graph."""
    return backward_op(EluBackwardBackward0, _elu_grad_array, g, (x,),
                       (alpha, scale) if input_scale == 1 else (alpha, scale, input_scale))


@rule
def EluBackwardBackward0(need, gg, g, x, alpha, scale, input_scale=1, is_result=False):
    # PyTorch's elu_double_backward: for x, elu_backward(gg * g * input_scale, x) * (x < 0);
    # for a saved result (the in-place elu_), gg * g * input_scale * (result < 0)
    if is_result:
        return (elu_result_grad(gg, x, alpha, scale, input_scale) if need[0] else None,
                mul_scalar(gg * g, input_scale) * (P.data(x) < 0) if need[1] else None)
    gx = None
    if need[1]:
        ggg = gg * g if input_scale == 1 else mul_scalar(gg * g, input_scale)
        gx = _elu_grad(ggg, x, alpha, scale, input_scale)
        gx = P.where(P.data(x) < 0, gx, P.zeros_like(gx))
    return (_elu_grad(gg, x, alpha, scale, input_scale) if need[0] else None, gx)


def _elu_result_grad_array(gd, rd, alpha, scale, input_scale, is_result):
    """elu_backward's kernel on a saved result: r <= 0 ? g * input_scale * (r + alpha * scale)
    : g * scale."""
    t = rd.dtype.type
    neg = gd * t(input_scale) * (rd + t(alpha * scale))
    return np.where(rd <= 0, neg, gd if scale == 1 else gd * t(scale)).astype(rd.dtype)


def elu_result_grad(g, result, alpha, scale, input_scale):
    """elu_backward(g, ..., is_result=True, result): EluBackwardBackward0 under create_graph."""
    if type(result) not in TENSOR_TYPES:  # the engine's array lane: nothing is recorded
        return _elu_result_grad_array(P.data(g), result, alpha, scale, input_scale, True)
    return backward_op(EluBackwardBackward0, _elu_result_grad_array, g, (result,),
                       (alpha, scale, input_scale, True))


@rule
def EluBackward0(need, g, x, alpha, scale):
    return (_elu_grad(g, x, alpha, scale),)


def _elu(input, alpha, scale):
    """PyTorch's elu kernel: x <= 0 ? expm1(x) * alpha * scale : x * scale; one EluBackward0."""
    d = input._data
    neg = vml.expm1(np.where(d > 0, d.dtype.type(0), d))  # (-0.0 stays -0.0, as PyTorch's)
    if scale == 1:
        values = np.where(d > 0, d, alpha * neg)
    else:
        t = d.dtype.type
        values = np.where(d > 0, d * t(scale), neg * t(alpha * scale))
    out = iter_result(values.astype(d.dtype), input)
    if needs_grad(input):
        record(out, EluBackward0, (input,), (save(input, "self"), alpha, scale))
    return out


@declare(method=False, function=False, nn=True)
def elu(input, alpha=1.0, inplace=False):
    """x where x > 0, else alpha * (exp(x) - 1)."""
    return _elu(input, alpha, 1)


def _float32_arrays(g, x):
    """Whether a rule's operands are float32 arrays (the plain backward pass), for the lanes
    that compute PyTorch's float32 kernels (ops/activation_kernels.py)."""
    return (type(g) is np.ndarray and type(x) is np.ndarray and g.dtype == np.float32
            and x.dtype == np.float32)


def _gelu_grad_value(g, x, approximate):
    """PyTorch's gelu_backward kernel on arrays: g * (cdf + x * pdf), or the tanh form's."""
    if approximate == "tanh" and _float32_arrays(g, x):
        return AK.gelu_tanh_backward_float32(g, x)  # its float32 steps (tanh modelled)
    if approximate == "tanh":
        t = np.tanh(_SQRT_2_PI * (x + 0.044715 * x * x * x))
        d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
    else:
        d = 0.5 * (1 + erf(x / _SQRT_2)) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return (g * d).astype(np.result_type(g, x))


def gelu_backward(grad_output, self, approximate):
    """PyTorch's gelu_backward op (GeluBackwardBackward0 under create_graph)."""
    return backward_op(GeluBackwardBackward0, _gelu_grad_value, grad_output, (self,),
                       (approximate,))


def _gelu_double_backward(ggi, go, x, approximate):
    """FunctionsManual's gelu_double_backward: ggI * gO * d(gelu')/dx."""
    if approximate == "tanh":
        kappa = 0.044715
        inner = _SQRT_2_PI * (x + kappa * x * x * x)
        t = P.tanh(inner)
        sech = 1 / P.cosh(inner)
        f, g, h = 0.5 * x, 1 - t * t, _SQRT_2_PI * (1 + 3 * kappa * x * x)
        f_prime_gh = 0.5 * g * h
        g_prime_fh = f * h * ((2 * sech) * (-sech * t) * h)
        h_prime_fg = f * g * (6 * kappa * x * _SQRT_2_PI)
        return ggi * go * (f_prime_gh + f_prime_gh + g_prime_fh + h_prime_fg)
    x_sq = x * x
    pdf = (1 / math.sqrt(2 * math.pi)) * P.exp(-0.5 * x_sq)
    return ggi * go * (2 * pdf - x_sq * pdf)


@rule
def GeluBackwardBackward0(need, grad, grad_output, self, approximate):
    grad_output, self = arrays_unless(grad, grad_output, self)
    return (gelu_backward(grad, self, approximate) if need[0] else None,
            _gelu_double_backward(grad, grad_output, self, approximate) if need[1] else None)


@rule
def GeluBackward0(need, g, self, approximate):
    return (gelu_backward(g, self, approximate),)


@declare(method=False, function=False, nn=True)
def gelu(input, *, approximate="none"):
    """x * Phi(x) (the Gaussian CDF), or its tanh approximation."""
    d = input._data
    x = d.astype(np.float64)
    if approximate == "tanh" and d.dtype == np.float32:
        v = AK.gelu_tanh_float32(d)  # PyTorch's kernel's float32 steps
    elif approximate == "tanh":
        v = 0.5 * x * (1 + np.tanh(_SQRT_2_PI * (x + 0.044715 * x ** 3)))
    else:
        v = 0.5 * x * (1 + erf(x / _SQRT_2))
    out = iter_result(v.astype(d.dtype), input)
    if needs_grad(input):
        record(out, GeluBackward0, (input,), (save(input, "self"), approximate))
    return out


@rule
def SiluBackward0(need, g, self):
    # infinitely_differentiable_silu_backward: grad * sigmoid * (1.0 + input * (1.0 - sigmoid))
    if type(g) is np.ndarray and g.dtype.kind == "V" and type(self) is np.ndarray:
        # bfloat16: PyTorch's silu_backward kernel computes in float32 and rounds once
        (gx,) = SiluBackward0.rule(need, g.astype(np.float32), self.astype(np.float32))
        return (gx.astype(g.dtype),)
    if _float32_arrays(g, self):
        return (AK.silu_backward_float32(g, self),)  # PyTorch's kernel, bit for bit
    s = P.sigmoid(self)
    return (g * s * add_scalar(self * scalar_minus(1.0, s), 1.0),)


@declare(method=False, function=False, nn=True)
def silu(input, inplace=False):
    """x * sigmoid(x)."""
    d = input._data
    x = d.astype(np.float32) if d.dtype.kind == "V" else d  # bfloat16: in float32, rounded once
    v = AK.silu_float32(x) if x.dtype == np.float32 else x / (1 + np.exp(-x))
    out = iter_result(v.astype(d.dtype), input)
    if needs_grad(input):
        record(out, SiluBackward0, (input,), (save(input, "self"),))
    return out


@rule
def SoftplusBackward0(need, g, x, beta, threshold):
    return (softplus_backward(g, x, beta, threshold),)


def _softplus_grad_value(g, x, beta, threshold):
    # PyTorch's kernel: z = exp(x * beta); x * beta > threshold ? g : g * z / (z + 1)
    if _float32_arrays(g, x):
        return AK.softplus_backward_float32(g, x, beta, threshold)
    bx = x * x.dtype.type(beta)
    z = np.exp(np.minimum(bx, threshold))
    return np.where(bx > threshold, g, g * z / (z + 1))


def softplus_backward(grad_output, x, beta, threshold):
    """PyTorch's softplus_backward op (SoftplusBackwardBackward0 under create_graph)."""
    return backward_op(SoftplusBackwardBackward0, _softplus_grad_value, grad_output, (x,),
                       (beta, threshold))


@rule
def SoftplusBackwardBackward0(need, grad, grad_output, self, beta, threshold):
    grad_output, self = arrays_unless(grad, grad_output, self)
    gs = None
    if need[1]:  # PyTorch's softplus_double_backward(grad * grad_output, self, beta, threshold)
        x = mul_scalar(self, beta)
        below = (P.data(x) < threshold).astype(P.data(grad).dtype)
        gs = mul_scalar(sigmoid_backward(grad * grad_output, P.sigmoid(x)) * below, beta)
    return (softplus_backward(grad, self, beta, threshold) if need[0] else None, gs)


@declare(method=False, function=False, nn=True)
def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * x)) / beta, linear above threshold."""
    d = input._data
    if d.dtype == np.float32:
        v = AK.softplus_float32(d, beta, threshold)
    else:
        bx = d * beta
        v = np.where(bx > threshold, d, np.log1p(np.exp(np.minimum(bx, threshold))) / beta)
    out = iter_result(v.astype(d.dtype), input)
    if needs_grad(input):
        record(out, SoftplusBackward0, (input,), (save(input, "self"), beta, threshold))
    return out


@declare(method=False, function=False, nn=True)
def linear(input, weight, bias=None):
    """input @ weight.T + bias."""
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are "
                           f"{input.ndim}D and {weight.ndim}D")
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        input, weight, bias = _amp.lower(input, weight, bias)
    if bias is None:
        return matmul(input, weight.t())
    if type(input._data) is not type(bias._data):  # (PyTorch checks input against bias only)
        check_devices(input, bias)
    if input.ndim == 2:
        return addmm(bias, input, weight.t())
    if not input.is_contiguous():  # ATen's at::linear: no flattening, a matmul and an add
        return matmul(input, weight.t()) + bias
    lead = input.shape[:-1]  # PyTorch flattens the leading dims around one addmm
    return addmm(bias, input.reshape(-1, input.shape[-1]), weight.t()).view(
        *lead, weight.shape[0])


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _mse_grad_value(g, x, y, reduction, n):
    # PyTorch's mse_backward kernel: norm * (x - y) * g, norm = 2 / numel (mean) in x's dtype
    norm = x.dtype.type(2.0 / n if reduction == "mean" else 2.0)
    return norm * (x - y) * g


def mse_loss_backward(grad_output, x, y, reduction, n):
    """PyTorch's mse_loss_backward op (MseLossBackwardBackward0 under create_graph)."""
    return backward_op(MseLossBackwardBackward0, _mse_grad_value, grad_output, (x, y),
                       (reduction, n))


def _mse_double_backward(grad, reduction, n):
    g = mul_scalar(grad, 2)  # FunctionsManual's 2 * grad, then grad_input /= numel
    return div_scalar(g, n) if reduction == "mean" else g


@rule
def MseLossBackwardBackward0(need, grad, grad_output, self, target, reduction, n):
    grad_output, self, target = arrays_unless(grad, grad_output, self, target)
    gs = _mse_double_backward(grad * grad_output, reduction, n) if need[1] or need[2] else None
    return (mse_loss_backward(grad, self, target, reduction, n) if need[0] else None,
            gs if need[1] else None, -gs if need[2] else None)


@rule
def MseLossBackward0(need, g, x, y, reduction, n):
    # PyTorch: self: mse_loss_backward(grad, self, target), target: mse_loss_backward(grad,
    # target, self)
    return (mse_loss_backward(g, x, y, reduction, n) if need[0] else None,
            mse_loss_backward(g, y, x, reduction, n) if need[1] else None)




@declare(method=False, function=False, nn=True)
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum) of squared differences; with a weight, PyTorch's composite (_weighted_loss)."""
    check_devices(input, target)
    if weight is not None:
        return _weighted_loss((input - target) ** 2, weight, input, size_average, reduce, reduction)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target = _amp.widen(input, target)
    warn_if_sizes_differ(input, target)
    reduction = loss_reduction(size_average, reduce, reduction, 4)
    a, b = loss_arrays(input, target, "mse_cpu")
    d = a - b
    sq = d * d
    if reduction in ("mean", "sum"):
        v = as_array(reduce_loss(sq, reduction))
    elif reduction == "none":
        v = sq
    else:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    out = iter_result(v, input, target)
    if needs_grad(input, target):
        record(out, MseLossBackward0, (input, target),
               (save(input, "self"), save(target, "target"), reduction, sq.size))
    return out


@declare(method=False, function=False, nn=True)
def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum) of absolute differences; with a weight, PyTorch's composite (_weighted_loss)."""
    check_devices(input, target)
    if weight is not None:
        return _weighted_loss((input - target).abs(), weight, input, size_average, reduce, reduction)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target = _amp.widen(input, target)
    warn_if_sizes_differ(input, target)
    reduction = loss_reduction(size_average, reduce, reduction, 4)
    return _reduce((input - target).abs(), reduction)


def _weighted_loss(loss, weight, input, size_average, reduce, reduction):
    """A loss's elements times a weight of the input's size, summed, or summed and divided by
    the weights' sum ('mean'), as PyTorch 2.13 composes mse_loss and l1_loss with a weight."""
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    reduction = loss_reduction(size_average, reduce, reduction, 5)
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum()
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _nll_grad_value(g, self, target, weight, reduction, ignore_index, total):
    """PyTorch's nll_loss_backward kernel on arrays: -weight * grad (/ total_weight) at each
    row's target class, zero elsewhere."""
    shape = self.shape
    n = shape[0] if len(shape) == 2 else 1
    out = np.zeros(shape, np.result_type(g))
    tt = target.reshape(-1)
    valid = tt != ignore_index
    w = weight[np.where(valid, tt, 0)] if weight is not None else np.ones(n)
    w = np.where(valid, w, 0)
    g = as_array(g)
    if reduction == "none":
        vals = -w * g.reshape(-1)
    else:  # PyTorch's kernel: grad = -(g / total) once, then weight[t] * grad
        grad = -(g / g.dtype.type(total)) if reduction == "mean" else -g
        vals = w.astype(g.dtype) * grad if weight is not None else np.broadcast_to(grad, (n,))
    if len(shape) == 2:
        out[np.arange(n)[valid], tt[valid]] = np.broadcast_to(vals, (n,))[valid]
    else:
        out[tt[0]] = np.broadcast_to(vals, (1,))[0]
    return out


def nll_loss_backward(grad_output, self, target, weight, reduction, ignore_index, total):
    """PyTorch's nll_loss_backward op (NllLossBackwardBackward0 under create_graph)."""
    return backward_op(NllLossBackwardBackward0, _nll_grad_value, grad_output, (self,),
                       (P.data(target), weight, reduction, ignore_index, total))


def _nll_double(need, grad, target, weight, reduction, ignore_index):
    """derivatives.yaml for nll_loss's and nll_loss2d's backward: grad_output: nll_loss(grad,
    target, ...); self: zeros_like(grad)."""
    if need[0]:
        t = grad if type(grad) in TENSOR_TYPES else make(grad)
        gg = nll_loss(t, make(target), None if weight is None else make(weight),
                      ignore_index=ignore_index, reduction=reduction)
        gg = gg if type(grad) in TENSOR_TYPES else gg._data
    return (gg if need[0] else None, P.zeros_like(grad) if need[1] else None)


@rule
def NllLossBackwardBackward0(need, grad, grad_output, self, target, weight, reduction,
                             ignore_index, total_weight):
    return _nll_double(need, grad, target, weight, reduction, ignore_index)


@rule
def NllLossBackward0(need, g, self, target, weight, reduction, ignore_index, total_weight):
    weight, total_weight = _nll_saved(weight, total_weight)
    return (nll_loss_backward(g, self, target, weight, reduction, ignore_index, total_weight),)


def _nll_saved(weight, total_weight):
    """The class weights and the total weight as the rules read them (arrays, a float): the
    nodes save them as tensors, as PyTorch's do (a pack hook sees both)."""
    return (None if weight is None else P.data(weight)), float(P.data(total_weight))


def _nll_save(input, target, weight, total):
    """(self, target, weight, total weight) saved in PyTorch's order: the total weight is a
    0-d tensor of the input's dtype (its forward's second output)."""
    return (save(input, "self"), save(target, "target"),
            None if weight is None else save_index(weight),
            save_index(np.array(total, input._data.dtype)))


def _check_weight_dtype(input, weight):
    """nll_loss's kernels take class weights of the input's dtype only."""
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype._short} but found "
                           f"{weight.dtype._short}")


def _weight_size_error(classes, weight):
    return (f"weight tensor should be defined either for all {classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}")


@declare(method=False, function=False, nn=True)
def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log likelihood of target classes given log-probabilities (N, C), (C,) or
    (N, C, d1, ...) (PyTorch's nll_loss_nd: 4 dims are nll_loss2d; 3 or more than 4 are viewed
    as (N, C, 1, -1) for it, and a reduction='none' result viewed back)."""
    check_devices(input, target, against=target)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target, weight = _amp.widen(input, target, weight)
    reduction = loss_reduction(size_average, reduce, reduction, 4)
    d = input._data
    if d.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    # (nll_loss_nd's checks, in its order, before those of the kernels it picks)
    if d.ndim >= 2 and target._data.ndim >= 1 and d.shape[0] != target._data.shape[0]:
        raise ValueError(f"Expected input batch_size ({d.shape[0]}) to match target batch_size "
                         f"({target._data.shape[0]}).")
    _no_grad_argument("nll_loss2d_forward" if d.ndim >= 3 else "nll_loss_forward", "weight",
                      weight)
    if d.ndim == 1 and target._data.ndim == 1 and target._data.shape[0] != 1:
        raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                         f"{target._data.shape[0]}")
    if d.ndim >= 3:
        return _nll_loss_nd(input, target, weight, ignore_index, reduction)
    if target._data.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{target.dtype._short}")
    refuse_kernel("nll_loss_out_frame", d)
    t = target._data.astype(np.int64)
    if d.ndim == 1:
        d2, t2 = d[None], t.reshape(1)
    else:
        d2, t2 = d, t
    n, c = d2.shape
    if weight is not None and weight.numel() != c:
        raise RuntimeError(_weight_size_error(c, weight))
    _check_weight_dtype(input, weight)
    valid = t2 != ignore_index
    if np.any((t2[valid] < 0) | (t2[valid] >= c)):
        bad = t2[valid][(t2[valid] < 0) | (t2[valid] >= c)][0]
        raise IndexError(f"Target {bad} is out of bounds.")
    w = weight._data if weight is not None else None
    picked = -d2[np.arange(n), np.where(valid, t2, 0)]
    wv = (w[np.where(valid, t2, 0)] if w is not None else np.ones(n, d.dtype)) * valid
    losses = picked * wv
    total = wv.sum()
    v, total = _nll_value(d.dtype, d2, t2, valid, w, losses, total, reduction)
    if v is None:
        v = losses.astype(d.dtype) if d.ndim > 1 else losses.reshape(()).astype(d.dtype)
    out = contiguous_result(v)
    if needs_grad(input):
        s, t, sw, st = _nll_save(input, target, weight, total)
        record(out, NllLossBackward0, (input,), (s, t, sw, reduction, ignore_index, st))
    return out


def _nll_loss_nd(input, target, weight, ignore_index, reduction):
    shape, tshape = tuple(input.shape), tuple(target.shape)
    expected = (shape[0],) + shape[2:]
    if input.ndim == 4:
        if len(tshape) != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {len(tshape)}")
        if tshape != expected:
            raise RuntimeError(f"size mismatch (got input: {list(shape)} , target: "
                               f"{list(tshape)}")
        return _nll_loss2d(input, target, weight, ignore_index, reduction)
    if tshape != expected:
        raise RuntimeError(f"Expected target size {list(expected)}, got {list(tshape)}")
    out = _nll_loss2d(input.reshape(shape[0], shape[1], 1, -1),
                      target.reshape(shape[0], 1, -1), weight, ignore_index, reduction)
    return out.view(expected) if reduction == "none" else out


def _classes_last(a):
    """(N, C, H, W) as (N * H * W, C), rows in PyTorch's kernel order (batch, then position)."""
    c = a.shape[1]
    if isinstance(a, Tensor):
        return a.movedim(1, -1).reshape(-1, c)
    return np.moveaxis(a, 1, -1).reshape(-1, c)


def _classes_back(a, shape):
    n, c, h, w = shape
    if isinstance(a, Tensor):
        return a.reshape(n, h, w, c).movedim(-1, 1).contiguous()
    return np.ascontiguousarray(np.moveaxis(a.reshape(n, h, w, c), -1, 1))


def _nll_loss2d(input, target, weight, ignore_index, reduction):
    """nll_loss2d: each position of each sample is a row of nll_loss (the same checks, the same
    float32 cascade over the flat index), recorded as NllLoss2DBackward0."""
    d = input._data
    if target._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{target.dtype._short}")
    refuse_kernel("nll_loss2d_forward_out_frame", d)
    _check_weight_dtype(input, weight)
    d2, t2 = _classes_last(d), target._data.astype(np.int64).reshape(-1)
    c = d2.shape[1]
    valid = t2 != ignore_index
    outside = (t2 < 0) | (t2 >= c)
    if np.any(valid & outside):
        raise IndexError(f"Target {t2[valid & outside][0]} is out of bounds.")
    w = weight._data if weight is not None else None
    safe = np.where(valid, t2, 0)
    wv = (w[safe] if w is not None else np.ones(len(t2), d.dtype)) * valid
    losses = -d2[np.arange(len(t2)), safe] * wv
    total = wv.sum()
    v, total = _nll_value(d.dtype, d2, t2, valid, w, losses, total, reduction)
    if v is None:
        v = losses.astype(d.dtype).reshape(target._data.shape)
    out = contiguous_result(v)
    if needs_grad(input):
        s, t, sw, st = _nll_save(input, target, weight, total)
        record(out, NllLoss2DBackward0, (input,), (s, t, sw, reduction, ignore_index, st))
    return out


def _nll2d_grad_value(g, self, target, weight, reduction, ignore_index, total):
    g = g.reshape(-1) if reduction == "none" else g
    rows = _nll_grad_value(g, _classes_last(self), target.reshape(-1), weight, reduction,
                           ignore_index, total)
    return _classes_back(rows, self.shape)


@rule
def NllLoss2DBackward0(need, g, self, target, weight, reduction, ignore_index, total_weight):
    weight, total_weight = _nll_saved(weight, total_weight)
    return (backward_op(NllLoss2DBackwardBackward0, _nll2d_grad_value, g, (self,),
                        (P.data(target), weight, reduction, ignore_index, total_weight)),)


@rule
def NllLoss2DBackwardBackward0(need, grad, grad_output, self, target, weight, reduction,
                               ignore_index, total_weight):
    return _nll_double(need, grad, target, weight, reduction, ignore_index)


def _nll_value(dtype, d2, t2, valid, w, losses, total, reduction):
    """(the reduced loss, the total weight) for 'mean' and 'sum' (float dtypes in PyTorch's
    order: _nll_reduced), (None, total) for 'none'."""
    if reduction in ("mean", "sum") and dtype in (np.float32, np.float64):
        return _nll_reduced(d2, t2, valid, w, reduction)
    if reduction == "mean":
        return as_array(losses.sum() / total, dtype), total
    if reduction == "sum":
        return as_array(losses.sum(), dtype), total
    return None, total


def _nll_reduced(d2, t2, valid, w, reduction):
    """float32 or float64 nll_loss with a reduction in PyTorch's order (its kernel's cascade
    of the terms -(x[b, t] * w[t]), and of the weights); the value and the total weight."""
    index = np.flatnonzero(valid)
    data = d2[index, t2[index]]
    if w is None:
        terms, total = -data, np.float32(len(index))
    else:
        picked_w = w[t2[index]]
        terms = -(data * picked_w)
        total = nll_cascade_sum(picked_w, index, len(t2))
    loss = nll_cascade_sum(terms, index, len(t2))
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            loss = loss.dtype.type(loss / total)
    return as_array(loss), total


@declare(method=False, function=False, nn=True)
def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=None, label_smoothing=0.0, options=None):
    """cross_entropy(linear(input, linear_weight, linear_bias), target) (PyTorch's reference
    path; gradsh has no chunked one, so `options` only picks that). linear_weight is (C, in)
    or (C, d1, ..., dk, in): the logits are then (N, C, d1, ..., dk) for a K-dimensional
    target; ignore_index None is cross_entropy's -100."""
    if input.ndim not in (1, 2):
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.ndim}")
    if input.shape[-1] != linear_weight.shape[-1]:
        raise RuntimeError("expected equal input and linear_weight last dimensions "
                           f"(in_features), got {input.shape[-1]} and "
                           f"{linear_weight.shape[-1]}, respectively")
    classes = tuple(linear_weight.shape[:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != classes:
        raise RuntimeError(f"expected linear_bias shape {classes}, got "
                           f"{tuple(linear_bias.shape)}")
    # PyTorch's graph: the weight and bias flattened only when K-dimensional, then linear,
    # the logits viewed as (N, C, d1, ..., dk) before the loss
    w = linear_weight if linear_weight.ndim == 2 else linear_weight.reshape(
        -1, linear_weight.shape[-1])
    b = linear_bias if linear_bias is None or linear_bias.ndim == 1 else linear_bias.reshape(-1)
    logits = linear(input, w, b).view(*input.shape[:-1], *classes)
    return cross_entropy(logits, target, weight,
                         ignore_index=-100 if ignore_index is None else ignore_index,
                         reduction=reduction, label_smoothing=label_smoothing)


@declare(method=False, function=False, nn=True)
def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """nll_loss(log_softmax(input, 1), target); target may also hold class probabilities."""
    check_devices(input, target, against=target)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target, weight = _amp.widen(input, target, weight)
    reduction = loss_reduction(size_average, reduce, reduction, 4)
    if label_smoothing > 1.0:  # (PyTorch lets a negative one through)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing:g}")
    if tuple(target.shape) == tuple(input.shape) and not target.is_floating_point():
        raise RuntimeError("Expected floating point type for target with class "
                           f"probabilities, got {target.dtype._short}")
    if input.ndim == 0:  # (PyTorch's class dim is 1 for it: log_softmax's errors)
        if tuple(target.shape) == ():
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    cdim = 1 if input.ndim > 1 else 0
    n_classes = input.shape[cdim]
    logp = log_softmax(input, cdim)
    w = None
    if weight is not None:
        if weight.numel() != n_classes:
            prefix = "cross_entropy: " if tuple(target.shape) == tuple(input.shape) else ""
            raise RuntimeError(prefix + _weight_size_error(n_classes, weight))
        w = weight.view((1,) * cdim + (n_classes,) + (1,) * (input.ndim - cdim - 1))
    if tuple(target.shape) == tuple(input.shape):
        if not target.is_floating_point():
            raise RuntimeError("Expected floating point type for target with class "
                               f"probabilities, got {target.dtype._short}")
        # Class probabilities: PyTorch's composition, hence its node names (Neg, DivBackward1).
        if label_smoothing:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        terms = logp * target if w is None else logp * target * w
        if reduction == "none":
            return -terms.sum(cdim)
        if reduction == "sum":
            return -terms.sum()
        # (an empty batch: 0 / 0, PyTorch's nan)
        return div_scalar(-terms.sum(), input.numel() // n_classes if input.numel() else 0)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if not label_smoothing:
        return nll
    ignored = target == ignore_index
    smooth = -(logp if w is None else logp * w).sum(cdim)
    smooth = smooth.masked_fill(ignored, 0.0)
    if reduction == "mean":
        kept = target[~ignored] if target.ndim else target.reshape(-1)[~ignored.reshape(-1)]
        den = weight.gather(0, kept.reshape(-1)).sum() if weight is not None else (~ignored).sum()
        smooth = smooth.sum() / den
    elif reduction == "sum":
        smooth = smooth.sum()
    return mul_scalar(nll, 1 - label_smoothing) + mul_scalar(smooth, label_smoothing / n_classes)


def _scaled(g, weight, reduction, n):
    if weight is not None:
        g = g * weight
    return g / n if reduction == "mean" else g


def _log_clamped(a):
    """log(a) clamped below at -100, as PyTorch's binary cross entropy takes it."""
    if isinstance(a, Tensor):
        return a.log().clamp(min=-100.0)
    return np.maximum(np.log(a), -100)


_BCE_EPS = 1e-12


def _bce_grad_value(g, x, y, weight, reduction, n):
    """PyTorch's binary_cross_entropy_backward kernel: g * (x - y) / max((1 - x) * x, eps), times
    the weight, over numel for the mean."""
    d = g * (x - y) / np.maximum((1 - x) * x, x.dtype.type(_BCE_EPS))
    if weight is not None:
        d = d * weight
    return d / x.dtype.type(n) if reduction == "mean" else d


def binary_cross_entropy_backward(grad_output, self, target, weight, reduction, n):
    """PyTorch's binary_cross_entropy_backward op (BinaryCrossEntropyBackwardBackward0 under
    create_graph)."""
    return backward_op(BinaryCrossEntropyBackwardBackward0, _bce_grad_value, grad_output,
                       (self, target), (weight, reduction, n))


def _loss_reduced(v, reduction):
    return v.mean() if reduction == "mean" else (v.sum() if reduction == "sum" else v)


@rule
def BinaryCrossEntropyBackwardBackward0(need, grad, grad_output, self, target, weight, reduction,
                                        n):
    """FunctionsManual's binary_cross_entropy_double_backward (self), _grad_output and _target."""
    grad_output, self, target = arrays_unless(grad, grad_output, self, target)
    w = None if weight is None else (make(weight) if type(grad) in TENSOR_TYPES else weight)
    g_go = g_self = g_target = None
    self_pl_eps = add_scalar(self, _BCE_EPS)
    one_m_self_pl_eps = add_scalar(scalar_minus(1, self), _BCE_EPS)
    if need[0]:
        g_go = _weighted((self - target) / (self_pl_eps * one_m_self_pl_eps), w)
        g_go = _loss_reduced(g_go * grad, reduction)
    if need[1]:
        g_self = ((self * self - mul_scalar(self, 2) * target + target) /
                  (self_pl_eps ** 2 * one_m_self_pl_eps ** 2))
        g_self = _weighted(g_self * (grad * grad_output), w)
    if need[2]:
        denom = scalar_minus(1, self) * self
        with grad_mode.no_grad():  # PyTorch clamps it in place without recording the clamp
            denom = _clamped_min(denom, _BCE_EPS)
        g_target = _weighted(-grad * grad_output, w) / denom
    if reduction == "mean":
        g_self = None if g_self is None else div_scalar(g_self, n)
        g_target = None if g_target is None else div_scalar(g_target, n)
    return (g_go, g_self, g_target)


def _weighted(g, weight):
    return g if weight is None else g * weight


def _clamped_min(a, low):
    if type(a) in TENSOR_TYPES:
        return a.clamp_min_(low)
    return np.maximum(a, a.dtype.type(low))


@rule
def BinaryCrossEntropyBackward0(need, g, self, target, weight, reduction, n):
    gx = gy = None
    if need[0]:
        gx = binary_cross_entropy_backward(g, self, target, weight, reduction, n)
    if need[1]:
        gy = _scaled(g, weight, reduction, n) * (_log_clamped(1 - self) - _log_clamped(self))
    return (gx, gy)


def _no_grad_argument(op, argument, t):
    """PyTorch's refusal of a tensor requiring grad where its op has no derivative for it (a
    loss's class or element weights), checked before the op's kernel, in grad mode only."""
    if t is not None and needs_grad(t):
        raise RuntimeError(f"The function '{op}' is not differentiable with respect to argument "
                           f"'{argument}'. This input cannot have requires_grad True.")


def _into_loss(shape, other, other_first):
    """A weight (or pos_weight) multiplied into a loss of `shape` in place, as PyTorch's binary
    cross entropies do: the broadcast error naming the loss and the weight in PyTorch's order
    (`other_first`: pos_weight, the first operand there), or the in-place error of a weight
    with more dimensions than the loss."""
    try:
        common = np.broadcast_shapes(shape, other)
    except ValueError:
        pair = (other, shape) if other_first else (shape, other)
        raise errors.broadcast_error(*pair) from None
    if common != tuple(shape):
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape "
                           f"{list(common)}")


@declare(method=False, function=False, nn=True)
def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(y log x + (1 - y) log(1 - x)), logs clamped at -100 as PyTorch does."""
    check_devices(input, target, against=target)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target, weight = _amp.widen(input, target, weight)
    check_loss_operands(input, target)
    reduction = loss_reduction(size_average, reduce, reduction, 4)
    x, y = input._data, target._data
    if y.shape != x.shape:
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input "
                         f"size ({input.size()}) is deprecated. Please ensure they have the same "
                         "size.")
    if weight is not None:  # (F's expand of the weight to the target's broadcast shape)
        expanded = broadcast_shapes(target.size(), weight.size())
    _no_grad_argument("binary_cross_entropy", "weight", weight)  # (autograd's, then the kernel's)
    if weight is not None:
        _into_loss(x.shape, expanded, False)
    if target.dtype != input.dtype:  # (PyTorch's kernel takes no other target dtype)
        raise RuntimeError(f"Found dtype {target.dtype._short} but expected {input.dtype._short}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"binary_cross_entropy" not implemented for '
                                  f"'{input.dtype._short}'")
    if np.any((x < 0) | (x > 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore"):
        lx = np.maximum(np.log(x), -100)
        l1x = np.maximum(np.log1p(-x), -100)
    loss = -(y * lx + (1 - y) * l1x)
    w = weight._data if weight is not None else None
    if w is not None:
        loss = loss * w
    v = reduce_loss(loss, reduction)
    out = iter_result(as_array(v, x.dtype), input, target)
    if needs_grad(input, target):
        record(out, BinaryCrossEntropyBackward0, (input, target),
               (save(input, "self"), save(target, "target"), w, reduction, x.size))
    return out


def _log_sigmoid(x):
    if isinstance(x, Tensor):
        return -softplus(-x)
    # (float32: F.logsigmoid's own kernel, PyTorch's steps: ops/activation_kernels.py; float16
    # and bfloat16 through it as PyTorch computes them in float32; float64 the same formula,
    # min(x, 0) - log1p(exp(-|x|)): 0. (not -0.) for large x, log1p's last bit)
    if x.dtype.itemsize == 2:  # float16 and bfloat16 (integers are refused before)
        return AK.logsigmoid_float32(x.astype(np.float32)).astype(x.dtype)
    if x.dtype == np.float32:
        return AK.logsigmoid_float32(x)
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


@rule
def BinaryCrossEntropyWithLogitsBackward0(need, g, x, y, weight, pos_weight, reduction, n):
    gx = gy = None
    if need[0]:
        # binary_cross_entropy_with_logits_backward: (sigmoid(x) - y) * grad (* weight) / numel
        s = P.sigmoid(x)
        if pos_weight is not None:
            t = pos_weight * y
            gx = ((t + 1 - y) * s - t) * g
        else:
            gx = (s - y) * g
        if weight is not None:
            gx = gx * weight
        if reduction == "mean":
            gx = div_scalar(gx, n)
    g = _scaled(g, weight, reduction, n)
    if need[1]:
        # d/dy of -(pw y log s(x) + (1 - y) log s(-x))
        pw = pos_weight if pos_weight is not None else 1.0
        gy = g * (_log_sigmoid(-x) - pw * _log_sigmoid(x))
    return (gx, gy)


def _torch_bce_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    """torch.binary_cross_entropy_with_logits: ATen's int reduction (its parser's default none)."""
    return binary_cross_entropy_with_logits(input, target, weight, None, None,
                                            reduction_name(reduction), pos_weight)


@declare(method=False, function=_torch_bce_with_logits, nn=True)
def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """binary_cross_entropy(sigmoid(input), target), computed stably from logits."""
    check_devices(input, target, against=target)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target, weight, pos_weight = _amp.widen(input, target, weight, pos_weight)
    check_loss_operands(input, target)
    reduction = loss_reduction(size_average, reduce, reduction, 4)
    if target._data.shape != input._data.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    _no_grad_argument("binary_cross_entropy_with_logits", "weight", weight)
    _no_grad_argument("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"log_sigmoid_cpu" not implemented for '
                                  f"'{input.dtype._short}'")
    # (PyTorch computes into a tensor of target's dtype: integer and bool targets refused)
    if target.dtype.name == "bool":
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if not (target.dtype.is_floating_point or target.dtype.is_complex):
        raise RuntimeError(f"result type {input.dtype._short} can't be cast to the desired "
                           f"output type {target.dtype._short}")
    x, y = input._data, target._data
    for other, first in ((pos_weight, True), (weight, False)):
        if other is not None:
            _into_loss(x.shape, other._data.shape, first)
    pw = pos_weight._data if pos_weight is not None else None
    # PyTorch's order, (1 - y) * x - log_weight * log_sigmoid(x) with log_weight =
    # (pos_weight - 1) * y + 1: the other arrangements of the same math round otherwise in
    # about a quarter of the elements. Its steps write in place: (1 - y) * x into the target's
    # dtype, log_weight * log_sigmoid(x) into log_sigmoid's (the input's), the difference and
    # the weighted loss into the target's, which is the result's dtype (checked against
    # PyTorch over float16/bfloat16/float32/float64 pairs, tests/nn/test_adv13b_fixes.py)
    yd = y.dtype
    log_sig = _log_sigmoid(x)
    if pw is not None:
        log_sig = (((pw - 1) * y + 1) * log_sig).astype(x.dtype, copy=False)
    loss = (((1 - y) * x).astype(yd, copy=False) - log_sig).astype(yd, copy=False)
    w = weight._data if weight is not None else None
    if w is not None:
        loss = (loss * w).astype(yd, copy=False)
    v = reduce_loss(loss, reduction)
    out = contiguous_result(as_array(v, yd))  # (PyTorch's, for reduction='none' too)
    if needs_grad(input, target):
        record(out, BinaryCrossEntropyWithLogitsBackward0, (input, target),
               (save(input, "self"), save(target, "target"), w, pw, reduction, x.size))
    return out


def check_dropout_p(p):
    """ATen's check of torch.dropout's p (F's is a ValueError of the same words)."""
    if p < 0 or p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def _torch_dropout(input, p, train):
    """torch.dropout(input, p, train): ATen's names, every argument required."""
    check_dropout_p(p)
    return dropout(input, p, train)


@declare(method=False, function=_torch_dropout, nn=True)
def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1/(1-p) (training only)."""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if inplace:  # PyTorch's dropout_: the same draws, multiplied into the input (MulBackward0)
        return apply_inplace(input, dropout, p, training)
    if type(input._data) is MetaArray:  # (no mask is drawn for a tensor without data)
        return input * make(meta_like(input._data))
    if p == 1:
        return input * make(np.zeros(input._data.shape, input._data.dtype))
    from . import random as R  # on first use: numpy.random costs 15 ms of start-up
    gen = R.default_generator
    d = input._data
    draw = gen.dropout_mask if hasattr(gen, "dropout_mask") else (
        lambda shape, dtype, p: gen.bernoulli(1 - p, shape, dtype))
    # the mask is empty_like(input).bernoulli_(): drawn in the input's memory order
    mask = made_like(d, lambda shape, _: draw(shape, d.dtype, p)) if not d.flags.c_contiguous \
        else draw(d.shape, d.dtype, p)
    scaled = make(R.scaled_mask(mask, p))  # 1 - p rounded to x's dtype, as PyTorch
    return input * scaled


@declare(method=False, function=False, nn=True)
def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p over dim, eps)."""
    n = input.norm(p, dim, keepdim=True).clamp_min(eps)
    return input / n.expand_as(input)


@declare(method=False, function=True, nn=True)
def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p over the last dim (PyTorch's at::norm: NormBackward1)."""
    dim = max(x1.ndim, x2.ndim) - 1
    diff = x1 - x2
    # an integer difference plus the float eps is in the default dtype (C++'s type promotion)
    shifted = add_scalar(diff, eps) if diff._data.dtype.kind in "fcV" else diff + eps
    return p_norm(shifted, p, dim, keepdim, NormBackward1)


@declare(method=False, function=True, nn=True)
def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum((x1 / ||x1||) * (x2 / ||x2||)) over dim, each norm clamped to eps without a graph
    (PyTorch's formula: the gradient flows as if unclamped)."""
    common = promote(x1, x2)
    if common.kind not in "fV":
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           f"{torch_dtype(common)._short}")
    x1, x2 = (x if x._data.dtype.kind in "fV" else x.to(torch_dtype(common)) for x in (x1, x2))
    if x1.shape != x2.shape:  # (expand_outplace: both, unless the shapes are the same)
        try:
            shape = np.broadcast_shapes(x1.shape, x2.shape)
        except ValueError:
            raise errors.broadcast_error(x1.shape, x2.shape) from None
        x1, x2 = x1.expand(shape), x2.expand(shape)
    norms = [x.norm(2, dim, keepdim=True).clone() for x in (x1, x2)]
    with grad_mode.no_grad():
        for n in norms:
            n.clamp_min_(eps)
    return ((x1 / norms[0]) * (x2 / norms[1])).sum(dim)


@declare(method=False, function=False, nn=True)
def one_hot(tensor, num_classes=-1):
    """Class indices (an int64 tensor) as one-hot rows of num_classes (default: max + 1)."""
    d = tensor._data
    if d.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1 and d.size == 0:
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    if d.size and d.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    k = int(d.max()) + 1 if num_classes == -1 else num_classes
    if d.size and d.max() >= k:
        raise RuntimeError("Class values must be smaller than num_classes.")
    check_alloc(d.shape + (k,), d.dtype)
    # written into zeros, not picked from eye(k): that would be k * k
    out = np.zeros(d.shape + (k,), np.int64)
    np.put_along_axis(out, d[..., None], 1, axis=-1)
    return make(out)


HardtanhBackwardBackward0 = linear_grad_node("HardtanhBackwardBackward0")


@rule
def HardtanhBackward0(need, g, x, lo, hi):
    xd = P.data(x)
    keep = (xd > lo) & (xd < hi)
    return (grad_op(HardtanhBackwardBackward0, g, x,
                    lambda gd: np.where(keep, gd, gd.dtype.type(0))),)


@declare(method=False, function=False, nn=True)
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x limited to [min_val, max_val]."""
    d = input._data
    clipped = np.clip(d, min_val, max_val)
    out = iter_result(clipped if d.dtype.kind in "fV" else clipped.astype(d.dtype), input)
    if needs_grad(input):
        record(out, HardtanhBackward0, (input,), (save(input, "self"), min_val, max_val))
    return out


@declare(method=False, function=False, nn=True)
def relu6(input, inplace=False):
    """min(max(x, 0), 6): PyTorch's relu6 is hardtanh(x, 0, 6) (HardtanhBackward0)."""
    return hardtanh(input, 0.0, 6.0, inplace)


_ONE_SIXTH_F32 = float(np.float32(1 / 6))


def _hardsigmoid_grad_array(gd, xd):
    # hardsigmoid_backward: -3 < x < 3 ? grad * (1/6) : 0, with 1/6 a float constant in
    # PyTorch's kernel (also for double tensors)
    return np.where((xd > -3) & (xd < 3), gd * gd.dtype.type(_ONE_SIXTH_F32), 0).astype(gd.dtype)


@rule
def HardsigmoidBackward0(need, g, self):
    # PyTorch has no derivative for hardsigmoid_backward: under create_graph the gradient's
    # node is NotImplemented, whose backward raises
    if type(g) not in TENSOR_TYPES:
        return (_hardsigmoid_grad_array(g, P.data(self)),)
    out = iter_result(_hardsigmoid_grad_array(g._data, P.data(self)), g, self)
    differentiable = tuple(t for t in (g, self) if needs_grad(t))
    if differentiable:
        record(out, NotImplementedBackward, differentiable, ("hardsigmoid_backward",))
    return (out,)


@declare(method=False, function=False, nn=True)
def hardsigmoid(input, inplace=False):
    """min(max(x + 3, 0), 6) / 6."""
    d = input._data
    out = iter_result(np.minimum(np.maximum(d + 3, 0), 6) / d.dtype.type(6), input)
    if needs_grad(input):
        record(out, HardsigmoidBackward0, (input,), (save(input, "self"),))
    return out


def _hardswish_grad_array(gd, xd):
    # hardswish_backward: x <= -3 ? 0 : x < 3 ? grad * (x / 3 + 0.5) : grad
    middle = gd * (xd / 3.0 + 0.5)
    return np.where(xd <= -3, 0, np.where(xd < 3, middle, gd)).astype(gd.dtype)


@rule
def HardswishBackwardBackward0(need, gg, g, x):
    # derivatives.yaml: grad_output: hardswish_backward(grad, self); self: where(-3 < x < 3,
    # grad * grad_output / 3, 0)
    gx = None
    if need[1]:
        xd = P.data(x)
        gx = P.masked(gg * g / 3.0, (xd > -3) & (xd < 3))
    return (_hardswish_grad(gg, x) if need[0] else None, gx)


def _hardswish_grad(g, x):
    return backward_op(HardswishBackwardBackward0, _hardswish_grad_array, g, (x,))


@rule
def HardswishBackward0(need, g, self):
    return (_hardswish_grad(g, self),)


@declare(method=False, function=False, nn=True)
def hardswish(input, inplace=False):
    """x * min(max(x + 3, 0), 6) / 6."""
    d = input._data
    out = iter_result(d * np.minimum(np.maximum(d + 3, 0), 6) / d.dtype.type(6), input)
    if needs_grad(input):
        record(out, HardswishBackward0, (input,), (save(input, "self"),))
    return out


@rule
def MishBackward0(need, g, self):
    # mish_backward: grad * (tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2))
    if _float32_arrays(g, self):
        return (AK.mish_backward_float32(g, self),)  # PyTorch's kernel's float32 steps
    t = P.tanh(P.log1p(P.exp(self)))
    return (g * (t + self * P.sigmoid(self) * scalar_minus(1.0, t * t)),)


@declare(method=False, function=False, nn=True)
def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    d = input._data
    v = AK.mish_float32(d) if d.dtype == np.float32 else d * np.tanh(np.log1p(np.exp(d)))
    out = iter_result(v.astype(d.dtype), input)
    if needs_grad(input):
        record(out, MishBackward0, (input,), (save(input, "self"),))
    return out


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@declare(method=False, function=lambda input: selu(input), nn=True)
def selu(input, inplace=False):
    """scale * elu(x, alpha) with PyTorch's constants: one EluBackward0 node with its scale,
    as PyTorch's."""
    return _elu(input, _SELU_ALPHA, _SELU_SCALE)


@declare(method=False, function=False, nn=True)
def softsign(input):
    """x / (|x| + 1), composed as PyTorch's Python function composes it."""
    return input / (input.abs() + 1)


@declare(method=False, function=False, nn=True)
def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along dim, as PyTorch composes it."""
    if dim is None:  # PyTorch's legacy choice, with its warning
        warnings.warn("Implicit dimension choice for softmin has been deprecated. Change the "
                      "call to include dim=X as an argument.", UserWarning, stacklevel=_stacklevel)
        if not isinstance(input, Tensor):
            raise errors.no_attribute(input, "dim")  # PyTorch's _get_softmax_dim
        dim = 0 if input.ndim in (0, 1, 3) else 1
    negated = -input
    if not isinstance(negated, Tensor):  # PyTorch's `(-input).softmax(dim)`
        raise errors.no_attribute(negated, "softmax")
    return softmax(negated if dtype is None else negated.to(dtype), dim)


@rule
def LogSigmoidBackward0(need, g, x):
    return (log_sigmoid_backward(g, x),)


def _log_sigmoid_grad_value(g, x):
    # PyTorch's kernel, with its buffer b = exp(-|x|): (x < 0 ? 1 - b / (1 + b) : b / (1 + b)) * g
    if _float32_arrays(g, x):
        return AK.logsigmoid_backward_float32(g, x)
    b = np.exp(-np.abs(x))
    q = b / (1 + b)
    return np.where(x < 0, 1 - q, q) * g


def log_sigmoid_backward(grad_output, x):
    """PyTorch's log_sigmoid_backward op (LogSigmoidBackwardBackward0 under create_graph)."""
    return backward_op(LogSigmoidBackwardBackward0, _log_sigmoid_grad_value, grad_output, (x,))


@rule
def LogSigmoidBackwardBackward0(need, grad, grad_output, self):
    grad_output, self = arrays_unless(grad, grad_output, self)
    gs = None
    if need[1]:  # PyTorch's log_sigmoid_double_backward(grad * grad_output, self)
        z = P.sigmoid(self)
        gs = grad * grad_output * sub_scalar(z, 1) * z
    return (log_sigmoid_backward(grad, self) if need[0] else None, gs)


@declare(method=False, function=False, nn=True)
def logsigmoid(input):
    """log(sigmoid(x)), computed stably."""
    d = input._data
    v = _log_sigmoid(d)
    out = contiguous_result(v.astype(d.dtype))  # as PyTorch's
    if needs_grad(input):
        record(out, LogSigmoidBackward0, (input,), (save(input, "self"),))
    return out


_ = save_out
