"""torch.linalg.ldl_factor / ldl_factor_ex / ldl_solve: A = P L D L^T P^T of a symmetric
matrix by Bunch and Kaufman's partial pivoting (1977; 1 x 1 and 2 x 2 pivots chosen with
alpha = (1 + sqrt(17)) / 8), read from A's lower triangle, in LAPACK's compact form as PyTorch
returns it: L's multipliers below D's blocks in `LD`, 1-based `pivots` (k: row k was swapped
in for a 1 x 1 block; -k twice: for a 2 x 2 block). As in PyTorch neither derives (their
results show the NotImplemented node; backward raises). Real symmetric matrices only
(hermitian=True is the same for them)."""

import math

import numpy as np

from .. import errors
from ..return_types import return_type
from ..tensor import Tensor
from .base import make, needs_grad, record, record_multi
from .dense import _short
from .pointwise import NotImplementedBackward
from . import lapack

LdlFactorResult = return_type("linalg_ldl_factor", ("LD", "pivots"))
LdlFactorExResult = return_type("linalg_ldl_factor_ex", ("LD", "pivots", "info"))
_ALPHA = (1.0 + math.sqrt(17.0)) / 8.0


def _swap(a, k, p, kstep):
    """Interchange rows and columns kk = k + kstep - 1 and p of the trailing lower triangle."""
    kk = k + kstep - 1
    n = a.shape[0]
    if p < n - 1:
        a[p + 1:, kk], a[p + 1:, p] = a[p + 1:, p].copy(), a[p + 1:, kk].copy()
    between = a[kk + 1:p, kk].copy()
    a[kk + 1:p, kk] = a[p, kk + 1:p]
    a[p, kk + 1:p] = between
    a[kk, kk], a[p, p] = a[p, p], a[kk, kk]
    if kstep == 2:
        a[k + 1, k], a[p, k] = a[p, k], a[k + 1, k]


def _factor(a):
    """Bunch-Kaufman on the lower triangle of `a` (a copy, written in place): (a, pivots,
    info), info the 1-based column of the first zero pivot, 0 if none."""
    n = a.shape[0]
    piv = np.zeros(n, np.int32)
    info = 0
    k = 0
    while k < n:
        kstep = 1
        diag = abs(a[k, k])
        if k < n - 1:
            imax = k + 1 + int(np.argmax(np.abs(a[k + 1:, k])))
            colmax = abs(a[imax, k])
        else:
            imax, colmax = k, 0.0
        if max(diag, colmax) == 0 or math.isnan(diag):
            info = info or k + 1
            p = k
        elif diag >= _ALPHA * colmax:
            p = k
        else:
            rowmax = np.abs(a[imax, k:imax]).max()
            if imax < n - 1:
                rowmax = max(rowmax, np.abs(a[imax + 1:, imax]).max())
            if diag >= _ALPHA * colmax * (colmax / rowmax):
                p = k
            elif abs(a[imax, imax]) >= _ALPHA * rowmax:
                p = imax
            else:
                p, kstep = imax, 2
        if p != k + kstep - 1:
            _swap(a, k, p, kstep)
        if max(diag, colmax) != 0 and not math.isnan(diag):
            if kstep == 1:
                if k < n - 1:
                    r = 1.0 / a[k, k]
                    col = a[k + 1:, k].copy()
                    a[k + 1:, k + 1:] -= np.tril(r * np.outer(col, col))
                    a[k + 1:, k] = col * r
            elif k < n - 2:
                d21 = a[k + 1, k]
                d11 = a[k + 1, k + 1] / d21
                d22 = a[k, k] / d21
                t = 1.0 / (d11 * d22 - 1.0)
                d21 = t / d21
                for j in range(k + 2, n):
                    wk = d21 * (d11 * a[j, k] - a[j, k + 1])
                    wkp1 = d21 * (d22 * a[j, k + 1] - a[j, k])
                    a[j:, j] -= a[j:, k] * wk + a[j:, k + 1] * wkp1
                    a[j, k], a[j, k + 1] = wk, wkp1
        if kstep == 1:
            piv[k] = p + 1
        else:
            piv[k] = piv[k + 1] = -(p + 1)
        k += kstep
    return np.tril(a), piv, info


def _check_A(A, name):
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' (position 1) must be Tensor, not "
                        f"{errors.type_name(A)}")
    if A.ndim < 2:
        raise RuntimeError(f"torch.{name}: The input tensor A must have at least 2 dimensions.")
    m, n = A.shape[-2:]
    if m != n:
        raise RuntimeError(f"torch.{name}: A must be batches of square matrices, but they are "
                           f"{m} by {n} matrices")
    d = A._data.dtype
    if d.kind in "fV" and d.itemsize < 4:  # float16, bfloat16: PyTorch has no such kernel
        raise NotImplementedError(f'"ldl_factor_kernel_cpu" not implemented for \'{_short(d)}\'')
    if d.kind not in "fc":
        raise RuntimeError(f"torch.{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_short(d)}")
    if d.kind == "c":
        raise NotImplementedError("gradsh's ldl_factor is for real symmetric matrices only "
                                  "(docs/autograd.md)")


def _factor_all(A):
    d = A._data
    n = d.shape[-1]
    if d.size == 0:  # (nothing to factor: reshape(-1, 0, 0) is ambiguous)
        return (d.copy(), np.zeros(d.shape[:-1], np.int32), np.zeros(d.shape[:-2], np.int32))
    flat = d.reshape((-1, n, n))
    lds, pivs, infos = [], [], []
    for mat in flat:
        ld, piv, info = _factor(mat.astype(np.float64).copy())
        lds.append(ld.astype(d.dtype))
        pivs.append(piv)
        infos.append(info)
    ld = np.stack(lds).reshape(d.shape) if lds else d.copy()
    piv = np.stack(pivs).reshape(d.shape[:-1]) if pivs else np.zeros(d.shape[:-1], np.int32)
    info = np.array(infos, np.int32).reshape(d.shape[:-2])
    return ld, piv, info


def linalg_ldl_factor_ex(A, *, hermitian=False, check_errors=False):
    """(LD, pivots, info): the Bunch-Kaufman factorization of symmetric A (its lower triangle)."""
    _check_A(A, "linalg.ldl_factor_ex")
    ld, piv, info = _factor_all(A)
    LD = make(ld)
    if needs_grad(A):
        record_multi([LD], NotImplementedBackward, (A,), ("linalg_ldl_factor_ex",))
    return LdlFactorExResult._of(LD, make(piv), make(info))


def linalg_ldl_factor(A, *, hermitian=False):
    """(LD, pivots) of linalg_ldl_factor_ex; a zero pivot is PyTorch's (internal) error."""
    _check_A(A, "linalg.ldl_factor_ex")
    LD, piv, info = linalg_ldl_factor_ex(A, hermitian=hermitian)
    bad = info._data.reshape(-1)
    if bad.size and bad.max() > 0:
        raise RuntimeError('false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/'
                           'native/BatchLinearAlgebra.cpp":1642, please report a bug to PyTorch. '
                           f"torch.linalg.ldl_factor: Unknown error code: {int(bad.max())}.")
    return LdlFactorResult._of(LD, piv)


def _solve_one(ld, piv, b):
    """x with A x = b, A = P L D L^T P^T read from (ld, piv)."""
    n = ld.shape[0]
    x = b.copy()
    k = 0  # forward: L D y = P^T b, one block at a time
    while k < n:
        if piv[k] > 0:
            p = piv[k] - 1
            x[[k, p]] = x[[p, k]]
            x[k + 1:] -= np.outer(ld[k + 1:, k], x[k])
            x[k] = x[k] / ld[k, k]
            k += 1
        else:
            p = -piv[k] - 1
            x[[k + 1, p]] = x[[p, k + 1]]
            x[k + 2:] -= np.outer(ld[k + 2:, k], x[k]) + np.outer(ld[k + 2:, k + 1], x[k + 1])
            d = np.array([[ld[k, k], ld[k + 1, k]], [ld[k + 1, k], ld[k + 1, k + 1]]])
            x[k:k + 2] = lapack.solve(d, x[k:k + 2])
            k += 2
    k = n - 1  # backward: L^T, then the interchanges in reverse
    while k >= 0:
        if piv[k] > 0:
            x[k] -= ld[k + 1:, k] @ x[k + 1:]
            p = piv[k] - 1
            x[[k, p]] = x[[p, k]]
            k -= 1
        else:
            x[k] -= ld[k + 1:, k] @ x[k + 1:]
            x[k - 1] -= ld[k + 1:, k - 1] @ x[k + 1:]
            p = -piv[k] - 1
            x[[k, p]] = x[[p, k]]
            k -= 2
    return x


def linalg_ldl_solve(LD, pivots, B, *, hermitian=False):
    """The solution X of A X = B from ldl_factor's (LD, pivots)."""
    n = LD.shape[-1]
    if B.shape[-2] != n:
        raise RuntimeError(f"Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix "
                           f"is {n} by {n} but each b matrix is {B.shape[-2]} by {B.shape[-1]}")
    if B._data.dtype != LD._data.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{_short(B._data.dtype)} and A of type {_short(LD._data.dtype)} "
                           "instead.")
    ld, piv, b = LD._data, pivots._data.astype(np.int64), B._data
    batch = np.broadcast_shapes(ld.shape[:-2], b.shape[:-2])
    count = math.prod(batch)  # (not -1: ambiguous for an empty n)
    ld = np.broadcast_to(ld, batch + ld.shape[-2:]).reshape((count, n, n))
    piv = np.broadcast_to(piv, batch + (n,)).reshape((count, n))
    bb = np.broadcast_to(b, batch + b.shape[-2:]).reshape((count,) + b.shape[-2:])
    out = np.stack([_solve_one(ld[i].astype(np.float64), piv[i], bb[i].astype(np.float64))
                    for i in range(len(bb))]) if len(bb) else bb.astype(np.float64)
    X = make(np.ascontiguousarray(out.reshape(batch + b.shape[-2:]).astype(b.dtype)))
    if needs_grad(LD, B):
        record(X, NotImplementedBackward, (LD, B), ("linalg_ldl_solve",))
    return X
