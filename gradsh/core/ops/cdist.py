"""torch.cdist and F.pdist: p-norm distances between the rows of two batches, or among the rows
of one matrix, with PyTorch's nodes.

cdist takes PyTorch's two paths: for p = 2 with compute_mode 'use_mm_for_euclid_dist', or the
default mode and more than 25 rows on a side, the matrix-product form
`sqrt(clamp(|a|^2 - 2 a.b + |b|^2, 0))` (EuclideanDistBackward0, its gradient written with the
library's ops, so it differentiates again); otherwise the direct p-norm of the differences
(CdistBackward0, whose own backward PyTorch does not implement, nor gradsh: the
create_graph gradient is a CdistBackwardBackward0 that refuses to be differentiated).
"""

import numpy as np

from .. import autocast as _amp
from . import prim as P
from .base import backward_op, check_alloc, needs_grad, record, rule, save, save_out
from .base import contiguous_result as result
from .registry import declare
from ..node import node_class
from ..tensor import Tensor

_INF = float("inf")
_MODES = {"use_mm_for_euclid_dist_if_necessary": 0, "use_mm_for_euclid_dist": 1,
          "donot_use_mm_for_euclid_dist": 2}


# ----- the p-norm of the differences (arrays) -------------------------------------------------
def _norms(diff, p):
    """The p-norm over the last dim of |differences|."""
    if p == 0:
        return np.count_nonzero(diff, -1).astype(diff.dtype)
    if p == 1:
        return diff.sum(-1)
    if p == 2:
        return np.sqrt((diff * diff).sum(-1))
    if p == _INF:
        return diff.max(-1, initial=0)
    return (diff ** p).sum(-1) ** (1 / p)


def _pair_gradient(diff, dist, g, p):
    """d(dist)/d(a) * g for diff = a - b, per pair (..., m), as PyTorch's _cdist_backward
    computes it: 0 where the distance is 0 (and, for p < 1, where the difference is 0)."""
    if p == 0:
        return np.zeros_like(diff)
    d, gg = dist[..., None], g[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        if p == 1:
            out = np.sign(diff) * gg
        elif p == 2:
            out = gg * diff / d
        elif p == _INF:
            out = np.sign(diff) * (np.abs(diff) == d) * gg
        elif p < 2:
            out = np.sign(diff) * np.abs(diff) ** (p - 1) * gg / d ** (p - 1)
            out = np.where((diff == 0) & (p < 1), 0, out)
        else:
            out = diff * np.abs(diff) ** (p - 2) * gg / d ** (p - 1)
    return np.where(d == 0, 0, out).astype(diff.dtype)


def _cdist_array(x1, x2, p):
    return _norms(np.abs(x1[..., :, None, :] - x2[..., None, :, :]), p)


def _cdist_grad(g, x1, x2, result, p):
    """The gradient for x1 (swap x1 and x2 and transpose g and result for x2's)."""
    diff = x1[..., :, None, :] - x2[..., None, :, :]
    return _pair_gradient(diff, result, g, p).sum(-2)


def _not_implemented(op):
    def refuse(need, g, *saved):
        raise NotImplementedError(f"the derivative for '{op}' is not implemented.")
    return refuse


CdistBackwardBackward0 = node_class("CdistBackwardBackward0", _not_implemented("_cdist_backward"),
                                    saved_names=("grad", "x1", "x2", "cdist", "p"))


def _transposed(a):
    """a.mT().contiguous(), as PyTorch's formula passes x2's grad and result."""
    t = P.mT(a)
    return t.contiguous() if isinstance(t, Tensor) else t


@rule
def CdistBackward0(need, g, p, result, x1, x2):
    gx1 = backward_op(CdistBackwardBackward0, _cdist_grad, g, (x1, x2, result), (p,)) \
        if need[0] else None
    gx2 = backward_op(CdistBackwardBackward0, _cdist_grad, _transposed(g),
                      (x2, x1, _transposed(result)), (p,)) if need[1] else None
    return gx1, gx2


# ----- the matrix-product form (p = 2) --------------------------------------------------------
def _euclidean_array(x1, x2):
    """PyTorch's _euclidean_dist: [-2 x1, |x1|^2, 1] @ [x2, 1, |x2|^2]^T, clamped, rooted."""
    n1, n2 = (x1 * x1).sum(-1, keepdims=True), (x2 * x2).sum(-1, keepdims=True)
    a = np.concatenate([x1 * -2, n1, np.ones_like(n1)], -1)
    b = np.concatenate([x2, np.ones_like(n2), n2], -1)
    return np.sqrt(np.maximum(a @ np.swapaxes(b, -1, -2), 0))


@rule
def EuclideanDistBackward0(need, g, result, x1, x2):
    # PyTorch's _euclidean_dist_backward; 0 where the distance is 0 (a subgradient)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = P.masked_fill(g / result, P.data(result) == 0, 0)
    gx1 = x1 * P.sum(ratio, (-1,), True) - P.matmul(ratio, x2) if need[0] else None
    gx2 = x2 * P.unsqueeze(P.sum(ratio, (-2,)), -1) - P.matmul(P.mT(ratio), x1) \
        if need[1] else None
    return gx1, gx2


def _euclidean(x1, x2):
    out = result(_euclidean_array(x1._data, x2._data))
    if needs_grad(x1, x2):
        record(out, EuclideanDistBackward0, (x1, x2), (save_out(out), save(x1, "x1"),
                                                       save(x2, "x2")))
    return out


def _euclidean_batched(x1, x2):
    """cdist_impl's matrix-product path: the batch dims broadcast and flattened, then viewed
    back (PyTorch's ExpandBackward0, CloneBackward0 where the expansion copies, ViewBackward0
    around EuclideanDistBackward0)."""
    r1, r2, m = x1.shape[-2], x2.shape[-2], x1.shape[-1]
    batch = tuple(np.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])))
    if not batch:
        return _euclidean(x1, x2).view(r1, r2)
    n = int(np.prod(batch))
    a = x1.expand(*batch, r1, m).contiguous().view(n, r1, m)
    b = x2.expand(*batch, r2, m).contiguous().view(n, r2, m)
    return _euclidean(a, b).view(*batch, r1, r2)


# ----- the ops ----------------------------------------------------------------------------------
def _check_cdist(x1, x2, p):
    for name, x in (("X1", x1), ("X2", x2)):
        if x.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {x.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    for name, x in (("X1", x1), ("X2", x2)):
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{x.dtype._short}")
    if not p >= 0:   # NaN too, as PyTorch's check
        raise RuntimeError("cdist only supports non-negative p values")
    if x1.dtype != x2.dtype:
        raise RuntimeError(f"expected scalar type {x1.dtype._short} but found {x2.dtype._short}")


def uses_mm(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Does cdist take the matrix-product path (PyTorch's choice)? Bad arguments raise
    PyTorch's errors first."""
    if compute_mode not in _MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    _check_cdist(x1, x2, p)
    mode = _MODES[compute_mode]
    nonempty = x1.numel() and x2.numel()
    return bool(nonempty and p == 2 and (
        mode == 1 or (mode == 0 and max(x1.shape[-2], x2.shape[-2]) > 25)))


@declare(method=False, function=True)
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Distances between each row of x1 and each row of x2 (batched), PyTorch's two paths."""
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        x1, x2 = _amp.widen(x1, x2)
    if uses_mm(x1, x2, p, compute_mode):
        return _euclidean_batched(x1, x2)
    batch = np.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2]))
    # the working array of every pair's differences, checked before it is made (a batch
    # broadcast to 10**8 pairs of matrices computed for 18 s before the output was refused)
    check_alloc(batch + (x1.shape[-2], x2.shape[-2], x1.shape[-1]), x1._data.dtype)
    a = np.broadcast_to(x1._data, batch + x1.shape[-2:])
    b = np.broadcast_to(x2._data, batch + x2.shape[-2:])
    out = result(_cdist_array(a, b, float(p)).astype(x1._data.dtype))
    if needs_grad(x1, x2):
        record(out, CdistBackward0, (x1, x2), (float(p), save_out(out), save(x1, "x1"),
                                               save(x2, "x2")))
    return out


PdistBackwardBackward0 = node_class("PdistBackwardBackward0", _not_implemented("_pdist_backward"),
                                    saved_names=("grad", "self", "pdist", "p"))


def _pairs(n):
    return np.triu_indices(n, 1)


def _pdist_grad(g, x, result, p):
    """Each pair's gradient added to its first row, subtracted from its second."""
    i, j = _pairs(x.shape[0])
    pair = _pair_gradient(x[i] - x[j], result, g, p)
    out = np.zeros_like(x)
    np.add.at(out, i, pair)
    np.add.at(out, j, -pair)
    return out


@rule
def PdistBackward0(need, g, p, self, result):
    return (backward_op(PdistBackwardBackward0, _pdist_grad, g, (self, result), (p,)),)


@declare(method=False, function=True, nn=True)
def pdist(input, p=2):
    """The distances between each pair of rows i < j of a matrix, in row order."""
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if not input.dtype.is_floating_point:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if not p >= 0:   # NaN too, as PyTorch's check
        raise RuntimeError("pdist only supports non-negative p values")
    x = input._data
    n = x.shape[0]
    # the pairs' differences, checked before the pairs are listed (np.triu_indices makes an
    # n x n mask: pdist of 10**5 rows computed for 8 s before a refusal)
    check_alloc((n * (n - 1) // 2, x.shape[1]), x.dtype)
    i, j = _pairs(n)
    out = result(_norms(np.abs(x[i] - x[j]), float(p)).astype(x.dtype))
    if needs_grad(input):
        record(out, PdistBackward0, (input,), (float(p), save(input, "self"), save_out(out)))
    return out


