"""Attention: F.scaled_dot_product_attention and F.multi_head_attention_forward.

Both are PyTorch's compositions, so their graphs have PyTorch's nodes. scaled_dot_product_attention
takes the path PyTorch's CPU dispatcher takes: the fused kernel (one
`ScaledDotProductFlashAttentionForCpuBackward0` node) for 4-d inputs without dropout and
without a mask that requires grad, else the math composition (`MulBackward1` scalings, a
matmul, `AddBackward0` of the mask, `SafeSoftmaxBackward0`, dropout's `MulBackward0`, a matmul).
"""

import math
import warnings

import numpy as np

from . import autocast as _amp
from . import dtypes, factories
from .errors import TorchAssertionError
from .nn_functional import dropout, linear
from .ops.attention import flash_attention_cpu, safe_softmax
from .ops.base import make
from .ops.linalg import bmm, matmul
from .ops.attention import baddbmm
from .ops.shape import cat
from .ops.padding import pad
from .ops.pointwise import mul_scalar
from .ops.registry import declare
from .tensor import Tensor


def _float_mask(mask, dtype):
    """A boolean mask as PyTorch's additive float mask: 0 where True, -inf where False."""
    if mask is None or mask._data.dtype != np.bool_:
        return mask
    d = np.where(mask._data, np.zeros((), dtype), np.array(-np.inf, dtype))
    return make(d)


def _flash_fits(q, k, v, mask, dropout_p, enable_gqa):
    """PyTorch's use_flash_attention_cpp checks (those that gradsh's tensors can fail)."""
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4 or dropout_p > 0.0:
        return False
    if mask is not None and mask._requires_grad:
        return False
    if not (q.shape[-1] == k.shape[-1] == v.shape[-1]):
        return False
    if not (q.shape[0] == k.shape[0] == v.shape[0]) or 0 in (q.shape[-2], k.shape[-2]):
        return False
    if q._data.dtype.kind not in "fV" or not q._data.dtype == k._data.dtype == v._data.dtype:
        return False
    if k.shape[1] != v.shape[1]:
        return False
    # check_last_dim_stride_equals_1_dense<ignore_singleton_dim=true>: else the math path
    if q.shape[-1] != 1 and (q.stride(-1), k.stride(-1), v.stride(-1)) != (1, 1, 1):
        return False
    if q.shape[1] != k.shape[1]:
        if not enable_gqa:
            return False
        if q.shape[1] % k.shape[1]:
            raise RuntimeError("Number of heads in key and value must divide the number of "
                               "heads in ")
    return True


def takes_fused_path(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False,
                     scale=None, enable_gqa=False):
    """Whether scaled_dot_product_attention takes the fused kernel for these arguments."""
    mask = _float_mask(attn_mask, query._data.dtype)
    return _flash_fits(query, key, value, mask, dropout_p, enable_gqa)


def mha_takes_fused_path(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
                         in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight,
                         out_proj_bias, training=True, key_padding_mask=None, need_weights=True,
                         attn_mask=None, *args, **kwargs):
    """Whether multi_head_attention_forward ends in the fused kernel: its need_weights=False
    path (4-d heads) without dropout and without a mask that requires grad."""
    masks = [m for m in (attn_mask, key_padding_mask) if isinstance(m, Tensor)]
    return (not need_weights and (dropout_p == 0.0 or not training)
            and not any(m._requires_grad for m in masks)
            and query.dtype.is_floating_point and 0 not in (query.shape[0], key.shape[0]))


@declare(method=False, function=False, nn=True)
def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(query key^T * scale + mask) value, with dropout on the probabilities."""
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        query, key, value = _amp.lower(query, key, value)
    _validate_sdpa(query, key, value, attn_mask, dropout_p, is_causal)
    mask = _float_mask(attn_mask, query._data.dtype)
    if _flash_fits(query, key, value, mask, dropout_p, enable_gqa):
        return flash_attention_cpu(query, key, value, dropout_p, is_causal, attn_mask=mask,
                                   scale=scale)[0]
    return _attention_math(query, key, value, mask, dropout_p, is_causal, scale, enable_gqa)


def _validate_sdpa(query, key, value, attn_mask, dropout_p, is_causal):
    """ATen's validate_sdpa_input and the math path's checks, in their order and words, before
    any work (a 0-d query was an IndexError of the shape, an explicit mask with is_causal ran)."""
    q, k, v = query._data, key._data, value._data
    if not q.dtype == k.dtype == v.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {dtypes.c_name(q.dtype)} key.dtype: "
                           f"{dtypes.c_name(k.dtype)} and value.dtype: {dtypes.c_name(v.dtype)}"
                           " instead.")
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise RuntimeError("Expected query, key, and value to all be  at least 2 dimensional, but"
                           f" got query.dim: {q.ndim} key.dim: {k.ndim} and value.dim: {v.ndim} "
                           "instead.")
    if isinstance(attn_mask, Tensor):
        m = attn_mask._data.dtype
        if m != np.bool_ and m != np.float32 and m != q.dtype:
            raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query "
                               f"dtype, but got attn_mask.dtype: {dtypes.c_name(m)} and  "
                               f"query.dtype: {dtypes.c_name(q.dtype)} instead.")
    if q.dtype.kind not in "fcV":
        raise RuntimeError("expected scalar type Float but found "
                           + dtypes.from_numpy_dtype(q.dtype)._short)
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    if dropout_p > 1:   # C++'s check and number format (dropout_p <= 0 means no dropout)
        raise RuntimeError("dropout probability has to be between 0 and 1, but got %g" % dropout_p)


def _attention_math(query, key, value, mask, dropout_p, is_causal, scale, enable_gqa):
    """ATen's _scaled_dot_product_attention_math: q and k each scaled by sqrt(scale)."""
    negative = scale is not None and scale < 0
    base = abs(scale) if negative else (scale if scale is not None
                                        else 1.0 / math.sqrt(query.shape[-1]))
    factor = math.sqrt(base)
    q = mul_scalar(query, 0.0 - factor if negative else factor)
    if is_causal:
        L, S = query.shape[-2], key.shape[-2]
        mask = _float_mask(factories.ones(L, S, dtype=dtypes.bool_).tril(), query._data.dtype)
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        groups = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(groups, -3)
        value = value.repeat_interleave(groups, -3)
    attn = matmul(q, mul_scalar(key.transpose(-2, -1), factor))
    if mask is not None:
        attn = attn + mask
    attn = safe_softmax(attn, -1)
    if dropout_p > 0.0:
        attn = dropout(attn, dropout_p, True)
    return matmul(attn, value)


# ----- multi_head_attention_forward ----------------------------------------------------------
def _shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the input is batched, with PyTorch's AssertionErrors for misfit ranks."""
    if query.ndim == 3:
        if key.ndim != 3 or value.ndim != 3:
            raise TorchAssertionError("For batched (3-D) `query`, expected `key` and `value` to be 3-D"
                                 f" but found {key.ndim}-D and {value.ndim}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.ndim != 2:
            raise TorchAssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be "
                                 f"`None` or 2-D but found {key_padding_mask.ndim}-D tensor "
                                 "instead")
        if attn_mask is not None and attn_mask.ndim not in (2, 3):
            raise TorchAssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`, "
                                 f"2-D or 3-D but found {attn_mask.ndim}-D tensor instead")
        return True
    if query.ndim == 2:
        if key.ndim != 2 or value.ndim != 2:
            raise TorchAssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be "
                                 f"2-D but found {key.ndim}-D and {value.ndim}-D tensors "
                                 "respectively")
        if key_padding_mask is not None and key_padding_mask.ndim != 1:
            raise TorchAssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to be "
                                 f"`None` or 1-D but found {key_padding_mask.ndim}-D tensor "
                                 "instead")
        if attn_mask is not None:
            if attn_mask.ndim not in (2, 3):
                raise TorchAssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be "
                                     f"`None`, 2-D or 3-D but found {attn_mask.ndim}-D tensor "
                                     "instead")
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.ndim == 3 and tuple(attn_mask.shape) != expected:
                raise TorchAssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                     f"{attn_mask.shape}")
        return False
    raise TorchAssertionError("query should be unbatched 2D or batched 3D tensor but received "
                         f"{query.ndim}-D query tensor")


def canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """PyTorch's F._canonical_mask: a boolean mask becomes a float one (-inf where True)."""
    if mask is None:
        return None
    kind = mask._data.dtype
    if kind != np.bool_ and kind.kind not in "fV":
        raise TorchAssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. "
                      "Use same type for both instead.", UserWarning, stacklevel=3)
    if kind == np.bool_:
        d = np.where(mask._data, np.array(-np.inf, target_type.np), np.zeros((), target_type.np))
        return make(d)
    return mask


def _none_or_dtype(t):
    return None if t is None else t.dtype


def _project(inputs, weights, biases):
    """linear(x, w, b) for each input in turn (query, key, value)."""
    return tuple(map(linear, inputs, weights, biases))


def _thirds(t):
    return (None, None, None) if t is None else t.chunk(3)


def _unpacked(packed, n, E):
    """The n (.., E) slices of a projection packed along its last dim, made contiguous first:
    PyTorch's unflatten, unsqueeze, transpose, squeeze, contiguous and select nodes."""
    stacked = packed.unflatten(-1, (n, E)).unsqueeze(0).transpose(0, -2).squeeze(-2)
    stacked = stacked.contiguous()
    return tuple(stacked[i] for i in range(n))


def _in_projection_packed(q, k, v, w, b):
    """q, k, v through one packed (3E, E) weight: a single matmul for self-attention, two
    when key is value, three otherwise."""
    E = q.shape[-1]
    if k is not v:
        return _project((q, k, v), w.chunk(3), _thirds(b))
    if q is k:
        return _unpacked(linear(q, w, b), 3, E)
    sizes = [E, 2 * E]
    w_parts = w.split(sizes)
    b_parts = (None, None) if b is None else b.split(sizes)
    first = linear(q, w_parts[0], b_parts[0])
    return (first, *_unpacked(linear(k, w_parts[1], b_parts[1]), 2, E))


def _in_projection(q, k, v, w_q, w_k, w_v, b_q, b_k, b_v):
    Eq, Ek, Ev = q.shape[-1], k.shape[-1], v.shape[-1]
    for name, w, want in (("query", w_q, (Eq, Eq)), ("key", w_k, (Eq, Ek)),
                          ("value", w_v, (Eq, Ev))):
        if tuple(w.shape) != want:
            raise TorchAssertionError(f"expecting {name} weights shape of {want}, but got {w.shape}")
    for name, b in (("query", b_q), ("key", b_k), ("value", b_v)):
        if b is not None and tuple(b.shape) != (Eq,):
            raise TorchAssertionError(f"expecting {name} bias shape of {(Eq,)}, but got {b.shape}")
    return _project((q, k, v), (w_q, w_k, w_v), (b_q, b_k, b_v))


def _head_dim(embed_dim, expected, num_heads):
    if embed_dim != expected:
        raise TorchAssertionError(f"was expecting embedding dimension of {expected}, but "
                                  f"got {embed_dim}")
    size, rest = divmod(embed_dim, num_heads)
    if rest:
        raise TorchAssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    return size


def _one_more_key(attn_mask, key_padding_mask):
    """The masks widened by one key column of zeros (for bias_k/bias_v or add_zero_attn)."""
    return tuple(None if m is None else pad(m, (0, 1)) for m in (attn_mask, key_padding_mask))


def _split_heads(t, bsz_heads, head_dim):
    """(L, N, E) as (N * heads, L, head_dim)."""
    return t.view(t.shape[0], bsz_heads, head_dim).transpose(0, 1)


def _checked_attn_mask(attn_mask, tgt_len, src_len, bsz_heads):
    """A 2-D or 3-D attn_mask of the right shape, as 3-D."""
    wanted = {2: (tgt_len, src_len), 3: (bsz_heads, tgt_len, src_len)}
    nd = attn_mask.ndim
    if nd not in wanted:
        raise RuntimeError(f"attn_mask's dimension {nd} is not supported")
    if tuple(attn_mask.shape) != wanted[nd]:
        raise RuntimeError(f"The shape of the {nd}D attn_mask is {attn_mask.shape}, but "
                           f"should be {wanted[nd]}.")
    return attn_mask.unsqueeze(0) if nd == 2 else attn_mask


def _with_padding(attn_mask, key_padding_mask, bsz, num_heads, src_len):
    """attn_mask plus the key padding mask broadcast over the heads."""
    rows, cols = key_padding_mask.shape[0], key_padding_mask.shape[1]
    if rows != bsz:
        raise TorchAssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                  f"{rows}")
    if cols != src_len:
        raise TorchAssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                  f"{cols}")
    per_head = key_padding_mask.view(bsz, 1, 1, src_len).expand(
        -1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len)
    return per_head if attn_mask is None else attn_mask + per_head


def _static(t, name, bsz_heads, head_dim):
    if t.shape[0] != bsz_heads:
        raise TorchAssertionError(f"expecting {name}.size(0) of {bsz_heads}, but got {t.shape[0]}")
    if t.shape[2] != head_dim:
        raise TorchAssertionError(f"expecting {name}.size(2) of {head_dim}, but got {t.shape[2]}")
    return t


@declare(method=False, function=False, nn=True)
def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Multi-head attention over (L, N, E) inputs (or unbatched (L, E)), as PyTorch computes it:
    the weights path (baddbmm, softmax, bmm) when need_weights, else
    scaled_dot_product_attention."""
    batched = _shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:  # as a batch of one
        query, key, value = (t.unsqueeze(1) for t in (query, key, value))
        key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
    (tgt_len, bsz, embed_dim), src_len = query.shape, key.shape[0]
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask",
                                      _none_or_dtype(attn_mask), "attn_mask", query.dtype)
    if is_causal:
        if attn_mask is None:
            raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                               "Transformer module method `generate_square_subsequent_mask` to "
                               "create this mask.")
        if key_padding_mask is None and not need_weights:
            attn_mask = None  # scaled_dot_product_attention makes the causal mask itself
    attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, False)
    is_causal = is_causal and key_padding_mask is None  # padding: the masks say it all
    head_dim = _head_dim(embed_dim, embed_dim_to_check, num_heads)
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise TorchAssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match "
                                      f"value's {value.shape[:2]}")
    elif tuple(key.shape) != tuple(value.shape):
        raise TorchAssertionError(f"key shape {key.shape} does not match value shape {value.shape}")

    if use_separate_proj_weight:
        for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if w is None:
                raise TorchAssertionError(f"use_separate_proj_weight is True but {name}_proj_weight "
                                          "is None")
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight,
                                 v_proj_weight, *_thirds(in_proj_bias))
    elif in_proj_weight is None:
        raise TorchAssertionError("use_separate_proj_weight is False but in_proj_weight is None")
    else:
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)

    bsz_heads = bsz * num_heads
    if attn_mask is not None:
        attn_mask = _checked_attn_mask(attn_mask, tgt_len, src_len, bsz_heads)

    if (bias_k is None) != (bias_v is None):
        raise TorchAssertionError("bias_k is set but bias_v is None" if bias_v is None else
                                  "bias_v is set but bias_k is None")
    if bias_k is not None:
        for static, which in ((static_k, "key"), (static_v, "value")):
            if static is not None:
                raise TorchAssertionError(f"bias cannot be added to static {which}.")
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask, key_padding_mask = _one_more_key(attn_mask, key_padding_mask)

    q = _split_heads(q, bsz_heads, head_dim)
    k = _split_heads(k, bsz_heads, head_dim) if static_k is None else \
        _static(static_k, "static_k", bsz_heads, head_dim)
    v = _split_heads(v, bsz_heads, head_dim) if static_v is None else \
        _static(static_v, "static_v", bsz_heads, head_dim)

    if add_zero_attn:
        k, v = (cat([t, factories.zeros((bsz_heads, 1, head_dim), dtype=t.dtype)], dim=1)
                for t in (k, v))
        attn_mask, key_padding_mask = _one_more_key(attn_mask, key_padding_mask)
    src_len = k.shape[1]

    if key_padding_mask is not None:
        attn_mask = _with_padding(attn_mask, key_padding_mask, bsz, num_heads, src_len)
    p = dropout_p if training else 0.0

    if need_weights:
        scaled = q * math.sqrt(1.0 / float(q.shape[2]))
        if attn_mask is not None:
            weights = baddbmm(attn_mask, scaled, k.transpose(-2, -1))
        elif is_causal:
            raise TorchAssertionError("FIXME: is_causal not implemented for need_weights")
        else:
            weights = bmm(scaled, k.transpose(-2, -1))
        weights = weights.softmax(-1)
        if p > 0.0:
            weights = dropout(weights, p=p)
        out = bmm(weights, v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = linear(out, out_proj_weight, out_proj_bias)
        out = out.view(tgt_len, bsz, out.shape[1])
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        return (out, weights) if batched else (out.squeeze(1), weights.squeeze(0))

    if attn_mask is not None:  # (bsz, heads, L, S), or broadcast from one shared (1, L, S)
        shared = attn_mask.ndim == 3 and attn_mask.shape[0] == 1
        attn_mask = attn_mask.unsqueeze(0) if shared else attn_mask.view(bsz, num_heads, -1,
                                                                           src_len)
    q, k, v = (t.view(bsz, num_heads, n, head_dim)
               for t, n in ((q, tgt_len), (k, src_len), (v, src_len)))
    out = scaled_dot_product_attention(q, k, v, attn_mask, p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.shape[1])
    return (out if batched else out.squeeze(1)), None
