"""Weight normalisation's ops: torch.norm_except_dim and torch._weight_norm (ATen's
WeightNorm.cpp), used by nn.utils.weight_norm and nn.utils.parametrizations.weight_norm.

_weight_norm is `v * (g / ||v||)`, the norm over every dim but `dim`: along the first or last
dim it is the fused `_weight_norm_interface` (node WeightNormInterfaceBackward0, which saves the
norms as result1), along another dim (or dim=-1: the whole tensor) ATen's composite
(`MulBackward0`). The fused node's rule is PyTorch's `_weight_norm_differentiable_backward`,
written with the library's ops, so create_graph records it.
"""

from . import errors
from .ops import prim as P
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


def weight_norm(v, g, dim=0):
    """torch._weight_norm: v * (g / norm_except_dim(v, 2, dim))."""
    if dim == -1 or v.dim() == 0 or dim_arg(dim, v.dim()) not in (0, v.dim() - 1):
        return v * (g / norm_except_dim(v, 2, dim))
    dim = dim_arg(dim, v.dim())
    with_graph = needs_grad(v, g)
    norms = make(norm_except_dim(v.detach(), 2, dim)._data)
    out = make((v._data * (g._data / norms._data)).astype(v._data.dtype, copy=False))
    if with_graph:
        record(out, WeightNormInterfaceBackward0, (v, g),
               (save(v, "v"), save(g, "g"), save(norms, "result1"), dim))
    return out

