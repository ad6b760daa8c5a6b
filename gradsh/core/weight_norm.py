"""Weight normalisation's ops: torch.norm_except_dim and torch._weight_norm (ATen's
WeightNorm.cpp), used by nn.utils.weight_norm and nn.utils.parametrizations.weight_norm.

_weight_norm is `v * (g / ||v||)`, the norm over every dim but `dim`: along the first or last
dim it is the fused `_weight_norm_interface` (node WeightNormInterfaceBackward0, which saves the
norms as result1), along another dim (or dim=-1: the whole tensor) ATen's composite
(`MulBackward0`). The fused node's rule is PyTorch's `_weight_norm_differentiable_backward`,
written with the library's ops, so create_graph records it.
"""

import numpy as np

from . import errors
from .ops import prim as P
from .ops.expf import _LANES, reduce_all_sum
from .ops.base import dim_arg, make, needs_grad, record, rule, save
from .ops.reduce import LinalgVectorNormBackward0, NormBackward1, p_norm
from .ops.registry import declare


@rule
def NormBackward0(need, g, self, result, p, dims, keepdim):
    """C++'s at::norm(self, p) over every element: norm_backward, as linalg's."""
    return LinalgVectorNormBackward0.rule(need, g, self, result, p, dims, keepdim)


@declare(method=False, tensor_first="v")
def norm_except_dim(v, pow=2, dim=0):
    """The pow-norm of v over every dim but `dim` (kept as size-1 dims); dim=-1: over all."""
    # ATen's at::norm: NormBackward0 over everything, NormBackward1 over a dim
    errors.long(pow)
    if dim == -1:
        return p_norm(v, pow, None, False, NormBackward0)
    if dim == 0:
        shape = [v.shape[0]] + [1] * (v.dim() - 1)
        return p_norm(v.contiguous().view(v.shape[0], -1), pow, 1, False, NormBackward1).view(shape)
    if dim == v.dim() - 1:
        shape = [1] * (v.dim() - 1) + [v.shape[-1]]
        return p_norm(v.contiguous().view(-1, v.shape[-1]), pow, 0, False,
                      NormBackward1).view(shape)
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


def _other_dims(ndim, dim):
    return tuple(d for d in range(ndim) if d != dim)


@rule
def WeightNormInterfaceBackward0(need, grad_w, v, g, result1, dim):
    norms = result1
    s = P.sum(grad_w * v, _other_dims(v.ndim, dim), keepdim=True)
    grad_v = (g / norms) * (grad_w - v * (s / (norms * norms))) if need[0] else None
    grad_g = s / norms if need[1] else None
    return grad_v, grad_g


def _first_dim_norms(v):
    """The fused kernel's norms along dim 0, bit for bit: each row's sum of squares added in
    the row's own dtype in vec::map_reduce_all's order (float32: reduce_all_sum; float64: half
    as many lanes, added one by one at the end, measured on AVX2), then its square root. Other
    dtypes: None (norm_except_dim's)."""
    rows = np.ascontiguousarray(v._data).reshape(v.shape[0], -1)
    if rows.dtype == np.float32 and rows.shape[1]:
        return np.sqrt(reduce_all_sum(rows * rows))
    if rows.dtype == np.float64 and rows.shape[1]:
        squares, lanes = rows * rows, _LANES // 2
        n = squares.shape[1]
        if n < lanes:
            acc = squares[:, 0].copy()
            for j in range(1, n):
                acc += squares[:, j]
            return np.sqrt(acc)
        whole = n - n % lanes
        acc = np.add.reduce(squares[:, :whole].reshape(len(rows), -1, lanes), axis=1)
        acc[:, :n - whole] += squares[:, whole:]
        total = acc[:, 0].copy()
        for j in range(1, lanes):
            total += acc[:, j]
        return np.sqrt(total)
    return None


def weight_norm(v, g, dim=0):
    """torch._weight_norm: v * (g / norm_except_dim(v, 2, dim))."""
    if dim == -1 or v.dim() == 0 or dim_arg(dim, v.dim()) not in (0, v.dim() - 1):
        return v * (g / norm_except_dim(v, 2, dim))
    dim = dim_arg(dim, v.dim())
    with_graph = needs_grad(v, g)
    fused = _first_dim_norms(v) if dim == 0 else None
    if fused is not None:
        norms = make(fused.reshape([v.shape[0]] + [1] * (v.dim() - 1)))
    else:
        norms = make(norm_except_dim(v.detach(), 2, dim)._data)
    out = make((v._data * (g._data / norms._data)).astype(v._data.dtype, copy=False))
    if with_graph:
        record(out, WeightNormInterfaceBackward0, (v, g),
               (save(v, "v"), save(g, "g"), save(norms, "result1"), dim))
    return out

