"""The kernels under attention: baddbmm, _safe_softmax and the CPU flash-attention op.

`torch.baddbmm` is the batched `addmm` (MultiheadAttention's masked scores); `_safe_softmax`
is the softmax of scaled_dot_product_attention's math path (a row masked out entirely gives
zeros, not NaN); `_scaled_dot_product_flash_attention_for_cpu` is the one node PyTorch records
for a 4-d attention without dropout (gradsh/core/attention.py chooses between the two paths as
PyTorch's CPU dispatcher does).
"""

import math

import numpy as np

from .. import autocast as _amp
from ..dtypes import c_name
from ..layout import empty_permuted
from . import prim as P
from .base import (check_alloc, contiguous_result, dim_arg, make, needs_grad, preserving_result, record,
                   record_multi, result, rule, save, save_out, torch_dtype)
from .linalg import _bmm_any, _maybe_multiply
from .pointwise import NotImplementedBackward
from .reduce import softmax, softmax_backward_data
from .registry import declare
from .shape import expand
from ..tensor import TENSOR_TYPES, Tensor


def _short(d):
    return torch_dtype(d)._short


# ----- baddbmm ------------------------------------------------------------------------------
@rule
def BaddbmmBackward0(need, g, batch1, batch2, beta, alpha):
    """derivatives.yaml: self: maybe_multiply(grad, beta); batch1: grad.bmm(batch2^T) * alpha;
    batch2: batch1^T.bmm(grad) * alpha."""
    return (_maybe_multiply(g, beta) if need[0] else None,
            _maybe_multiply(_bmm_any(g, P.transpose(batch2, 1, 2)), alpha) if need[1] else None,
            _maybe_multiply(_bmm_any(P.transpose(batch1, 1, 2), g), alpha) if need[2] else None)


@declare(method=lambda self, batch1, batch2, *, beta=1, alpha=1: baddbmm(
    self, batch1, batch2, beta=beta, alpha=alpha), inplace=True, tensor_first=True)
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * (batch1 @ batch2), batch by batch."""
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        input, batch1, batch2 = _amp.lower(input, batch1, batch2)
    for position, name, t in ((2, "batch1", batch1), (3, "batch2", batch2)):
        if not isinstance(t, Tensor):
            raise TypeError(f"baddbmm(): argument '{name}' (position {position}) must be Tensor, "
                            f"not {type(t).__name__}")
    a, b = batch1._data, batch2._data
    # PyTorch expands self to (batch1.size(0), batch1.size(1), batch2.size(2)) first: its
    # errors for a size that does not exist or a self that does not fit
    target = (a.shape[dim_arg(0, a.ndim)], a.shape[dim_arg(1, a.ndim)],
              b.shape[dim_arg(2, b.ndim)])
    if not _fits(input._data.shape, target):
        expand(input, *target)
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input._data.dtype != a.dtype or input._data.dtype != b.dtype:
        if input._data.dtype != a.dtype:
            raise RuntimeError(f"Input dtypes must be the same, got: input "
                               f"{c_name(input._data.dtype)}, batch1: {c_name(a.dtype)}, "
                               f"batch2: {c_name(b.dtype)}")
        raise RuntimeError(f"expected scalar type {_short(a.dtype)} but found {_short(b.dtype)}")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    check_alloc((a.shape[0], a.shape[1], b.shape[2]), a.dtype)
    p = np.matmul(a, b)
    i = input._data
    if beta == 0:  # PyTorch ignores self then (a NaN in it does not spread)
        v = p if alpha == 1 else alpha * p
    elif beta == 1 and alpha == 1:
        v = i + p
    else:
        v = beta * i + alpha * p
    out = contiguous_result(np.asarray(np.broadcast_to(v, p.shape), a.dtype))
    if needs_grad(input, batch1, batch2):
        r1, r2 = batch1._requires_grad, batch2._requires_grad
        record(out, BaddbmmBackward0, (input, batch1, batch2),
               (save(batch1, "batch1") if r2 else None, save(batch2, "batch2") if r1 else None,
                beta, alpha))
    return out


def _fits(shape, target):
    return len(shape) <= len(target) and all(
        s in (1, t) for s, t in zip(reversed(shape), reversed(target)))


# ----- _safe_softmax ------------------------------------------------------------------------
@rule
def SafeSoftmaxBackward0(need, g, result, dim):
    """derivatives.yaml: _softmax_backward_data(grad, result, dim, self.scalar_type())."""
    return (softmax_backward_data(g, result, dim),)


@declare(name="_safe_softmax", method=False, function=False)
def safe_softmax(self, dim):
    """softmax over dim, with zeros (not NaN) where a whole row is -inf (a masked-out query)."""
    d = self._data
    k = dim % d.ndim
    s = softmax(make(d), k)._data  # (a fresh tensor: nothing recorded)
    dead = np.all(d == -np.inf, axis=k, keepdims=True)
    out = result(np.where(dead, np.zeros((), d.dtype), s) if dead.any() else s)
    if needs_grad(self):
        record(out, SafeSoftmaxBackward0, (self,), (save_out(out), k))
    return out


# ----- the CPU flash-attention kernel ---------------------------------------------------------
def _attention_arrays(q, k, v, mask, is_causal, scale):
    """Scores, probabilities and output of softmax(q k^T * scale + mask) v on arrays (k, v
    already repeated to q's heads)."""
    s = np.matmul(q, np.swapaxes(k, -1, -2)) * q.dtype.type(scale)
    if mask is not None:
        s = s + mask
    if is_causal:
        L, S = s.shape[-2:]
        s = np.where(np.tril(np.ones((L, S), bool)), s, -np.inf)
    m = np.max(s, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(s - m)
    z = np.sum(e, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(z > 0, e / np.where(z > 0, z, 1), 0).astype(q.dtype)
        lse = np.where(z[..., 0] > 0, np.log(np.where(z > 0, z, 1))[..., 0] + m[..., 0], -np.inf)
    return p, np.matmul(p, v).astype(q.dtype), lse.astype(q.dtype)


def _repeat_heads(x, groups):
    return x if groups == 1 else np.repeat(x, groups, axis=-3)


def _fold_heads(g, groups):
    if groups == 1:
        return g
    s = g.shape
    return g.reshape(s[:-3] + (s[-3] // groups, groups) + s[-2:]).sum(axis=-3)


def _blhe(x):
    """x (B, H, L, E) laid out as (B, L, H, E) in memory, as PyTorch's kernel writes the
    gradients (the layout decides which later reshapes are views, so which nodes appear)."""
    out = empty_permuted(x.shape, (0, 2, 1, 3), x.dtype)
    out[...] = x
    return out


def _blh(lse):
    """lse (B, H, L) laid out as (B, L, H) in memory, PyTorch's strides for sizes of 1 too."""
    out = empty_permuted(lse.shape, (0, 2, 1), lse.dtype)
    out[...] = lse
    return out


@rule
def ScaledDotProductFlashAttentionForCpuBackward0(need, g, attn_mask, dropout_p, is_causal, key,
                                                   logsumexp, output, query, scale, value):
    gd = g._data if type(g) in TENSOR_TYPES else g
    q, k, v = P.data(query), P.data(key), P.data(value)
    groups = q.shape[-3] // k.shape[-3]
    kr, vr = _repeat_heads(k, groups), _repeat_heads(v, groups)
    m = P.data(attn_mask) if attn_mask is not None else None
    p, _, _ = _attention_arrays(q, kr, vr, m, is_causal, scale)
    gv = np.matmul(np.swapaxes(p, -1, -2), gd)
    gp = np.matmul(gd, np.swapaxes(vr, -1, -2))
    gs = p * (gp - np.sum(gp * p, axis=-1, keepdims=True))
    sc = q.dtype.type(scale)
    gq = np.matmul(gs, kr) * sc
    gk = np.matmul(np.swapaxes(gs, -1, -2), q) * sc
    grads = [_blhe(np.asarray(x, q.dtype))
             for x in (gq, _fold_heads(gk, groups), _fold_heads(gv, groups))]
    if type(g) not in TENSOR_TYPES:
        return tuple(x if n else None for x, n in zip(grads, need))
    outs = [make(x) for x in grads]
    if needs_grad(g, query, key, value, output):  # PyTorch has no derivative for this backward
        record_multi(outs, NotImplementedBackward, (g, query, key, value, output),
                     ("_scaled_dot_product_flash_attention_for_cpu_backward",))
    return tuple(x if n else None for x, n in zip(outs, need))


@declare(name="_scaled_dot_product_flash_attention_for_cpu", method=False, function=False)
def flash_attention_cpu(query, key, value, dropout_p=0.0, is_causal=False, *, attn_mask=None,
                        scale=None):
    """PyTorch's fused CPU attention (4-d inputs, no dropout): one node for the whole product.
    Returns (output, logsumexp) as PyTorch's op does (logsumexp of shape (B, H, L))."""
    q, k, v = query._data, key._data, value._data
    sc = scale if scale is not None else 1.0 / math.sqrt(q.shape[-1])
    groups = q.shape[-3] // k.shape[-3]
    check_alloc(q.shape[:-1] + (k.shape[-2],), q.dtype)
    m = attn_mask._data if attn_mask is not None else None
    _, o, lse = _attention_arrays(q, _repeat_heads(k, groups), _repeat_heads(v, groups), m,
                                  is_causal, sc)
    # the logsumexp too is (B, L, H) in memory, seen as (B, H, L)
    out = preserving_result(o, q)  # the output is empty_like(query), the gradients (B, L, H, E)
    lse_t = make(_blh(lse))
    if needs_grad(query, key, value):
        record(out, ScaledDotProductFlashAttentionForCpuBackward0, (query, key, value),
               (None if attn_mask is None else save(attn_mask, "attn_mask"), dropout_p, is_causal,
                save(key, "key"), save(lse_t, "logsumexp"), save_out(out, "output"),
                save(query, "query"), sc, save(value, "value")))
    return out, lse_t
