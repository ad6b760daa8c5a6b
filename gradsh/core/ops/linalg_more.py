"""Older and smaller linear-algebra names: torch.triangular_solve (Tensor.triangular_solve),
torch.renorm (Tensor.renorm, renorm_), torch.nuclear_norm, torch.chain_matmul."""


import numpy as np

from .base import dim_arg, make, needs_grad, record, record_multi, rule, save, save_out
from .dense import _lifted, _mT, _short, _tensor_arg, linalg_multi_dot, linalg_solve_triangular, matrix_norm
from .lu import lapack_layout
from .pointwise import where
from .reduce import norm as _norm
from .registry import declare
from ..tensor import Tensor
from ..return_types import return_type
from .. import errors

TriangularSolveResult = return_type("triangular_solve", ("solution", "cloned_coefficient"))

_TRIANGULAR_DEPRECATED = (
    "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be "
    "removed in a future PyTorch release.\ntorch.linalg.solve_triangular has its arguments "
    "reversed and does not return a copy of one of the inputs.\nX = torch.triangular_solve(B, "
    "A).solution\nshould be replaced with\nX = torch.linalg.solve_triangular(A, B).")


def _triangle(A, upper, unitriangular):
    """A's triangle that op(A) reads (without the diagonal when unitriangular)."""
    if upper:
        return A.triu(1 if unitriangular else 0)
    return A.tril(-1 if unitriangular else 0)


@rule(n_outputs=2)
@_lifted
def TriangularSolveBackward0(need, g, self, A, solution, upper, transpose, unitriangular):
    """X = op(A)^-1 B: gB = op(A)^-H gX (a triangular solve with the other transpose);
    gA = -gB X^H (-X gB^H when transposed) on A's triangle; plus the clone's gradient."""
    gX, gM = g
    gB = gA = None
    if gX is not None:
        gB = _triangular_solve(gX, A, upper, not transpose, unitriangular)[0]
        if need[1]:
            gA = _triangle(-(solution @ _mT(gB)) if transpose else -(gB @ _mT(solution)),
                           upper, unitriangular)
    if gM is not None and need[1]:
        gA = gM if gA is None else gA + gM
    return (gB if need[0] else None, gA)


@declare(tensor_first=True)
def triangular_solve(self, A, upper=True, transpose=False, unitriangular=False):
    """Deprecated: (X, A's copy) with op(A) X = self, op(A) = A or A^T, A triangular (the
    other triangle not read)."""
    errors.warn(_TRIANGULAR_DEPRECATED, UserWarning, stacklevel=2)
    return _triangular_solve(self, A, upper, transpose, unitriangular)


def _check_triangular_solve(b, A):
    """PyTorch's checks of triangular_solve, in its order and words (not linalg's)."""
    for name, x in (("b", b), ("A", A)):
        if x.ndim < 2:
            raise RuntimeError(f"torch.triangular_solve: Expected {name} to have at least 2 "
                               f"dimensions, but it has {x.ndim} dimensions instead")
    if b.dtype != A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{_short(b.dtype)} and A of type {_short(A.dtype)} instead.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError("A must be batches of square matrices, but they are %d by %d matrices"
                           % A.shape[-2:])
    if A.shape[-1] != b.shape[-2]:
        raise RuntimeError("Incompatible matrix sizes for triangular_solve: each A matrix is %d "
                           "by %d but each b matrix is %d by %d" % (A.shape[-2:] + b.shape[-2:]))


def _triangular_solve(self, A, upper, transpose, unitriangular):
    """triangular_solve without the deprecation warning (its rule calls it too)."""
    _tensor_arg(A, "triangular_solve", "A")
    _check_triangular_solve(self._data, A._data)
    Ad = A._data
    op = np.swapaxes(Ad, -1, -2) if transpose else Ad
    with_grad = needs_grad(self, A)
    X = linalg_solve_triangular(make(op), make(self._data), upper=upper != transpose,
                                unitriangular=unitriangular)
    solution = make(lapack_layout(X._data))
    clone = make(lapack_layout(Ad))
    if with_grad:
        solution._output_nr, clone._output_nr = 0, 1
        record_multi([solution, clone], TriangularSolveBackward0, (self, A),
                     (save(self, "self"), save(A, "A"), save_out(solution, "solution"), upper,
                      transpose, unitriangular))
    return TriangularSolveResult._of(solution, clone)


# ----- renorm -------------------------------------------------------------------------------------
@rule
@_lifted
def RenormBackward0(need, g, self, p, dim, maxnorm):
    """PyTorch's renorm_backward: where the sub-tensor's norm exceeds maxnorm,
    maxnorm / (norm + 1e-7) * (g - (norm + 1e-7)^-1 * d norm / d self * sum(self g)), else g."""
    dims = _other_dims(self, dim)
    nrm = _norm(self, p, dims, True)
    inner = (self * g).sum(dims, keepdim=True)
    norm_grad = _norm_backward(inner, self, p, nrm)
    inv = (nrm + 1e-7).reciprocal()
    factor = inv * maxnorm
    return (where(nrm > maxnorm, factor * (g - inv * norm_grad), g),)


def _norm_backward(g, x, p, nrm):
    """g * d ||x||_p / dx, as PyTorch's norm_backward writes it for each range of p (zeros of
    x or of the norm give 0)."""
    zero = make(np.zeros((), x._data.dtype))
    if p == 1:
        return x.sgn() * g
    if p == 2:
        return x * where(nrm == 0, zero, g / nrm)
    if p < 1:
        scaled = x.sgn() * where(x == 0, zero, x.abs() ** (p - 1))
        return scaled * g * nrm ** (1 - p)
    scaled = x.sgn() * x.abs() ** (p - 1) if p < 2 else x * x.abs() ** (p - 2)
    return scaled * where(nrm == 0, zero, g / nrm ** (p - 1))


def _other_dims(x, dim):
    nd = x.ndim
    dim = dim % nd if nd else 0
    return tuple(d for d in range(nd) if d != dim)


@declare(inplace=True, tensor_first=True)
def renorm(self, p, dim, maxnorm):
    """Each sub-tensor along dim whose p-norm exceeds maxnorm, scaled to norm maxnorm (by
    maxnorm / (norm + 1e-7), as PyTorch)."""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if self._data.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {self._data.ndim} "
                           "dimensions")
    d = self._data
    dims = _other_dims(self, dim_arg(dim, d.ndim))
    with np.errstate(all="ignore"):
        nrm = _norm(make(d), p, dims, True)._data
        factor = np.where(nrm > maxnorm, d.dtype.type(maxnorm) / (nrm + d.dtype.type(1e-7)),
                          d.dtype.type(1))
    out = make(np.ascontiguousarray(d * factor.astype(d.dtype), d.dtype))
    if needs_grad(self):
        record(out, RenormBackward0, (self,), (save(self, "self"), p, dim, maxnorm))
    return out


# ----- nuclear_norm, chain_matmul -----------------------------------------------------------------
@declare(method=False, tensor_first=True)
def nuclear_norm(input, dim=(), keepdim=False):
    """Deprecated: linalg.matrix_norm(input, 'nuc', dim, keepdim). (No dim, (), is the last two
    dimensions; None is not a dim here: PyTorch's two signatures refuse it.)"""
    errors.warn("at::nuclear_norm is deprecated and it is just left for JIT compatibility. It "
                  "will be removed in a future PyTorch release. Please use `linalg.matrix_norm(A, "
                  "'nuc', dim, keepdim)` instead"
                + errors.triggered_at("aten/src/ATen/native/LinearAlgebra.cpp:3229"),
                UserWarning, stacklevel=2)
    if dim is None:
        raise TypeError("nuclear_norm(): dim may not be None")  # PyTorch's refusal replaces it
    if isinstance(dim, bool):  # nuclear_norm(input, keepdim)
        dim, keepdim = (), dim
    if input.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    return matrix_norm(input, "nuc", tuple(dim) if dim != () else (-2, -1), keepdim)


@declare(method=False, function=True)
def chain_matmul(*matrices):
    """Deprecated: linalg.multi_dot of the matrices."""
    errors.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
                  "release. Use torch.linalg.multi_dot instead, which accepts a list of two or "
                  "more tensors rather than multiple parameters.", UserWarning, stacklevel=2)
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    for k, m in enumerate(matrices):
        if not isinstance(m, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got "
                            f"{type(m).__name__}")
    if len(matrices) == 1:
        return matrices[0].clone()
    return linalg_multi_dot(list(matrices))
