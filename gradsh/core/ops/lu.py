"""LU factorization with partial pivoting and the names built on it: torch.linalg.lu,
lu_factor, lu_factor_ex, lu_solve; torch.lu, torch.lu_unpack, torch.lu_solve (Tensor.lu,
Tensor.lu_solve).

The factorization is LAPACK getrf's right-looking elimination, written here: at step j the
pivot is the first entry of largest magnitude in column j on or below the diagonal (idamax),
its row is swapped up, the column below is scaled by the pivot's reciprocal and the trailing
block takes the rank-1 update. A zero pivot leaves its column as it is and sets `info` to the
first such step (1-based), as getrf does. The rules are PyTorch's linalg_lu_backward (written
here from the derivation in their docstrings) on gradsh's own ops, so create_graph records them.
"""


import numpy as np

from .. import errors
from ..return_types import return_type
from ..tensor import Tensor
from .base import make, needs_grad, record, rule, save, save_out
from .getrf import getrf
from .dense import (_H, _batch_prefix, _lifted, _mT, _short, _tensor_arg,
                    linalg_solve_triangular, _substitute)
from .registry import declare
from .shape import cat
from ..meta import as_array

LuResult = return_type("linalg_lu", ("P", "L", "U"))
LuFactorResult = return_type("linalg_lu_factor", ("LU", "pivots"))
LuFactorExResult = return_type("linalg_lu_factor_ex", ("LU", "pivots", "info"))
LuWithInfoResult = return_type("_lu_with_info", ("LU", "pivots", "info"))
LuUnpackResult = return_type("lu_unpack", ("P", "L", "U"))

_NOT_PIVOTING = "LU without pivoting is not implemented on the CPU"


# ----- the factorization (getrf) ---------------------------------------------------------------
def permutation(piv, m, dtype):
    """The matrix P of A = P L U from getrf's pivots (..., k): P[perm[i], i] = 1, where perm
    applies the row swaps in order."""
    batch, k = piv.shape[:-1], piv.shape[-1]
    if piv.size == 0 or m == 0:
        return np.broadcast_to(np.eye(m, dtype=dtype), batch + (m, m)).copy()
    flat = piv.reshape((-1, k)).astype(np.int64) - 1
    perm = np.tile(np.arange(m), (flat.shape[0], 1))
    rows = np.arange(flat.shape[0])
    for j in range(k):
        p = flat[:, j]
        top = perm[rows, j].copy()
        perm[rows, j] = perm[rows, p]
        perm[rows, p] = top
    P = np.zeros((flat.shape[0], m, m), dtype)
    P[rows[:, None], perm, np.arange(m)[None, :]] = 1
    return P.reshape(batch + (m, m))


def lapack_layout(x):
    """x laid out as LAPACK returns it (PyTorch's strides): each matrix column-major, a
    size-1 dimension's stride too (numpy would give it the item size)."""
    x = np.asarray(x)
    if x.ndim < 2:
        return np.ascontiguousarray(x)
    m, n = x.shape[-2:]
    buf = np.empty(x.size, x.dtype)
    size = x.itemsize
    batch = []
    step = m * n * size
    for s in reversed(x.shape[:-2]):
        batch.insert(0, step)
        step *= s
    out = np.lib.stride_tricks.as_strided(buf, x.shape, tuple(batch) + (size, max(m, 1) * size))
    out[...] = x
    return out


def _unpack_arrays(lu, k):
    """(L, U) of a packed LU: L (..., m, k) unit lower, U (..., k, n) upper."""
    L = np.tril(lu[..., :, :k], -1)
    idx = np.arange(k)
    L[..., idx, idx] = 1
    return L, np.triu(lu[..., :k, :])


# ----- checks -----------------------------------------------------------------------------------
def _lu_checks(A, name, pivot):
    d = A._data
    if d.ndim < 2:
        raise RuntimeError(f"{name}: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(d.shape)} instead")
    if d.dtype.kind not in "fVc" or d.dtype.itemsize < 4:
        raise NotImplementedError(f"\"lu_cpu\" not implemented for '{_short(d.dtype)}'")
    if not pivot:
        raise RuntimeError(f"linalg.lu_factor: {_NOT_PIVOTING}")


def _singular(name, d, info):
    flat = info.reshape(-1)
    i = int(np.flatnonzero(flat)[0])
    k = int(flat[i])
    return RuntimeError(f"{name}: {_batch_prefix(d, i)}U[{k},{k}] is zero and using it on "
                        "lu_solve would result in a division by zero. If you still want to "
                        "perform the factorization, consider calling linalg.lu(A, pivot) or "
                        "linalg.lu_factor_ex(A, pivot)")


# ----- the rules --------------------------------------------------------------------------------
def lu_backward(gL, gU, P, L, U):
    """PyTorch's linalg_lu_backward for A = P L U (L unit lower m x k, U upper k x n). With
    X = P^T dA the perturbation splits as L^-1 dL (strictly lower) + dU U^-1 (upper) on the
    square block, which gives, with G collecting the cotangents:
      square: gA = P L^-H G U^-H,           G = tril(L^H gL, -1) + triu(gU U^H)
      wide:   gA = P L^-H [G U1^-H, gU2],   G = tril(L^H gL - gU2 U2^H, -1) + triu(gU1 U1^H)
      tall:   gA = P [L1^-H G; gL2] U^-H,   G = tril(L1^H gL1, -1) + triu(gU U^H - L2^H gL2)
    (a missing cotangent counts as zero)."""
    m, n = L.shape[-2], U.shape[-1]
    k = min(m, n)
    zero = make(np.zeros((), L._data.dtype))
    if gL is None:
        gL = zero.expand(*L.shape)
    if gU is None:
        gU = zero.expand(*U.shape)
    if m == n:
        G = (_mT(L) @ gL).tril(-1) + (gU @ _mT(U)).triu()
        gA = linalg_solve_triangular(_mT(U), G, upper=False, left=False)
        gA = linalg_solve_triangular(_mT(L), gA, upper=True, unitriangular=True)
    elif m < n:
        U1, U2, gU1, gU2 = U[..., :, :k], U[..., :, k:], gU[..., :, :k], gU[..., :, k:]
        G = (_mT(L) @ gL - gU2 @ _mT(U2)).tril(-1) + (gU1 @ _mT(U1)).triu()
        gX = cat([linalg_solve_triangular(_mT(U1), G, upper=False, left=False), gU2], -1)
        gA = linalg_solve_triangular(_mT(L), gX, upper=True, unitriangular=True)
    else:
        L1, L2, gL1, gL2 = L[..., :k, :], L[..., k:, :], gL[..., :k, :], gL[..., k:, :]
        G = (_mT(L1) @ gL1).tril(-1) + (gU @ _mT(U) - _mT(L2) @ gL2).triu()
        gX = cat([linalg_solve_triangular(_mT(L1), G, upper=True, unitriangular=True), gL2], -2)
        gA = linalg_solve_triangular(_mT(U), gX, upper=False, left=False)
    return P @ gA


@rule(n_outputs=3)
@_lifted
def LinalgLuBackward0(need, g, P, L, U):
    return (lu_backward(g[1], g[2], P, L, U),)


def _unpack(LU, pivots):
    """(L, U) of a packed LU tensor through lu_unpack, as PyTorch's rules unpack it (recorded:
    the rules differentiate them again)."""
    _, L, U = lu_unpack(LU, pivots, True, False)
    return L, U


def _split_packed(g, m, n):
    """The cotangents of L and U of a cotangent of the packed LU (the parts each one reads)."""
    k = min(m, n)
    return g[..., :, :k].tril(-1), g[..., :k, :].triu()


@rule
@_lifted
def LinalgLuFactorExBackward0(need, g, LU, pivots, P):
    m, n = LU.shape[-2:]
    L, U = _unpack(LU, pivots)
    gL, gU = _split_packed(g, m, n)
    return (lu_backward(gL, gU, P, L, U),)


@rule
@_lifted
def LinalgLuSolveBackward0(need, g, LU, pivots, P, result, left, adjoint):
    """X solves op(A) X = B (X op(A) = B) with A = P L U from the packed LU: gB by the solve
    with the other adjoint; gA by the solve's rule; then gLU through dA = P (dL U + L dU):
    tril(P^T gA U^H, -1) + triu(L^H P^T gA) (written with _H: it holds for complex values)."""
    gB = _lu_solve(LU, pivots, g, left, not adjoint)
    gLU = None
    if need[0]:
        X = result
        if left:
            gA = -(gB @ _H(X)) if not adjoint else -(X @ _H(gB))
        else:
            gA = -(_H(X) @ gB) if not adjoint else -(_H(gB) @ X)
        L, U = _unpack(LU, pivots)
        PtgA = _mT(P) @ gA
        gLU = (PtgA @ _H(U)).tril(-1) + (_H(L) @ PtgA).triu()
    return (gLU, None, gB if need[2] else None)


LinalgLuSolveBackward0.complex_rule = True


@rule(n_outputs=3)
@_lifted
def LuUnpackBackward0(need, g, m, n):
    """The packed LU's cotangent: L's strictly lower part and U's upper part, padded to m x n."""
    gL, gU = g[1], g[2]
    if gL is not None and gL.ndim < 2 or gU is not None and gU.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")  # (as PyTorch)
    k = min(m, n)
    out = None
    if gL is not None:
        out = gL.tril(-1)
        if n > k:
            out = cat([out, make(np.zeros(out.shape[:-1] + (n - k,), out._data.dtype))], -1)
    if gU is not None:
        up = gU.triu()
        if m > k:
            up = cat([up, make(np.zeros(up.shape[:-2] + (m - k, n), up._data.dtype))], -2)
        out = up if out is None else out + up
    return (out,)


def _attach(outs, cls, inputs, saved):
    """Record one node for the differentiable outputs `outs` ({output number: tensor})."""
    items = sorted(outs.items())
    node = record(items[0][1], cls, inputs, saved)
    for nr, o in items:
        o._grad_fn = node
        o._requires_grad = True
        o._output_nr = nr
    return node


# ----- the factorizations -----------------------------------------------------------------------
def _factor(A, name, pivot, check):
    _lu_checks(A, name, pivot)
    d = A._data
    lu, piv, info = getrf(d)
    if check and info.any():
        raise _singular(name if name.startswith("torch.") else "torch." + name, d, info)
    LU = make(lapack_layout(lu))
    if needs_grad(A):
        P = permutation(piv, d.shape[-2], d.dtype)
        record(LU, LinalgLuFactorExBackward0, (A,), (save_out(LU, "LU"), piv, P))
    return LU, make(np.ascontiguousarray(piv)), make(as_array(info, np.int32))


def linalg_lu_factor_ex(A, *, pivot=True, check_errors=False):
    """(LU, pivots, info) of A (batches too); info > 0 where U has a zero on its diagonal."""
    _tensor_arg(A, "linalg_lu_factor_ex", "A")
    _lu_checks(A, "torch.lu_factor", pivot)
    return LuFactorExResult._of(*_factor(A, "linalg.lu_factor_ex", pivot, check_errors))


def linalg_lu_factor(A, *, pivot=True):
    """(LU, pivots) of A; raises where U has a zero on its diagonal."""
    _tensor_arg(A, "linalg_lu_factor", "A")
    _lu_checks(A, "torch.lu_factor", pivot)
    return LuFactorResult._of(*_factor(A, "linalg.lu_factor", pivot, True)[:2])


def linalg_lu(A, *, pivot=True):
    """(P, L, U) with A = P L U; a singular A factors without an error."""
    _tensor_arg(A, "linalg_lu", "A")
    _lu_checks(A, "linalg.lu", pivot)
    d = A._data
    m, n = d.shape[-2:]
    lu, piv, _ = getrf(d)
    L, U = _unpack_arrays(lu, min(m, n))
    P = make(permutation(piv, m, d.dtype))
    Lt, Ut = make(np.ascontiguousarray(L)), make(np.ascontiguousarray(U))
    if needs_grad(A):
        Lt._output_nr, Ut._output_nr = 1, 2  # (before they are saved: a saved output keeps it)
        _attach({1: Lt, 2: Ut}, LinalgLuBackward0, (A,),
                (P._data, save_out(Lt, "L"), save_out(Ut, "U")))
    return LuResult._of(P, Lt, Ut)


_LU_DEPRECATED = (
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and "
    "will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\n"
    "should be replaced with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\n"
    "LU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\n"
    "LU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)")


@declare(function=True)
def lu(self, pivot=True, get_infos=False):
    """Deprecated: torch.linalg.lu_factor_ex; (LU, pivots), and info with get_infos (a singular
    matrix is not an error here)."""
    if not isinstance(self, Tensor):  # (PyTorch's Python torch.lu calls _lu_with_info)
        raise TypeError("_lu_with_info(): argument 'input' (position 1) must be Tensor, not "
                        f"{errors.type_name(self)}")
    errors.warn(_LU_DEPRECATED, UserWarning, stacklevel=2)
    out = _factor(self, "linalg.lu_factor", pivot, False)
    return LuWithInfoResult._of(*out) if get_infos else out[:2]


# ----- unpacking and solving --------------------------------------------------------------------
def _unpack_checks(LU, pivots):
    if pivots._data.dtype != np.int32:
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of "
                           "torch.int32 dtype.\nNote: this function is intended to be used with "
                           "the output produced by torch.linalg.lu_factor")
    m = LU._data.shape[-2]
    p = pivots._data
    if p.size and (p.min() < 1 or p.max() > m):
        raise RuntimeError("pivots passed to lu_unpack must be between 1 and LU.size(-2) "
                           "inclusive.Did you properly pass the result of lu_factor?")


@declare(method=False, tensor_first="LU_data")
def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True):
    """(P, L, U) of a packed LU and its pivots (an empty tensor for a part not unpacked)."""
    _unpack_checks(LU_data, LU_pivots)
    d = LU_data._data
    m, n = d.shape[-2:]
    empty = make(np.zeros((0,), d.dtype))
    P = make(permutation(LU_pivots._data, m, d.dtype)) if unpack_pivots else empty
    if unpack_data:
        L, U = _unpack_arrays(d, min(m, n))
        Lt, Ut = make(np.ascontiguousarray(L)), make(np.ascontiguousarray(U))
    else:  # (PyTorch still records the node on the two empty results)
        Lt, Ut = make(np.zeros((0,), d.dtype)), make(np.zeros((0,), d.dtype))
    if needs_grad(LU_data):
        _attach({1: Lt, 2: Ut}, LuUnpackBackward0, (LU_data,), (m, n))
    return LuUnpackResult._of(P, Lt, Ut)


def _solve_arrays(lu, piv, b, left, adjoint):
    """X of op(A) X = B (X op(A) = B), A = P L U from the packed lu; batches broadcast."""
    n = lu.shape[-1]
    if not left:  # X op(A) = B  <=>  op(A)^T X^T = B^T, and op(A)^T = conj(op'(A)) for complex
        bt = np.swapaxes(b, -1, -2)
        if lu.dtype.kind == "c":
            return np.swapaxes(_solve_arrays(lu, piv, bt.conj(), True, not adjoint).conj(), -1, -2)
        return np.swapaxes(_solve_arrays(lu, piv, bt, True, not adjoint), -1, -2)
    try:
        batch = np.broadcast_shapes(lu.shape[:-2], piv.shape[:-1], b.shape[:-2])
    except ValueError:  # PyTorch's words, the right-hand side as tensor a
        raise errors.broadcast_error(b.shape[:-2], lu.shape[:-2]) from None
    lu = np.broadcast_to(lu, batch + lu.shape[-2:])
    P = np.broadcast_to(permutation(np.broadcast_to(piv, batch + piv.shape[-1:]), n, lu.dtype),
                        batch + (n, n))
    b = np.broadcast_to(b, batch + b.shape[-2:])
    L, U = _unpack_arrays(lu, n)
    with np.errstate(all="ignore"):
        if not adjoint:  # L U X = P^T B
            y = _substitute(L, np.swapaxes(P, -1, -2) @ b, False)
            x = _substitute(U, y, True)
        else:  # U^H L^H P^T X = B (U^T L^T for a real A)
            y = _substitute(np.swapaxes(U, -1, -2).conj(), b, False)
            x = P @ _substitute(np.swapaxes(L, -1, -2).conj(), y, True)
    return x.astype(lu.dtype, copy=False)


def _lu_solve(LU, pivots, B, left, adjoint):
    """The recorded lu_solve (also the rule's gB, so create_graph records it)."""
    x = _solve_arrays(LU._data, pivots._data, B._data, left, adjoint)
    # LAPACK's column-major result; on the right it is the transpose of one (row-major)
    out = make(lapack_layout(x) if left else
               np.swapaxes(lapack_layout(np.swapaxes(x, -1, -2)), -1, -2))
    if needs_grad(LU, B):
        P = permutation(pivots._data, LU._data.shape[-1], LU._data.dtype)
        record(out, LinalgLuSolveBackward0, (LU, pivots, B),
               (save(LU, "LU"), pivots._data, P, save_out(out, "result"), left, adjoint))
    return out


def _solve_checks(LU, pivots, B, left):
    name = "linalg.lu_solve"
    Ld, Bd = LU._data, B._data
    if Bd.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor B must have at least 2 dimensions.")
    if Ld.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor LU must have at least 2 dimensions.")
    if Ld.shape[-1] != Ld.shape[-2]:
        raise RuntimeError(f"torch.{name}: A must be batches of square matrices, but they are "
                           f"{Ld.shape[-2]} by {Ld.shape[-1]} matrices")
    if Ld.dtype.kind not in "fVc":
        raise RuntimeError(f"torch.{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_short(Ld.dtype)}")
    if Ld.dtype != Bd.dtype:
        raise RuntimeError(f"{name}: Expected LU and B to have the same dtype, but found LU of "
                           f"type {_short(Ld.dtype)} and B of type {_short(Bd.dtype)} instead")
    if pivots._data.dtype != np.int32:
        raise RuntimeError(f"{name}: pivots should be a Tensor of scalar type torch.int32")
    n = Ld.shape[-1]
    if (Bd.shape[-2] if left else Bd.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation {eq} "
                           f"({n}x{n} and {Bd.shape[-2]}x{Bd.shape[-1]})")
    if Ld.dtype.kind not in "fVc" or Ld.dtype.itemsize < 4:
        raise NotImplementedError(f"\"linalg.lu_solve_cpu\" not implemented for "
                                  f"'{_short(Ld.dtype)}'")


def linalg_lu_solve(LU, pivots, B, *, left=True, adjoint=False):
    """X with A X = B (X A = B when not left; A^H for adjoint), A given by lu_factor."""
    for arg, x in (("LU", LU), ("pivots", pivots), ("B", B)):
        if not isinstance(x, Tensor):
            pos = ("LU", "pivots", "B").index(arg) + 1
            raise TypeError(f"linalg_lu_solve(): argument '{arg}' (position {pos}) must be "
                            f"Tensor, not {type(x).__name__}")
    _solve_checks(LU, pivots, B, left)
    return _lu_solve(LU, pivots, B, left, adjoint)


_LU_SOLVE_DEPRECATED = (
    "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a "
    "future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\n"
    "X = torch.lu_solve(B, LU, pivots)\nshould be replaced with\n"
    "X = torch.linalg.lu_solve(LU, pivots, B)")


@declare(tensor_first=True)
def lu_solve(self, LU_data, LU_pivots):
    """Deprecated: torch.linalg.lu_solve(LU_data, LU_pivots, self)."""
    errors.warn(_LU_SOLVE_DEPRECATED, UserWarning, stacklevel=2)
    _solve_checks(LU_data, LU_pivots, self, True)
    return _lu_solve(LU_data, LU_pivots, self, True, False)
