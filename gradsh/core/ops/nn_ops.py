"""The ops nn layers need beyond nn_functional: embedding, layer_norm, batch_norm, smooth_l1 and
huber losses, each with PyTorch's node and a rule written with the library's own ops (so
create_graph=True records the backward pass and gives second derivatives).

A rule receives arrays on the plain backward pass and tensors under create_graph; the helpers
below (`_mean`, `_sum`) take either, as the ones in prim do.
"""


import math

import numpy as np

from .. import autocast as _amp
from .. import errors, grad_mode
from ..fma import _fma32, _fma64
from ..layout import dense_channels_last, in_channels_last
from ..sparse import sparse_array
from . import prim as P
from .base import (arrays_unless, backward_op, iter_result, make, needs_grad, promote, record,
                   rule, save, save_index, torch_dtype)
from .base import contiguous_result as result  # contiguous, but for the pointwise losses
from .base import format_result
from .composite import composite_backward
from .pointwise import abs as abs_, div_scalar, sub
from .reduce import mean, sum as sum_
from .stacking import broadcast_tensors
from .dtype_refusals import refuse_kernel
from .registry import declare
from .rowwise_moments import layer_norm_backward_rows, layer_norm_rows
from .special_ops import xlogy
from .summation import ordered_sum
from ..tensor import _CNAMES, TENSOR_TYPES, Tensor
from ..meta import MetaArray, as_array, check_devices, meta_like


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
    if not any(type(a) in TENSOR_TYPES for a in (i1, i2, i3)):
        return np.einsum(equation, i1, i2, i3)
    i1, i2, i3 = (a if type(a) in TENSOR_TYPES else make(as_array(a)) for a in (i1, i2, i3))
    out = result(np.einsum(equation, i1._data, i2._data, i3._data))
    if needs_grad(i1, i2, i3):
        record(out, TrilinearBackward0, (i1, i2, i3),
               (save(i1, "i1"), save(i2, "i2"), save(i3, "i3"), equation))
    return out


def _check_bilinear(input1, input2, weight, bias):
    """PyTorch's refusals, in its order: dtypes, ranks, batch sizes, then each size against
    the weight's (out, in1, in2)."""
    named = [("input1", input1), ("input2", input2), ("weight", weight)]
    named += [("bias", bias)] if bias is not None else []
    if len({t.dtype for _, t in named}) > 1:
        raise RuntimeError("All tensors must have the same dtype, got " + ", ".join(
            f"{name}: {_CNAMES[str(t.dtype)[6:]]}" for name, t in named))
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for i in range(input1.dim() - 1):
        if input1.size(i) != input2.size(i):
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: "
                               f"got {input1.size(i)} and {input2.size(i)}")
    for k, (name, t) in enumerate(named[:2], 1):
        if t.size(-1) != weight.size(k):
            raise RuntimeError(f"bilinear(): {name} size does not match weight size: got "
                               f"{t.size(-1)} but expected {weight.size(k)}")
    if bias is not None and bias.size(0) != weight.size(0):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.size(0)} but expected {weight.size(0)}")


@declare(method=False, nn=True)
def bilinear(input1, input2, weight, bias=None):
    """x1^T A x2 + b over the last dim, A of shape (out, in1, in2)."""
    check_devices(input1, bias)  # (PyTorch checks input1 against bias only)
    _check_bilinear(input1, input2, weight, bias)
    lead = tuple(input1.shape[:-1])
    x1 = input1.reshape(-1, input1.shape[-1])
    x2 = input2.reshape(-1, input2.shape[-1])
    out = trilinear(x1, weight, x2, "bi,oij,bj->bo").view(*lead, weight.shape[0])
    return out + bias if bias is not None else out


# ----- embedding ------------------------------------------------------------------------------
@rule
def EmbeddingBackward0(need, g, shape, indices, padding_idx, scale_grad_by_freq=False,
                       sparse=False):
    if sparse:  # one row of values per index (the padding index's left out), not summed
        return (_embedding_sparse_grad(g, P.data(indices), shape, padding_idx,
                                       scale_grad_by_freq),)
    # PyTorch's embedding_dense_backward: an op of its own under create_graph
    return (backward_op(EmbeddingDenseBackwardBackward0, _embedding_dense_grad, g, (),
                        (P.data(indices), tuple(shape), padding_idx, scale_grad_by_freq)),)


def _row_weights(g, idx, shape, padding_idx, scale_grad_by_freq):
    """g (one row per index) with the padding index's rows zeroed and, with
    scale_grad_by_freq, each row divided by how often its index occurs."""
    if padding_idx is not None and padding_idx >= 0:
        g = P.masked(g, (idx != padding_idx)[..., None])
    if scale_grad_by_freq:
        counts = np.bincount(idx.reshape(-1), minlength=shape[0])
        g = g / make(counts[idx][..., None].astype(P.data(g).dtype))
    return g


def _embedding_sparse_grad(g, idx, shape, padding_idx, scale_grad_by_freq):
    """The weight's sparse gradient (sparse=True): g's rows at the indices, uncoalesced."""
    if isinstance(g, Tensor):
        raise NotImplementedError("gradsh cannot record the backward pass of a sparse op "
                                  "(create_graph=True through a sparse tensor)")
    rows = idx.reshape(-1)
    if scale_grad_by_freq:
        g = g / np.bincount(rows, minlength=shape[0])[idx][..., None].astype(g.dtype)
    values = g.reshape(rows.size, shape[1])
    if padding_idx is not None and padding_idx >= 0:
        keep = rows != padding_idx
        rows, values = rows[keep], values[keep]
    # (values as the reshape gives them: an expanded gradient stays expanded, as PyTorch's
    # values, and decides how a later sparse add combines them: core/sparse.py's merged)
    return sparse_array(rows.astype(np.int64).reshape(1, -1), values, shape)


def _embedding_dense_grad(g, idx, shape, padding_idx, scale_grad_by_freq):
    """The weight's gradient (arrays): g's rows added into the rows the indices picked."""
    g = _row_weights(g, idx, shape, padding_idx, scale_grad_by_freq)
    rows = idx.reshape(-1)
    return P.scatter_into(shape, (rows,), P.reshape(g, (rows.size, shape[1])))


@rule
def EmbeddingDenseBackwardBackward0(need, grad, grad_output, idx, shape, padding_idx,
                                    scale_grad_by_freq):
    # linear in grad_output: the transpose picks grad's rows back (an embedding of grad), the
    # padding index's rows zeroed; PyTorch's double backward leaves scale_grad_by_freq's
    # division out (not the transpose then, but PyTorch's numbers)
    rows = embedding(make(idx), grad) if isinstance(grad, Tensor) else grad[idx]
    return (_row_weights(rows, idx, shape, padding_idx, False), None)


def _torch_embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """torch.embedding: ATen's argument order; a negative padding_idx means none."""
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    return embedding(indices, weight, padding_idx if padding_idx >= 0 else None, None, 2.0,
                     scale_grad_by_freq, sparse)


@declare(method=False, function=_torch_embedding, nn=True)
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of weight picked by the integer tensor input."""
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    idx = input._data
    if idx.dtype not in (np.int64, np.int32):  # (uint8, int16, int8 too: PyTorch's check)
        raise errors.indices_dtype(input.dtype, "embedding")
    n = weight._data.shape[0]
    if padding_idx is not None and not -n <= padding_idx < max(n, 1):
        # F.embedding's own check, in Python before the call (whatever the int's size)
        raise errors.TorchAssertionError("Padding_idx must be within num_embeddings")
    if max_norm is not None:  # first: its row selection wraps negative indices
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    if idx.size and (idx.min() < 0 or idx.max() >= n):  # (no wrapping of negative indices)
        raise IndexError("index out of range in self")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += n
    out = result(weight._data[idx])
    if needs_grad(weight):
        record(out, EmbeddingBackward0, (weight,),
               (weight._data.shape, save_index(input, "indices"), padding_idx, scale_grad_by_freq,
                bool(sparse)))
    return out


def _embedding_renorm_(weight, idx, max_norm, norm_type):
    """PyTorch's embedding_renorm_: in place and without history, each row the indices pick
    whose norm exceeds max_norm is scaled to max_norm / (norm + 1e-7) of itself (one in-place
    op: the other rows are multiplied by 1)."""
    scales = np.ones((weight._data.shape[0], 1), dtype=weight._data.dtype)
    n = weight._data.shape[0]
    with grad_mode.no_grad():
        for i in np.unique(idx):  # ascending: the first index outside the table is named
            if not -n <= i < n:
                raise IndexError(f"select(): index {i} out of range for tensor of size "
                                 f"{list(weight._data.shape)} at dimension 0")
            norm = weight[int(i)].norm(norm_type).item()
            if norm > max_norm:
                scales[i] = max_norm / (norm + 1e-7)
        weight.mul_(make(scales))  # in place even when no row changes (its version moves)


# ----- layer_norm -----------------------------------------------------------------------------
def _normalized(x, dims, eps):
    mu = _mean(x, dims)
    xc = x - mu
    return xc * _rsqrt(_mean(xc * xc, dims) + eps)


def _layer_norm_grads(need, g, x, weight, dims, eps):
    if type(x) is np.ndarray and x.dtype.kind == "V":  # bfloat16: in float32, rounded once
        wide = [a if a is None else as_array(a, np.float32) for a in (g, x, weight)]
        return tuple(r if r is None else r.astype(x.dtype)
                     for r in _layer_norm_grads(need, *wide, dims, eps))
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
def NativeLayerNormBackward0(need, g, input, weight, bias, dims, eps, normalized_shape):
    # (bias and normalized_shape are saved as PyTorch's node saves them: not needed here)
    if (type(g) not in TENSOR_TYPES and g.dtype == np.float32 and input.dtype == np.float32
            and input.size):
        gx, gw, gb = layer_norm_backward_rows(need, g, input, weight,
                                              math.prod(normalized_shape), eps)
        return (gx, *(None if r is None else r.reshape(normalized_shape) for r in (gw, gb)))
    if (type(g) not in TENSOR_TYPES and g.dtype == np.float64 and input.dtype == np.float64
            and need[0]):
        gx = _layer_norm_input_grad64(g, input, weight, math.prod(normalized_shape), eps)
        _, gw, gb = native_layer_norm_backward((False,) + tuple(need[1:]), g, input, weight,
                                               dims, eps)
        return (gx, gw, gb)
    return native_layer_norm_backward(need, g, input, weight, dims, eps)


def _layer_norm_input_grad64(g, x, weight, size, eps):
    """float64 layer_norm's input gradient arranged as PyTorch's CPU kernel arranges it (the
    float32 kernel's form, rowwise_moments.layer_norm_backward_rows, without its summation
    order): ds = sum(x * g * w), db = sum(g * w), b = (db * mean - ds) * rstd**3 / N,
    c = -b * mean - db * rstd / N, dx = rstd * g * w + b * x + c. Where g * w is the same along
    a row (y.sum().backward()), b is 0 and dx exactly 0 as PyTorch's, where the textbook form
    leaves rounding noise."""
    shape = x.shape
    x = x.reshape(-1, size)
    gw = g.reshape(-1, size) if weight is None else g.reshape(-1, size) * weight.reshape(size)
    mean = x.mean(1, keepdims=True)
    rstd = 1 / np.sqrt(((x - mean) ** 2).mean(1, keepdims=True) + eps)
    ds = (x * gw).sum(1, keepdims=True)
    db = gw.sum(1, keepdims=True)
    b = (db * mean - ds) * rstd * rstd * rstd / size
    c = -b * mean - db * rstd / size
    return (rstd * gw + b * x + c).reshape(shape)


def _torch_layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5,
                      cudnn_enable=True):
    return layer_norm(input, normalized_shape, weight, bias, eps)


@declare(method=False, function=_torch_layer_norm, nn=True)
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x - mean) / sqrt(var + eps) over the last len(normalized_shape) dims, then * w + b."""
    check_devices(input, weight, bias)
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    k = len(normalized_shape)
    x = input._data
    check_mixed_dtypes(input, (weight, bias))  # (before the shape checks, as PyTorch's)
    if tuple(x.shape[x.ndim - k:]) != tuple(normalized_shape) or x.ndim < k:
        raise RuntimeError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
            f"{list(x.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != tuple(normalized_shape):
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(normalized_shape)}")
    refuse_kernel("LayerNormKernelImpl", x)  # (after the shape checks, as PyTorch's)
    dims = tuple(range(x.ndim - k, x.ndim))
    extra = (save(bias, "bias") if bias is not None else None, dims, eps, tuple(normalized_shape))
    if x.dtype == np.float32 and x.size and type(x) is not MetaArray:  # PyTorch's kernel
        # order, its affine step included (a meta input takes the formula: no data)
        out = layer_norm_rows(x, math.prod(normalized_shape), eps,
                              *(None if t is None else t._data for t in (weight, bias)))
        return affine_result(input, out, weight, bias, tuple(normalized_shape),
                             NativeLayerNormBackward0, extra, applied=True)
    if x.dtype.kind == "V":  # bfloat16: in float32, rounded once (affine_result rounds)
        x = x.astype(np.float32)
    return affine_result(input, _normalized(x, dims, eps), weight, bias, tuple(normalized_shape),
                         NativeLayerNormBackward0, extra)


def affine_result(input, out, weight, bias, param_shape, node, extra, follow=False,
                  applied=False):
    """The normalized array `out` * weight + bias (viewed as param_shape; `applied`: out has
    them already), in input's dtype, recorded as `node` over (input, weight, bias), saving
    input, weight and `extra`; with follow, in input's suggested memory format (group_norm's
    channels-last)."""
    if weight is not None and not applied:
        out = out * weight._data.reshape(param_shape)
    if bias is not None and not applied:
        out = out + bias._data.reshape(param_shape)
    out = out.astype(input._data.dtype)
    out = format_result(out, input._data, volumes=True) if follow else result(out)
    if needs_grad(input, weight, bias):
        record(out, node, (input, weight, bias),
               (save(input, "input"), save(weight, "weight") if weight is not None else None)
               + tuple(extra))
    return out


# ----- batch_norm -----------------------------------------------------------------------------
def _channel_shape(x, c):
    return (1, c) + (1,) * (len(x.shape) - 2)


def _batch_norm_grads(need, g, x, weight, mean, invstd, training, eps):
    """The gradients as math with the library's ops (what create_graph records)."""
    xd = P.data(x)
    dims = (0,) + tuple(range(2, xd.ndim))
    cs = _channel_shape(xd, xd.shape[1])
    w = P.reshape(weight, cs) if weight is not None else None
    if training:
        xhat = _normalized(x, dims, eps)
        rstd = _rsqrt(_mean((x - _mean(x, dims)) ** 2, dims) + eps)
    else:  # running statistics are constants
        rstd = invstd.reshape(cs)
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
def NativeBatchNormBackward0(need, g, input, weight, mean, invstd, training, eps):
    if type(g) not in TENSOR_TYPES and g.dtype in _LANES and g.dtype == input.dtype:
        return batch_norm_backward_arrays(need, g, input, weight, mean, invstd, training)
    return native_batch_norm_backward(need, g, input, weight, mean, invstd, training, eps)


# ----- batch_norm's first-order gradient in PyTorch's kernel order (arrays) --------------------
# batch_norm_cpu_backward (batch_norm_kernel.cpp), x86-64 AVX2: per channel the sum of the
# gradient and the dot product of (x - mean) and it, each plane (sample) reduced in vectors of
# L lanes into a double; then per element dx = ((dy - sum / N) - (x - mean) * k) * invstd * w
# with k = dot * invstd * invstd / N, the compiler fusing what is marked below. The (N, C) input
# is its channels-last kernel: rows added into a buffer row one after another (one thread).
_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def _fma_of(dtype):
    return _fma32 if dtype == np.float32 else _fma64


def _lanes_added(acc):
    """vec_reduce_all of full vectors: float32's AVX2 tree (lane i with i ^ 4, ^ 2, ^ 1);
    float64's lanes added one by one into lane 0."""
    if acc.shape[1] == 8:
        for partner in ([4, 5, 6, 7, 0, 1, 2, 3], [2, 3, 0, 1, 6, 7, 4, 5],
                        [1, 0, 3, 2, 5, 4, 7, 6]):
            acc = acc + acc[:, partner]
        return acc[:, 0]
    out = acc[:, 0]
    for i in range(1, acc.shape[1]):
        out = out + acc[:, i]
    return out


def _vector_sums(a, b=None):
    """Each row's reduce_all (b None) or map2_reduce_all of a * b: vectors of L lanes added
    (products unfused), the tail's products fused into the first lanes, then the lanes added;
    rows shorter than L added one by one."""
    dt = a.dtype
    lanes = _LANES[dt]
    vals = a if b is None else a * b
    n = a.shape[1]
    if n < lanes:
        out = vals[:, 0]
        for i in range(1, n):
            out = out + vals[:, i]
        return out
    body = n - n % lanes
    acc = vals[:, :lanes]
    for d in range(lanes, body, lanes):
        acc = acc + vals[:, d:d + lanes]
    if body < n:
        t = n - body
        acc = acc.copy()
        acc[:, :t] = acc[:, :t] + a[:, body:] if b is None else \
            _fma_of(dt)(a[:, body:], b[:, body:], acc[:, :t])
    return _lanes_added(acc)


def _plane_totals(planes, b=None):
    """Per channel: each sample's plane reduced in the dtype, those added in double."""
    n, c, size = planes.shape
    sums = _vector_sums(planes.reshape(n * c, size), None if b is None else b.reshape(n * c, size))
    return np.cumsum(sums.reshape(n, c).astype(np.float64), axis=0)[-1]


def _channels_last_totals(g, xm):
    """The (N, C) kernel on one thread: rows of g, and fma((x - mean), g, dot), added into
    buffer rows one after another."""
    fma = _fma_of(g.dtype)
    total, dot = np.zeros(g.shape[1], g.dtype), np.zeros(g.shape[1], g.dtype)
    for gr, xr in zip(g, xm):
        total = total + gr
        dot = fma(xr, gr, dot)
    return total.astype(np.float64), dot.astype(np.float64)


def batch_norm_backward_arrays(need, g, x, weight, mean, invstd, training):
    """batch_norm's gradients for (input, weight, bias) as PyTorch's CPU kernel computes them."""
    dt = x.dtype
    t = dt.type
    n, c = x.shape[:2]
    count = x.size // c
    planes_x = np.ascontiguousarray(x).reshape(n, c, -1)
    planes_g = np.ascontiguousarray(g).reshape(n, c, -1)
    xm = planes_x - mean.astype(dt)[None, :, None]
    channels_last = planes_x.shape[2] == 1
    if channels_last:
        total, dot = _channels_last_totals(planes_g[:, :, 0], xm[:, :, 0])
    else:
        total, dot = _plane_totals(planes_g), _plane_totals(xm, planes_g)
    w = weight.astype(dt) if weight is not None else np.ones(c, dt)
    gx = None
    if need[0]:
        shape = (1, c, 1)
        if training:
            k = (dot.astype(dt) * invstd * invstd / t(count)).astype(dt)
            centred = planes_g - (total / count).astype(dt)[None, :, None]
            gx = _fma_of(dt)(-xm, k[None, :, None], centred)
            if channels_last:  # its tail columns (C % L) are not fused
                tail = c - c % _LANES[dt]
                gx[:, tail:] = centred[:, tail:] - xm[:, tail:] * k[None, tail:, None]
            gx = gx.astype(dt) * invstd.reshape(shape) * w.reshape(shape)
        else:
            gx = planes_g * invstd.reshape(shape) * w.reshape(shape)
        gx = gx.astype(dt).reshape(x.shape)
    gw = (dot * invstd).astype(dt) if need[1] else None
    gb = total.astype(dt) if need[2] else None
    return (gx, gw, gb)


def _sequential_sum(rows):
    """Each row's elements added one by one in double, from 0 (numpy's cumsum is sequential;
    PyTorch's batch_norm_cpu_collect_stats_contiguous_impl, one channel per row)."""
    return np.cumsum(rows.astype(np.float64), axis=1)[:, -1] if rows.shape[1] else \
        np.zeros(rows.shape[0])


def _batch_stats(x):
    """PyTorch's batch_norm_cpu_collect_stats: per channel the mean (in the dtype) and the sum
    of the squares of (x - mean). Returns (mean, var_sum) in x's dtype."""
    c = x.shape[1]
    if x.size == x.shape[0] * c:  # (N, C) or N x C x 1 x 1: its channels-last kernel
        return _batch_stats_channels_last(x.reshape(x.shape[0], c))
    rows = np.ascontiguousarray(np.moveaxis(x.reshape(x.shape[0], c, -1), 1, 0)).reshape(c, -1)
    mean = (_sequential_sum(rows) / rows.shape[1]).astype(x.dtype)
    d = rows - mean[:, None]
    return mean, _sequential_sum(d * d).astype(x.dtype)


def _batch_stats_channels_last(x):
    """The channels-last kernel on one thread: rows (samples) added into a buffer row in the
    dtype, one after another, the buffer made a double and divided by N; then the squares of
    (x - mean) added into the buffer the same way, fused (fma(d, d, buffer))."""
    n = x.shape[0]
    mean = (np.add.reduce(x, axis=0).astype(np.float64) / n).astype(x.dtype)
    fma = _fma32 if x.dtype == np.float32 else _fma64
    acc = np.zeros_like(mean)
    for row in x - mean:
        acc = fma(row, row, acc)
    return mean, acc


def _update_running(running, value, momentum):
    """running = momentum * value + (1 - momentum) * running, as PyTorch's kernel (momentum in
    the running statistic's dtype; `value` may be a double)."""
    m = running._data.dtype.type(momentum)
    running._data[...] = (m * value + (1 - m) * running._data).astype(running._data.dtype)
    running._vc[0] += 1


def _batch_norm_train_stats(x, running_mean, running_var, momentum, eps):
    """(mean, invstd) of each channel of x in training, updating the running statistics."""
    mean, var_sum = _batch_stats(x)
    n = x.size // x.shape[1]
    invstd = (1 / np.sqrt((var_sum / x.dtype.type(n)).astype(np.float64) + eps)).astype(x.dtype)
    if running_mean is not None:
        _update_running(running_mean, mean, momentum)
    if running_var is not None:
        _update_running(running_var, (var_sum / x.dtype.type(n - 1)).astype(np.float64),
                        momentum)
    return mean, invstd


def _batch_norm_transform(x, mean, invstd, weight, bias):
    """x * alpha + beta per channel, alpha = invstd * weight, beta = bias - mean * alpha (in the
    dtype, as batch_norm_cpu_collect_linear_and_constant_terms)."""
    fma = _fma32 if x.dtype == np.float32 else _fma64  # the compiler fuses a * b + c
    alpha = (invstd * weight._data if weight is not None else invstd).astype(x.dtype)
    beta = fma(-mean, alpha, bias._data if bias is not None else np.zeros_like(alpha))
    cs = _channel_shape(x, x.shape[1])
    return fma(x, alpha.reshape(cs), beta.astype(x.dtype).reshape(cs))


def _torch_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
                      cudnn_enabled):
    """torch.batch_norm: ATen's argument order, every argument required."""
    return batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


@declare(method=False, function=_torch_batch_norm, nn=True)
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalize each channel (dim 1) by the batch statistics (training) or the running ones,
    updating the running statistics in training as PyTorch does (unbiased variance)."""
    check_devices(input, running_mean, running_var, weight, bias)
    x = input._data
    if x.ndim < 2:
        raise ValueError(f"expected 2D or 3D input (got {x.ndim}D input)")
    c = x.shape[1]
    _check_channel_params(c, running_mean, running_var, weight, bias, training)
    if training and x.size // c <= 1:
        raise ValueError("Expected more than 1 value per channel when training, got input "
                         f"size {input.shape}")
    check_mixed_dtypes(input, (weight, bias, running_mean, running_var),
                       (running_mean, running_var, weight, bias))
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps):
    """batch_norm past its checks (instance_norm's repeated running statistics come here: its
    dtype rule reads only the weight and bias)."""
    x = input._data
    if training:
        mean, invstd = _batch_norm_train_stats(x, running_mean, running_var, momentum, eps)
        saved_mean, saved_invstd = mean, invstd
    else:
        mean, var = running_mean._data, running_var._data
        invstd = 1 / np.sqrt(var + var.dtype.type(eps))
        # the backward's invstd: eps added in double there
        saved_mean = mean.copy()
        saved_invstd = (1 / np.sqrt(var.astype(np.float64) + eps)).astype(var.dtype)
    out = _batch_norm_transform(x, mean, invstd, weight, bias).astype(x.dtype)
    if type(x) is MetaArray:  # (computed on the stand-in: only its shape and dtype are true)
        out = meta_like(x)
    # channels-last when x is so and not also contiguous (ATen's batch_norm test is stricter
    # than suggest_memory_format: a one-channel image stays contiguous, 1C1W goes channels-last)
    cl = dense_channels_last(x) and not x.flags.c_contiguous
    out = make(in_channels_last(out)) if cl else result(out)
    if needs_grad(input, weight, bias):
        record(out, NativeBatchNormBackward0, (input, weight, bias),
               (save(input, "input"), save(weight, "weight") if weight is not None else None,
                saved_mean, saved_invstd, training, eps))
    return out


def check_mixed_dtypes(input, params, scan=None):
    """PyTorch's CPU normalization kernels' dtype rule (layer, group, batch and instance norm;
    recorded from 2.13 over float16/bfloat16/float32/float64 inputs and parameters): when the
    first given parameter has the input's dtype every other must have it too ("expected scalar
    type"); otherwise the parameters must all be float32 and the input float16 or bfloat16 (the
    mixed-precision kernels), else "mixed dtype (CPU)". `scan`: the order in which the first
    case names a parameter of another dtype, where it is not `params`' (batch_norm's)."""
    given = [t for t in params if t is not None]
    if not given:
        return
    x = input._data.dtype
    if given[0]._data.dtype == x:
        for t in (given if scan is None else [t for t in scan if t is not None]):
            if t._data.dtype != x:
                raise RuntimeError(f"expected scalar type {input.dtype._short} but found "
                                   f"{t.dtype._short}")
        return
    if any(t._data.dtype != np.float32 for t in given):
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    if not (x == np.float16 or x.kind == "V"):  # (kind V: bfloat16)
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _check_channel_params(c, running_mean, running_var, weight, bias, training):
    """PyTorch's checks of the per-channel tensors, in its order: each running statistic is
    required in evaluation and has the input's channel count where given (in training too),
    then weight and bias; in training one running statistic without the other is refused last."""
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is None and not training:
            raise RuntimeError(f"{name} must be defined in evaluation mode")
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")


def reduction_name(reduction):
    """The name of ATen's reduction enum that torch.* losses take as an int (torch.kl_div(x, y,
    1)): 1 mean, 2 sum, anything else unreduced, as at::apply_loss_reduction reads it."""
    return {1: "mean", 2: "sum"}.get(errors.long(reduction), "none")


def loss_arrays(input, target, kernel, into_input=False):
    """The broadcast operands of a pointwise loss kernel in PyTorch's computation dtype: the
    promoted one (an integer input with a float target computes in the float), refused as
    PyTorch refuses it: no integer kernel (NotImplementedError naming `kernel`), and, for a
    kernel writing into the input's dtype (into_input: huber), a float result that cannot be
    cast into an integer input."""
    try:  # (the broadcast first: PyTorch's TensorIterator, before its kernel's dtype)
        a, b = np.broadcast_arrays(input._data, target._data)
    except ValueError:
        raise errors.broadcast_error(input._data.shape, target._data.shape) from None
    dt = promote(input, target)
    if into_input and dt.kind in "fcV" and input._data.dtype.kind not in "fcV":
        raise RuntimeError(f"result type {torch_dtype(dt)._short} can't be cast to the desired "
                           f"output type {input.dtype._short}")
    if dt.kind not in "fV":  # (mse, huber and smooth_l1 have no complex kernels either)
        raise NotImplementedError(f'"{kernel}" not implemented for \'{torch_dtype(dt)._short}\'')
    return a.astype(dt, copy=False), b.astype(dt, copy=False)


def legacy_reduction_name(size_average, reduce):
    """The reduction the deprecated size_average / reduce flags name (an unset one counts as
    True), as torch.nn._reduction.legacy_get_string reads them."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "mean" if size_average and reduce else "sum" if reduce else "none"


def warn_legacy_reduction(reduction, stacklevel):
    errors.warn("size_average and reduce args will be deprecated, please use "
                f"reduction='{reduction}' instead.", stacklevel=stacklevel + 1)


def loss_reduction(size_average, reduce, reduction, stacklevel=3):
    """The reduction a torch.nn.functional loss uses, as PyTorch's _Reduction reads its
    arguments: the deprecated size_average / reduce flags, when either is given, win over
    `reduction` (with PyTorch's deprecation warning); 'elementwise_mean' is the old name of
    'mean' (a warning too); any other name is a ValueError. stacklevel: the caller's caller
    (4 through the argument-checking wrapper of a declared op)."""
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction_name(size_average, reduce)
        warn_legacy_reduction(reduction, stacklevel)
        return reduction
    if reduction == "elementwise_mean":
        errors.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                    "instead.", stacklevel=stacklevel)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


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
    return as_array(total / v.dtype.type(v.size) if reduction == "mean" else total, v.dtype)


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
    return make(array) if type(like) in TENSOR_TYPES else array


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


def warn_if_sizes_differ(input, target, stacklevel=3):
    """PyTorch's warning (mse, l1, smooth_l1, huber) for a target that will broadcast against
    the input (its check also asks a number for its `.size()` first). stacklevel: the
    caller's frame (4 through the argument-checking wrapper of an op declared with defaults)."""
    check_loss_operands(input, target)
    if target._data.shape != input._data.shape:
        errors.warn(f"Using a target size ({target.size()}) that is different to the input size "
                      f"({input.size()}). This will likely lead to incorrect results due to "
                      f"broadcasting. Please ensure they have the same size.", stacklevel=stacklevel)


@declare(method=False, function=False, nn=True)
def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target). With beta 0
    it is PyTorch's l1_loss composition (|input - target| reduced: MeanBackward0...)."""
    check_devices(input, target)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target = _amp.widen(input, target)
    warn_if_sizes_differ(input, target, 4)
    reduction = loss_reduction(size_average, reduce, reduction, 4)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        a, b = broadcast_tensors(input, target)
        loss = abs_(sub(a, b))
        return loss if reduction == "none" else mean(loss) if reduction == "mean" else sum_(loss)
    a, b = loss_arrays(input, target, "smooth_l1_cpu")
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
    # its backward kernel writes into the input's dtype and takes no other (a forward of mixed
    # dtypes runs, its backward is PyTorch's RuntimeError)
    if P.data(self).dtype != P.data(target).dtype:
        raise RuntimeError(f"Found dtype {torch_dtype(P.data(target).dtype)._short} but "
                           f"expected {torch_dtype(P.data(self).dtype)._short}")
    return (huber_loss_backward(g, self, target, reduction, delta, n) if need[0] else None,
            huber_loss_backward(g, target, self, reduction, delta, n) if need[1] else None)


@declare(method=False, function=False, nn=True)
def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta); with a weight of the input's
    size, the elements times it, then the mean or sum (PyTorch 2.13's composite)."""
    check_devices(input, target)
    if weight is not None:
        if weight.size() != input.size():
            raise ValueError("Weights and input must have the same size.")
        reduction = loss_reduction(None, None, reduction, 4)
        loss = huber_loss(input, target, "none", delta) * weight
        return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target = _amp.widen(input, target)
    warn_if_sizes_differ(input, target, 4)
    reduction = loss_reduction(None, None, reduction, 4)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    a, b = loss_arrays(input, target, "huber_cpu", into_input=True)
    d = np.abs(a - b)
    v = np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    # (its kernel writes into the input's dtype)
    out = iter_result(reduce_loss(v.astype(input._data.dtype), reduction), input, target)
    if needs_grad(input, target):
        record(out, HuberLossBackward0, (input, target),
               (save(input, "self"), save(target, "target"), reduction, delta, d.size))
    return out


# ----- kl_div (PyTorch composes it from xlogy, mul and sub; so does gradsh) -------------------
def _torch_kl_div(input, target, reduction=0, *, log_target=False):
    """torch.kl_div: ATen's int reduction (its parser's default is none), no warning."""
    return _kl_div(input, target, reduction_name(reduction), log_target)


@declare(method=False, function=_torch_kl_div, nn=True)
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """target * (log target - input), summed as reduction says ('batchmean': sum / batch)."""
    check_devices(input, target, against=target)
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, target = _amp.widen(input, target)
    if size_average is not None or reduce is not None or reduction == "elementwise_mean":
        reduction = loss_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        errors.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    return _kl_div(input, target, reduction, log_target)


def _kl_div(input, target, reduction, log_target):
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
