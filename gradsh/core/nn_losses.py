"""The margin, embedding and likelihood losses of torch.nn.functional.

Most are composites in PyTorch (ATen's Loss.cpp or functional.py): written here with the same
ops in the same order, so their graphs have PyTorch's nodes (`ClampMinBackward0`,
`WhereBackward0`, `MeanBackward0`...) and their values its rounding. soft_margin_loss,
multi_margin_loss and multilabel_margin_loss are ops of their own in PyTorch (their CPU kernels
and `SoftMarginLossBackward0`, `MultiMarginLossBackward0`, `MultilabelMarginLossBackward0`), and
are declared so here; PyTorch has no double backward for the last two (NotImplemented).
"""

import math

import numpy as np

from . import dtypes, errors, factories
from .grad_mode import no_grad
from .nn_functional import logsigmoid, pairwise_distance
from .ops import prim as P
from .ops import vml
from .ops.base import (backward_op, iter_result, make, needs_grad, record, rule, save,
                       save_index, torch_dtype)
from .ops.nn_ops import (legacy_reduction_name, loss_reduction, reduce_loss, reduction_name,
                          warn_legacy_reduction)
from .ops.pointwise import (NotImplementedBackward, add_scalar, scalar_minus, sub_scalar,
                             where)
from .ops.dtype_refusals import refuse_kernel
from .ops.registry import declare
from .tensor import TENSOR_TYPES, Tensor
from .meta import as_array

_REDUCTIONS = ("none", "mean", "sum")
_EPSILON_F32 = float(np.float32(1e-12))  # Loss.cpp's `constexpr float EPSILON`


def legacy_reduction(size_average, reduce, reduction="mean"):
    """The reduction named by the deprecated size_average / reduce arguments (when either is
    given, with PyTorch's deprecation warning), else `reduction`."""
    if size_average is None and reduce is None:
        return reduction
    reduction = legacy_reduction_name(size_average, reduce)
    warn_legacy_reduction(reduction, 5)
    return reduction


def _reduction(size_average, reduce, reduction):
    """_Reduction.get_enum's reading of the arguments (nn_ops.loss_reduction)."""
    return loss_reduction(size_average, reduce, reduction, 5)


def _apply_reduction(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


# ----- composites (Loss.cpp) ------------------------------------------------------------------
# torch.*_loss: ATen's order and int reduction (its parser's default is none)
@declare(method=False, nn=True, function=lambda input1, input2, target, margin=0.0, reduction=0:
         margin_ranking_loss(input1, input2, target, margin, reduction=reduction_name(reduction)))
def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, -target * (input1 - input2) + margin)."""
    reduction = _reduction(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    v = -target * (input1 - input2)
    # (integers plus the float margin: the default dtype, C++'s promotion)
    v = add_scalar(v, margin) if v.is_floating_point() else v + margin
    return _apply_reduction(v.clamp_min(0), reduction)


@declare(method=False, nn=True, function=lambda input, target, margin=1.0, reduction=0:
         hinge_embedding_loss(input, target, margin, reduction=reduction_name(reduction)))
def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """x where target is 1, max(0, margin - x) where it is -1 (both where it is neither)."""
    reduction = _reduction(size_average, reduce, reduction)
    zeros = factories.zeros_like(input)
    margin_clamp = scalar_minus(margin, input).clamp_min(0)
    output = where(target != 1, margin_clamp, zeros) + where(target != -1, input, zeros)
    return _apply_reduction(output, reduction)


@declare(method=False, nn=True, function=lambda input1, input2, target, margin=0.0, reduction=0:
         cosine_embedding_loss(input1, input2, target, margin,
                               reduction=reduction_name(reduction)))
def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
    reduction = _reduction(size_average, reduce, reduction)
    dim = target.dim()
    if dim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input1.dim() != dim + 1:
        raise RuntimeError(f"{dim}D target tensor expects {dim + 1}D input tensors, but found "
                           f"inputs with sizes {list(input1.shape)} and {list(input2.shape)}.")
    prod_sum = (input1 * input2).sum(dim)
    mag_square1 = add_scalar((input1 * input1).sum(dim), _EPSILON_F32)
    mag_square2 = add_scalar((input2 * input2).sum(dim), _EPSILON_F32)
    cos = prod_sum / (mag_square1 * mag_square2).sqrt()
    zeros = factories.zeros_like(cos)
    pos = scalar_minus(1, cos)
    neg = sub_scalar(cos, margin).clamp_min(0)
    output = where(target == 1, pos, zeros) + where(target == -1, neg, zeros)
    return _apply_reduction(output, reduction)


@declare(method=False, nn=True, function=lambda anchor, positive, negative, margin=1.0, p=2,
         eps=1e-6, swap=False, reduction=0: triplet_margin_loss(
             anchor, positive, negative, margin, p, eps, swap,
             reduction=reduction_name(reduction)))
def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), d the pairwise p-distance
    (swap: the smaller of d(a, n) and d(p, n))."""
    reduction = _reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if len(set(dims)) != 1:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have "
                           f"the same number of dimensions, but got: anchor {dims[0]}D, positive "
                           f"{dims[1]}D, and negative {dims[2]}D inputs")
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = dist_neg.minimum(pairwise_distance(positive, negative, p, eps))
    return _apply_reduction((add_scalar(dist_pos, margin) - dist_neg).clamp_min(0), reduction)


@declare(method=False, function=False, nn=True)
def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """triplet_margin_loss with any distance (default: pairwise_distance): functional.py's
    composition, `margin + d(a, p) - d(a, n)` clamped at 0, in its order."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    dims = (anchor.ndim, positive.ndim, negative.ndim)
    if len(set(dims)) != 1:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {dims[0]}D, positive "
                           f"{dims[1]}D, and negative {dims[2]}D inputs")
    distance = distance_function if distance_function is not None else pairwise_distance
    dist_pos = distance(anchor, positive)
    dist_neg = distance(anchor, negative)
    if swap:
        dist_neg = dist_neg.minimum(distance(positive, negative))
    loss = (margin + dist_pos - dist_neg).clamp_min(0)
    if reduction == "sum":
        return loss.sum()
    return loss.mean() if reduction == "mean" else loss


@declare(method=False, nn=True, function=lambda input, target, log_input, full, eps, reduction:
         poisson_nll_loss(input, target, log_input, full, eps=eps,
                          reduction=reduction_name(reduction)))
def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """exp(input) - target * input (log_input), else input - target * log(input + eps); full
    adds Stirling's approximation of log(target!) where target > 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in _REDUCTIONS:  # (its own check: no 'elementwise_mean')
        raise ValueError(f"{reduction} is not a valid value for reduction")
    for position, (name, value) in enumerate((("input", input), ("target", target)), 1):
        if not isinstance(value, Tensor):  # PyTorch's F calls its C torch.poisson_nll_loss
            raise TypeError("poisson_nll_loss(): argument '%s' (position %d) must be Tensor, "
                            "not %s" % (name, position, errors.type_name(value)))
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * add_scalar(input, eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _apply_reduction(loss, reduction)


# ----- composites (functional.py) -------------------------------------------------------------
@declare(method=False, function=False, nn=True)
def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 * (log(var) + (input - target) ** 2 / var), var clamped to eps (without a graph)."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * factories.ones_like(input)
    elif bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    if var.size() != input.size():
        if input.size()[:-1] == var.size():
            var = var.unsqueeze(-1)
        elif not (input.dim() == var.dim() and sum(
                y for x, y in zip(input.size(), var.size()) if x != y) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _apply_reduction(loss, reduction)


_NOT_LOG_SIGMOID = frozenset(("bool", "uint8", "int8", "int16", "int32", "int64", "complex64",
                              "complex128"))


@declare(method=False, function=False, nn=True)
def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """-(y log sigmoid(x) + (1 - y) log sigmoid(-x)), averaged over the classes."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    refuse_kernel("log_sigmoid_cpu", input._data, _NOT_LOG_SIGMOID)  # (torch.nn.functional's)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    return _apply_reduction(loss, reduction)


# ----- soft_margin_loss (an op of its own) -----------------------------------------------------
_log1p = vml.rounded_from_double(np.log1p)  # (PyTorch's float32 log1p: VML's, nearly exact)

def _not_differentiable(op, argument, t):
    if isinstance(t, Tensor) and t.requires_grad:
        raise RuntimeError(f"The function '{op}' is not differentiable with respect to argument "
                           f"'{argument}'. This input cannot have requires_grad True.")


def _soft_margin_grad_array(g, x, y, reduction):
    # soft_margin_loss_backward: grad_input = -norm * target * z / (1 + z) * grad, z =
    # exp(-target * input), in the kernel's order
    norm = 1.0 / x.size if reduction == "mean" else 1.0
    if y.dtype.kind in "biu":  # (an integer target takes the input's float type)
        y = y.astype(x.dtype)
    z = vml.exp(-y * x)
    return (y * z * x.dtype.type(-norm)) / (z + x.dtype.type(1)) * g


def soft_margin_loss_backward(grad_output, self, target, reduction):
    return backward_op(SoftMarginLossBackwardBackward0, _soft_margin_grad_array, grad_output,
                       (self, target), (reduction,))


@rule
def SoftMarginLossBackwardBackward0(need, gg, grad_output, self, target, reduction):
    # derivatives.yaml: grad_output: soft_margin_loss_double_backward_grad_output(grad, ...),
    # self: soft_margin_loss_double_backward(grad * grad_output, self, target, reduction)
    x, y = make(P.data(self)), make(P.data(target))
    norm = 1.0 / x.numel() if reduction == "mean" else 1.0
    z = (-y * x).exp()
    g_out = None
    if need[0]:
        d = (y * z * -norm) / (1 + z) * gg
        g_out = d.sum() if reduction != "none" else d
    g_self = (y * y * z / ((1 + z) * (1 + z)) * norm) * (gg * grad_output) if need[1] else None
    return (g_out, g_self, None)


@rule
def SoftMarginLossBackward0(need, g, self, target, reduction):
    return (soft_margin_loss_backward(g, self, target, reduction), None)


@declare(method=False, function=False, nn=True)
def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log1p(exp(-target * input))."""
    reduction = _reduction(size_average, reduce, reduction)
    _not_differentiable("soft_margin_loss", "target", target)
    x, y = input._data, target._data
    if x.dtype == np.bool_:  # (its neg, before the product's broadcast)
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    if x.shape != y.shape:
        try:
            x, y = np.broadcast_arrays(x, y)
        except ValueError:
            raise errors.broadcast_error(input._data.shape, target._data.shape) from None
    # PyTorch's out= chain in the input's dtype: neg(x), * y in the promoted type cast back
    # to x's (refused when that is a float for an integer x)
    if x.dtype.kind in "iu":  # (the product's type: a float or complex target's, else the default)
        made = (target.dtype if target.is_floating_point() or target.is_complex() else
                dtypes.get_default_dtype())
        raise RuntimeError(f"result type {made._short} can't be cast to the desired output "
                           f"type {input.dtype._short}")
    if y.dtype.kind in "biu":
        y = y.astype(x.dtype)
    v = _log1p(vml.exp((-x * y).astype(x.dtype)))
    out = iter_result(reduce_loss(v, reduction) if reduction != "none" else v, input)
    if needs_grad(input):
        record(out, SoftMarginLossBackward0, (input, target),
               (save(input, "self"), save(target, "target"), reduction))
    return out


# ----- multi_margin_loss and multilabel_margin_loss (ops of their own) -------------------------
# Their CPU kernels walk each row in order: the sums below are cumulative sums (numpy's cumsum
# adds in order), in the kernels' accumulation dtypes (a row's multi-margin terms in the input's
# dtype, the batch total and the multilabel terms in double).
_F64 = np.dtype(np.float64)


def _in_order(a, dtype=None):
    """Sums along the last axis, added one after another (in dtype)."""
    if a.shape[-1] == 0:
        return np.zeros(a.shape[:-1], dtype or a.dtype)
    return np.cumsum(a, axis=-1, dtype=dtype)[..., -1]


def _batch_total(rows, reduction, divisor, dtype):
    """The kernels' reduced output: the rows added in double, divided by divisor (and by
    the row count for a mean), written in the input's dtype."""
    total = _in_order(rows.astype(_F64)) / divisor
    if reduction == "mean":
        total = total / rows.size
    return as_array(total, dtype)


def _as_rows(input):
    """The input as (rows, classes) (a 0-d or 1-d input is one row)."""
    d = input._data
    return d.reshape(1, -1) if d.ndim <= 1 else d


def _check_margin_input(input):
    shape = input._data.shape
    if not (len(shape) == 0 or (len(shape) in (1, 2) and shape[-1] != 0)):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {list(shape)}")


def _check_multi_margin(input, target, weight):
    _check_margin_input(input)
    x = _as_rows(input)
    rows, classes = x.shape
    t = target._data
    if t.ndim > 1 or t.size != rows:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{rows}], but got "
            f"{list(t.shape)}. Input has shape {list(input._data.shape)}.")
    if weight is not None and weight._data.size != classes:
        raise RuntimeError(f"inconsistent weight size, expected {classes} but got "
                           f"{list(weight._data.shape)}")
    if weight is not None and weight._data.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {torch_dtype(x.dtype)._short} but found "
                           f"{torch_dtype(weight._data.dtype)._short}")
    if t.dtype != np.int64:
        raise RuntimeError(f"expected scalar type Long but found {torch_dtype(t.dtype)._short}")
    t = t.reshape(-1)
    if t.size and (t.min() < 0 or t.max() >= classes):
        raise RuntimeError("target out of range")
    return x, t


def _multi_margin_z(x, t, margin):
    """z[i, j] = margin - x[i, t_i] + x[i, j] in the input's dtype, and the mask of the
    terms that count (z > 0, j not the target)."""
    rows = np.arange(x.shape[0])
    z = (x.dtype.type(margin) - x[rows, t])[:, None] + x
    counts = z > 0
    counts[rows, t] = False
    return z, counts


def _multi_margin_grad_array(g, self, t, p, margin, w, reduction):
    x = self.reshape(1, -1) if self.ndim <= 1 else self
    rows, classes = x.shape
    z, counts = _multi_margin_z(x, t, margin)
    # (an empty batch: no element takes the step)
    step = x.dtype.type(1.0 / max(rows * classes, 1) if reduction == "mean" else
                        1.0 / max(classes, 1))
    h = np.where(counts, step if p == 1 else x.dtype.type(2) * step * z, 0).astype(x.dtype)
    if w is not None:
        h = np.where(counts, h * w[t][:, None], 0).astype(x.dtype)
    # (the kernel subtracts from 0: a row without active margins keeps +0 at its target)
    h[np.arange(rows), t] = x.dtype.type(0) - _in_order(h)
    return (h * _per_row(g, reduction, x.dtype)).reshape(self.shape)


def _per_row(g, reduction, dtype):
    """grad_output as a factor of each row: one number, or (rows, 1) for reduction='none'."""
    g = as_array(g, dtype)
    return g.reshape(-1, 1) if reduction == "none" and g.ndim else g.reshape(())


@rule
def MultiMarginLossBackward0(need, g, self, target, p, margin, weight, reduction):
    # (the target and weight saved as PyTorch saves them: tensors, as given)
    w = None if weight is None else P.data(weight).astype(P.data(self).dtype)
    value = _multi_margin_grad_array(P.data(g), P.data(self), P.data(target).reshape(-1), p,
                                     margin, w, reduction)
    return (_not_implemented_grad(g, value, "multi_margin_loss_backward", self),)


def _not_implemented_grad(g, value, op, *tensors):
    """A gradient PyTorch computes with a backward op that has no derivative: under
    create_graph its node is NotImplemented, whose backward raises."""
    if type(g) not in TENSOR_TYPES:
        return value
    out = make(value)
    differentiable = tuple(t for t in (g,) + tensors if needs_grad(t))
    if differentiable:
        record(out, NotImplementedBackward, differentiable, (op,))
    return out


@declare(method=False, function=False, nn=True)
def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """The multi-class hinge loss: sum over j != y of max(0, margin - x[y] + x[j]) ** p (times
    weight[y]), divided by the class count."""
    reduction = _reduction(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    _not_differentiable("multi_margin_loss", "weight", weight)
    x, t = _check_multi_margin(input, target, weight)
    if x.size:  # (PyTorch's kernel, after the checks, and not run for an empty batch)
        refuse_kernel("multi_margin_loss_cpu_kernel", x)
    dt = x.dtype
    w = None if weight is None else weight._data.astype(dt)
    z, counts = _multi_margin_z(x, t, margin)
    h = np.where(counts, z if p == 1 else z * z, 0).astype(dt)
    if w is not None:
        h = np.where(counts, h * w[t][:, None], 0).astype(dt)
    rows = _in_order(h) / dt.type(x.shape[1])
    if reduction == "none":
        v = rows if target.dim() > 0 else rows.reshape(())
    else:
        v = _batch_total(rows, reduction, 1, dt)
    out = make(as_array(v, dt))
    if needs_grad(input):
        record(out, MultiMarginLossBackward0, (input,),
               (save(input, "self"), save_index(target), p, margin,
                None if weight is None else save_index(weight), reduction))
    return out


def _multilabel_z(x, t):
    """z[i, k, j] = 1 - x[i, t_ik] + x[i, j] and the mask of the terms that count: k a listed
    target (before the first -1), j not a target class of the row, z > 0."""
    rows, classes = x.shape
    listed = np.cumprod(t >= 0, axis=1).astype(bool)
    is_target = np.zeros((rows, classes), bool)
    r, k = np.nonzero(listed)
    is_target[r, t[r, k]] = True
    picked = np.take_along_axis(x, np.where(listed, t, 0), axis=1)
    z = (x.dtype.type(1) - picked)[:, :, None] + x[:, None, :]
    counts = listed[:, :, None] & ~is_target[:, None, :] & (z > 0)
    return z, counts, is_target


def _check_multilabel(input, target):
    _check_margin_input(input)
    x, t = input._data, target._data
    if (x.ndim <= 1 and (t.ndim > 1 or t.size != max(x.size, 1))) or (
            x.ndim == 2 and t.shape != x.shape):
        raise RuntimeError(f"inconsistent target size: {list(t.shape)} for input of size: "
                           f"{list(x.shape)}")
    classes = _as_rows(input).shape[1]
    if t.size and (t.min() < -1 or t.max() >= classes):
        raise RuntimeError("argument #2 'target' is out of range")


def _multilabel_grad_array(g, self, t, reduction):
    x = self.reshape(1, -1) if self.ndim <= 1 else self
    rows, classes = x.shape
    _, counts, _ = _multilabel_z(x, t)
    # (an empty batch: no element takes the step)
    step = x.dtype.type(1.0 / max(rows * classes, 1) if reduction == "mean" else
                        1.0 / max(classes, 1))
    # the kernel adds step to grad[j] and takes it from grad[t_ik] once per counted term:
    # k additions of step in order, looked up by k
    plus = counts.sum(axis=1)
    minus = np.zeros((rows, classes), np.int64)
    r, k = np.nonzero(counts.any(axis=2))
    np.add.at(minus, (r, t[r, k]), counts.sum(axis=2)[r, k])
    most = int(max(plus.max(initial=0), minus.max(initial=0)))
    multiples = np.concatenate([[0], np.cumsum(np.full(most, step, x.dtype))]).astype(x.dtype)
    grad = multiples[plus] - multiples[minus]
    return (grad * _per_row(g, reduction, x.dtype)).reshape(self.shape)


@rule
def MultilabelMarginLossBackward0(need, g, self, target, reduction, is_target):
    x = P.data(self)
    rows = x.reshape(1, -1).shape if x.ndim <= 1 else x.shape
    value = _multilabel_grad_array(P.data(g), x, P.data(target).reshape(rows), reduction)
    return (_not_implemented_grad(g, value, "multilabel_margin_loss_backward", self),)


def _is_target(t):
    """multilabel_margin_loss's is_target (PyTorch's second forward output), rows of t: 1 at
    each class a row lists (its targets before the first -1)."""
    out = np.zeros(t.shape)
    listed = np.cumprod(t >= 0, axis=1).astype(bool)
    out[np.nonzero(listed)[0], t[listed]] = 1
    return out


@declare(method=False, function=False, nn=True)
def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Sum over the listed targets k (up to the first -1) and the non-target classes j of
    max(0, 1 - (x[k] - x[j])), divided by the class count."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_multilabel(input, target)
    if target._data.dtype != np.int64:  # (PyTorch's kernel reads int64 targets only)
        raise RuntimeError(f"expected scalar type Long but found {target.dtype._short}")
    if input._data.size:  # (PyTorch's kernel, after the checks, and not run for an empty batch)
        refuse_kernel("multilabel_margin_loss_forward_out_frame", input._data)
    x = _as_rows(input)
    dt = x.dtype
    t = target._data.reshape(x.shape).astype(np.int64)
    z, counts, _ = _multilabel_z(x, t)
    terms = np.where(counts, z, 0).astype(dt).reshape(x.shape[0], -1 if x.shape[0] else 0)
    rows = _in_order(terms, _F64).astype(dt)  # each row's sum in double, returned as scalar_t
    if reduction == "none" and target.dim() > 1:
        v = rows / dt.type(x.shape[1])
    else:
        v = _batch_total(rows, "mean" if reduction == "mean" else "sum", x.shape[1], dt)
    out = make(as_array(v, dt))
    if needs_grad(input):
        # (PyTorch's node saves self, the target and its is_target mask: a pack hook sees all
        # three; the mask is what gradsh's rule recomputes)
        record(out, MultilabelMarginLossBackward0, (input,),
               (save(input, "self"), save_index(target), reduction,
                save_index(_is_target(t).reshape(target._data.shape).astype(dt))))
    return out
