"""Dense linear algebra (torch.linalg's solvers and decompositions): inv, det, slogdet, solve,
cholesky, eigh, svd, qr and the names composed of them.

numpy.linalg (LAPACK) computes the values: the same LAPACK routines PyTorch's CPU kernels call
(getrf/getri or gesv, potrf, syevd, gesdd, geqrf/orgqr), from another BLAS build, so results
agree to the last few bits (docs/autograd.md, "Linear algebra"). Each op records PyTorch's node
(LinalgInvExBackward0, LinalgDetBackward0, ...) whose rule is written with gradsh's own tensor
ops, so create_graph=True differentiates it again. A rule receives arrays in the engine's fast
lane and tensors under create_graph; `_lifted` runs the rule's tensor code on both.
"""

import functools
import math

import numpy as np

from .. import autocast as _amp
from .. import errors
from ..dtypes import as_dtype
from ..promotion import can_cast
from ..return_types import return_type
from ..tensor import TENSOR_TYPES, Tensor
from .getrf import getrf
from .base import dim_arg, make, needs_grad, record, record_multi, rule, save, save_out, torch_dtype
from .linalg import mm, vdot
from .pointwise import mul_scalar, where
from .reduce import _prod_safe_zeros, norm as _vector_norm, norm_dtype_checks
from .shape import cat
from .registry import declare
from . import lapack
from ..memory import check_flops
from ..meta import as_array


def _sizes(t):
    return "x".join(map(str, t.shape))


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a RuntimeError raised where a matrix is singular or not
    positive-definite (PyTorch's class is torch._C._LinAlgError)."""


LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"
LinAlgError.__module__ = "torch._C"

InvExResult = return_type("linalg_inv_ex", ("inverse", "info"))
LinalgSlogdetResult = return_type("linalg_slogdet", ("sign", "logabsdet"))
SlogdetResult = return_type("slogdet", ("sign", "logabsdet"))
SolveExResult = return_type("linalg_solve_ex", ("result", "info"))
CholeskyExResult = return_type("linalg_cholesky_ex", ("L", "info"))
EighResult = return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
LinalgSvdResult = return_type("linalg_svd", ("U", "S", "Vh"))
SvdResult = return_type("svd", ("U", "S", "V"))
LinalgQrResult = return_type("linalg_qr", ("Q", "R"))
QrResult = return_type("qr", ("Q", "R"))

_LOW = (np.dtype(np.float16),)


# ----- checks, with PyTorch's messages --------------------------------------------------------
def _short(d):
    return torch_dtype(d)._short


def _at_least_2d(A, name, arg="A"):
    if A._data.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {arg} must have at least 2 dimensions.")


def _square(A, name, arg="A"):
    _at_least_2d(A, name, arg)
    m, n = A._data.shape[-2:]
    if m != n:
        raise RuntimeError(f"{name + ': ' if name else ''}{arg} must be batches of square "
                           f"matrices, but they are {m} by {n} matrices")


# the ops whose float16 or bfloat16 input reaches a LAPACK kernel that PyTorch has no such
# version of (its NotImplementedError names the kernel, measured for both dtypes; the others
# refuse low precision)
_LOW_PRECISION_KERNEL = {"linalg.det": "lu_cpu", "linalg.solve": "lu_cpu",
                         "linalg.cholesky": "cholesky_cpu", "linalg.eigh": "linalg_eigh_cpu",
                         "linalg.svd": "linalg_svd_cpu", "linalg.qr": "geqrf_cpu"}


# the ops whose rules hold for complex matrices conjugated around (node.complex_variant): each
# rule is products, inverses and solves with real coefficients, so the conjugate of the rule
# on conj(grad) is PyTorch's formula with A^H for A^T (branch cplx2)
_COMPLEX_OK = frozenset(("linalg.inv", "linalg.det", "linalg.solve", "linalg.slogdet",
                         "linalg.svd", "linalg.eigh", "linalg.cholesky", "linalg.qr",
                         "linalg.lstsq", "linalg.pinv", "linalg.matrix_exp",
                         "linalg.solve_triangular", "linalg.matrix_rank", "linalg.cond",
                         "cholesky", "cholesky_inverse"))


def _not_implemented(kernel):
    return lambda A, d: NotImplementedError(f'"{kernel}" not implemented for \'{_short(d)}\'')


def _old_float_check(A, d):
    return RuntimeError("This function doesn't handle types other than float and double")


# PyTorch's words for an integer, bool or half input, by op, where they are not the common
# "Expected a floating point or complex tensor" (measured on 2.13; branch adv12b)
_REFUSED_AS = {
    "linalg.eigh": _not_implemented("linalg_eigh_cpu"),
    "linalg.solve_triangular": _not_implemented("triangular_solve_cpu"),
    "cholesky_inverse": _not_implemented("cholesky_inverse_out_cpu"),
    "linalg.lstsq": _old_float_check,
    "linalg.matrix_rank": _old_float_check,
    "linalg.pinv": lambda A, d: RuntimeError(
        f"linalg.pinv({_short(d)}{{{list(A._data.shape)}}}): expected a tensor with 2 or more "
        "dimensions of float, double, cfloat or cdouble types"),
}


def _floating(A, name, arg="input"):
    d = A._data.dtype
    if name in _REFUSED_AS and (d.kind not in "fVc" or d in _LOW or d.itemsize < 4):
        raise _REFUSED_AS[name](A, d)
    if d.kind == "c":
        if name in _COMPLEX_OK:
            return
        # the other decompositions are real only (docs/autograd.md)
        raise NotImplementedError(f'"{name}" not implemented for \'{_short(d)}\' in gradsh')
    if (d.kind == "V" or d == np.float16) and name in _LOW_PRECISION_KERNEL:
        raise NotImplementedError(f'"{_LOW_PRECISION_KERNEL[name]}" not implemented for '
                                  f"'{_short(d)}'")
    if d.kind not in "fV" or d in _LOW or d.itemsize < 4:
        if d.kind in "fV":
            raise RuntimeError(f"{name}: Low precision dtypes not supported. Got {_short(d)}")
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as {arg}. "
                           f"Got {_short(d)}")


def _tensor_arg(x, name, pos="input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{pos}' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")


def _batch_prefix(data, flat_index):
    return f"(Batch element {flat_index}): " if data.ndim > 2 else ""


def _column_major(a):
    """a with PyTorch's layout for a LAPACK result: each matrix column-major, batches in order."""
    a = as_array(a)
    if a.ndim < 2:
        return np.ascontiguousarray(a)
    return np.swapaxes(np.ascontiguousarray(np.swapaxes(a, -1, -2)), -1, -2)


def _zero_pivot(m):
    """LAPACK getrf's info for one matrix: the 1-based index of the first zero diagonal element
    of U in the LU factorization with partial pivoting, 0 when there is none."""
    u = np.array(m, copy=True)
    n = u.shape[0]
    first = 0
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if p != k:
            u[[k, p]] = u[[p, k]]
        if u[k, k] == 0:
            if not first:
                first = k + 1
            continue
        u[k + 1:, k:] -= np.multiply.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return first


def _singular_info(d):
    """(flat batch index, getrf info) of the first singular matrix of a batch, or None."""
    flat = d.reshape((-1,) + d.shape[-2:])
    for i, m in enumerate(flat):
        info = _zero_pivot(m)
        if info:
            return i, info
    return None


def _infos(d, test):
    """int32 info per matrix of the batch d (test(matrix) gives LAPACK's info)."""
    flat = d.reshape((-1,) + d.shape[-2:])
    return np.array([test(m) for m in flat], np.int32).reshape(d.shape[:-2])


# ----- rules on arrays and tensors alike -----------------------------------------------------
def _numbered(*outs):
    """Give a multi-output op's outputs their output numbers before they are saved (a saved
    output keeps the number it had when saved)."""
    for i, o in enumerate(outs):
        o._output_nr = i


def _T(x):
    return x if x is None or type(x) in TENSOR_TYPES else make(as_array(x))


def _lifted(body):
    """A rule written with tensor ops: in the fast lane (arrays) its arguments become tensors
    that record nothing and its gradients go back as arrays."""
    @functools.wraps(body)
    def run(need, g, *saved):
        multi = type(g) is tuple or type(g) is list
        if any(type(x) in TENSOR_TYPES for x in (g if multi else (g,))):
            return body(need, g, *[_T(s) if type(s) is np.ndarray else s for s in saved])
        grads = body(need, tuple(map(_T, g)) if multi else _T(g),
                     *[_T(s) if isinstance(s, np.ndarray) else s for s in saved])
        return tuple(x._data if type(x) in TENSOR_TYPES else x for x in grads)
    return run


def _mT(t):
    return t.transpose(-2, -1)


def _H(t):
    """The conjugate transpose of a complex matrix, the transpose of a real one: PyTorch's
    formulas written with mH hold for both (branch cplxdist)."""
    return t.transpose(-2, -1).conj() if t._data.dtype.kind == "c" else t.transpose(-2, -1)


def _eye_like(n, t):
    return make(np.eye(n, dtype=t._data.dtype))


def _expand_last2(v):
    return v.unsqueeze(-1).unsqueeze(-1)


# ----- inverse --------------------------------------------------------------------------------
@rule
@_lifted
def LinalgInvExBackward0(need, g, inverse):
    """derivatives.yaml: -inverse.mH() @ (grad @ inverse.mH())."""
    return (-(_mT(inverse) @ (g @ _mT(inverse))),)


def _inv_values(A, name, check):
    d = A._data
    try:
        out = lapack.inv(d)
        info = np.zeros(d.shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        bad = _singular_info(d)
        if check:
            i, k = bad if bad else (0, d.shape[-1])
            raise LinAlgError(f"{name}: {_batch_prefix(d, i)}The diagonal element {k} is zero, "
                              "the inversion could not be completed because the input matrix "
                              "is singular.") from None
        info = _infos(d, _zero_pivot)
        out = np.empty(d.shape, d.dtype)
        good = info == 0
        if good.any():
            out[good] = lapack.inv(d[good])
        out[~good] = _singular_solve(d[~good], np.eye(d.shape[-1], dtype=d.dtype))[0]
    return out, info


def getrf_info(d):
    """getrf's info for each matrix: the first zero pivot's step (1-based), else 0."""
    return getrf(d)[2]


def _singular_solve(d, rhs, transposed=False):
    """What LAPACK leaves for A X = rhs (A^T X = rhs when transposed) when A is singular, and
    getrf's info (PyTorch's inv_ex and solve_ex: getrf of A, then the two triangular solves):
    the triangular solves multiply by each pivot's reciprocal, so a zero pivot spreads inf and
    nan as there."""
    n = d.shape[-1]
    lu, piv, info = getrf(d)
    lu, piv = lu.reshape(-1, n, n), piv.reshape(-1, n) - 1
    rows = np.arange(lu.shape[0])
    b = np.broadcast_to(rhs, d.shape[:-2] + rhs.shape[-2:]).reshape(
        (-1,) + rhs.shape[-2:]).astype(np.result_type(d, rhs))

    def swap(j):
        top = b[rows, j].copy()
        b[rows, j] = b[rows, piv[:, j]]
        b[rows, piv[:, j]] = top

    with np.errstate(all="ignore"):
        if not transposed:  # L U x = P^T rhs: the swaps, unit-lower, then upper
            for j in range(n):
                swap(j)
            for k in range(n):
                b[:, k + 1:] -= lu[:, k + 1:, k, None] * b[:, k, None]
            for k in range(n - 1, -1, -1):
                b[:, k] *= (1 / lu[:, k, k])[:, None]
                b[:, :k] -= lu[:, :k, k, None] * b[:, k, None]
        else:  # U^T L^T P^T x = rhs: lower (U^T), unit-upper (L^T), then the swaps undone
            for k in range(n):
                b[:, k] *= (1 / lu[:, k, k])[:, None]
                b[:, k + 1:] -= lu[:, k, k + 1:, None] * b[:, k, None]
            for k in range(n - 1, -1, -1):
                b[:, :k] -= lu[:, k, :k, None] * b[:, k, None]
            for j in range(n - 1, -1, -1):
                swap(j)
    return b.reshape(d.shape[:-2] + rhs.shape[-2:]), info


def _inv(A, name, check, singular_name=None):
    """(inverse, info); a singular matrix's error names singular_name (PyTorch's inv_ex says
    linalg.inv_ex there, tensorinv inv) where the argument checks name `name`."""
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        A = _amp.widen(A)
    _square(A, name)
    _floating(A, name)
    out, info = _inv_values(A, singular_name or name, check)
    inverse = make(_column_major(out.astype(A._data.dtype, copy=False)))
    if needs_grad(A):
        record(inverse, LinalgInvExBackward0, (A,), (save_out(inverse, "inverse"),))
    return inverse, make(as_array(info, np.int32))


@declare(tensor_first=True)
def inverse(self):
    """The inverse of a square matrix (batches too): torch.linalg.inv."""
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        self = _amp.widen(self)
    return _inv(self, "linalg.inv", True)[0]


def linalg_inv(A):
    _tensor_arg(A, "linalg_inv", "A")
    return _inv(A, "linalg.inv", True)[0]


def linalg_inv_ex(A, *, check_errors=False):
    _tensor_arg(A, "linalg_inv_ex", "A")
    return InvExResult._of(*_inv(A, "linalg.inv", check_errors, "linalg.inv_ex"))


# ----- determinants ----------------------------------------------------------------------------
def _adjugate_t(d):
    """adj(A)^T of each matrix, from its SVD (valid for singular matrices too): for A = U S V^H,
    det(U) det(V^H) conj(U) P conj(V^H), P the products of all singular values but one."""
    u, s, vh = lapack.svd(d)
    n = s.shape[-1]
    prods = np.stack([np.prod(np.delete(s, i, axis=-1), axis=-1) for i in range(n)], -1)
    sign = lapack.det(u) * lapack.det(vh)
    if d.dtype.kind == "c":  # A^-T = conj(U) S^-1 conj(V^H)
        u, vh = u.conj(), vh.conj()
    return sign[..., None, None] * (u * prods[..., None, :]) @ vh


def _det_singular_grad(g, A):
    """The gradient of det at singular matrices under create_graph, as PyTorch takes it: through
    the SVD, det A = det U det Vh prod S, whose product rule (exclusive cumprods from both
    ends) divides by nothing; so the result is differentiable again."""
    U, S, Vh = linalg_svd(A)
    alpha = (det(U) * det(Vh)).conj() * g
    D = _prod_safe_zeros(alpha.unsqueeze(-1), S, S.dim() - 1)
    return (U * D.unsqueeze(-2)) @ Vh


def _det_grad_solve(d, gd):
    """PyTorch's gradient of det without a graph: A^H X = diag(g conj(det)) solved with the LU
    factors det took (of A^T, so a plain solve with them; a complex gradient travels
    conjugated here, as in the other rules: A^T X = diag(g det)), where a zero pivot is
    replaced by the dtype's epsilon (at a singular matrix the right-hand side is zero, so the
    gradient is zeros whose signs that solve leaves). The triangular solves take, up to order
    3, each entry's dot product in order then the pivot's reciprocal, beyond it column
    updates and a division: MKL's bits at orders 2, 3 and 8, its last bits elsewhere. One
    LU for det and its gradient keeps the two consistent near a singular matrix."""
    n = d.shape[-1]
    lu, piv, _ = getrf(np.swapaxes(d, -1, -2))
    lu, piv = lu.reshape(-1, n, n), piv.reshape(-1, n) - 1
    diag = np.einsum("bii->bi", lu)
    diag[diag == 0] = np.finfo(lu.dtype).eps
    b = np.zeros(lu.shape, lu.dtype)  # diag_embed: +0 off the diagonal
    np.einsum("bii->bi", b)[...] = gd.reshape(-1, 1)
    rows = np.arange(lu.shape[0])
    one = lu.dtype.type(1)
    with np.errstate(all="ignore"):
        for j in range(n):
            top = b[rows, j].copy()
            b[rows, j] = b[rows, piv[:, j]]
            b[rows, piv[:, j]] = top
        if n <= 3:
            for k in range(1, n):
                acc = lu[:, k, 0, None] * b[:, 0]
                for i in range(1, k):
                    acc = acc + lu[:, k, i, None] * b[:, i]
                b[:, k] -= acc
            for k in range(n - 1, -1, -1):
                if k < n - 1:
                    acc = lu[:, k, k + 1, None] * b[:, k + 1]
                    for i in range(k + 2, n):
                        acc = acc + lu[:, k, i, None] * b[:, i]
                    b[:, k] -= acc
                b[:, k] *= (one / lu[:, k, k])[:, None]
        else:  # column updates, dividing by the pivot: MKL's bits at order 8
            for k in range(n):
                b[:, k + 1:] -= lu[:, k + 1:, k, None] * b[:, k, None]
            for k in range(n - 1, -1, -1):
                b[:, k] /= lu[:, k, k, None]
                b[:, :k] -= lu[:, :k, k, None] * b[:, k, None]
    return b.reshape(d.shape)


def det_tangent_trace(d, t):
    """tr(A^-1 dA) for det's forward-mode tangent where A's LU meets a zero pivot: PyTorch
    solves with the LU det took (of A^T), the zero pivot replaced by the dtype's epsilon, so
    the tangent there is det times a finite number (a signed zero)."""
    n = d.shape[-1]
    lu, piv, _ = getrf(np.swapaxes(d, -1, -2))
    lu = lu.reshape(-1, n, n).copy()
    diag = np.einsum("bii->bi", lu)
    diag[diag == 0] = np.finfo(lu.dtype).eps
    L = np.tril(lu, -1) + np.eye(n, dtype=lu.dtype)
    U = np.triu(lu)
    S = np.broadcast_to(np.eye(n, dtype=lu.dtype), lu.shape).copy()
    rows = np.arange(lu.shape[0])
    for j, p in enumerate(np.moveaxis(piv.reshape(-1, n) - 1, -1, 0)):
        top = S[rows, j].copy()
        S[rows, j] = S[rows, p]
        S[rows, p] = top
    mT = functools.partial(np.swapaxes, axis1=-1, axis2=-2)
    with np.errstate(all="ignore"):  # S A^T = L U, so A^-1 = S^T L^-T U^-T
        x = mT(S) @ np.linalg.solve(mT(L), np.linalg.solve(mT(U), np.broadcast_to(
            t, d.shape).reshape(lu.shape)))
    return np.einsum("bii->b", x).reshape(d.shape[:-2])


@_lifted
def _det_nonsingular(need, g, A, result):
    return (_expand_last2(g * result) * _mT(linalg_inv(A)),)


@rule
def LinalgDetBackward0(need, g, A, result):
    """d det(A) = det(A) tr(A^-1 dA): grad * det * A^-T where A is invertible. Where det is
    exactly zero PyTorch gives, without a graph, the solve with a nudged LU (signed zeros);
    with one (create_graph=True), the SVD's product rule (the adjugate), put in place by
    index_put in a batch."""
    graph = type(g) in TENSOR_TYPES
    r = result._data if graph else result
    singular = r == 0
    if A.shape[-1] == 1:  # d det / dA is 1 for a 1x1 matrix, zero or not
        return ((_expand_last2(g).expand(A.shape)) if graph
                else np.broadcast_to(g[..., None, None], A.shape).copy(),)
    if not graph:
        if A.dtype.kind in "fV" or singular.any():
            return (_det_grad_solve(A, np.broadcast_to(g * r, r.shape)),)
        return _det_nonsingular(need, g, A, result)
    if not singular.any():
        return _det_nonsingular(need, g, A, result)
    A, result = (_T(x) if type(x) is np.ndarray else x for x in (A, result))
    if A.dim() == 2:
        return (_det_singular_grad(g, A),)
    mask = make(singular)
    gb = g.expand(r.shape)
    out = A.new_zeros(A.shape)
    ok = mask.logical_not()
    out = out.index_put((ok,), _expand_last2(gb[ok] * result[ok]) * _mT(linalg_inv(A[ok])))
    return (out.index_put((mask,), _det_singular_grad(gb[mask], A[mask])),)


def _det_checks(A, name):
    _square(A, name)
    _floating(A, name)


def _det_values(d):
    """PyTorch's det: the product, in order, of the diagonal of the LU factors of A^T (the
    row-major matrix read as column-major), negated for an odd number of row swaps. For real
    matrices up to order 16 it is taken so, with getrf's own bits, which are MKL's there (an
    exactly singular matrix gives PyTorch's signed zero too); beyond, and for complex ones,
    numpy's det (within the last bits: docs/autograd.md, "Linear algebra")."""
    n = d.shape[-1]
    if n > 16 or d.size == 0 or d.dtype.kind not in "fV":
        return as_array(lapack.det(d))
    lu, piv, _ = getrf(np.swapaxes(d, -1, -2))
    diag = np.diagonal(lu, axis1=-2, axis2=-1)
    out = np.multiply.reduce(diag, axis=-1)
    odd = ((piv != np.arange(1, n + 1, dtype=piv.dtype)).sum(-1) % 2).astype(bool)
    return as_array(np.where(odd, -out, out))


@declare(tensor_first=True)
def det(self):
    """The determinant of a square matrix (batches too)."""
    _det_checks(self, "linalg.det")
    out = make(_det_values(self._data))
    if needs_grad(self):
        record(out, LinalgDetBackward0, (self,), (save(self, "A"), save_out(out, "result")))
    return out


def linalg_det(A):
    _tensor_arg(A, "linalg_det", "A")
    return det(A)


@rule(n_outputs=2)
@_lifted
def LinalgSlogdetBackward0(need, g, A, sign, logabsdet):
    """d log|det A| = tr(A^-1 dA): grad_logabsdet * A^-T (the sign of a real matrix is
    piecewise constant). For a complex A, with t = tr(A^-1 dA): d logabsdet = Re t and
    d sign = sign i Im t, so a real loss moves by Re(c t), c = g_logabsdet +
    i Im(conj(g_sign) sign), and A's gradient is conj(c) A^-H (written for complex values:
    complex_rule)."""
    gs, gl = g
    if A._data.dtype.kind != "c":
        if gl is None:
            return (make(np.zeros(A._data.shape, A._data.dtype)),)
        eye = _eye_like(A._data.shape[-1], A)
        return (linalg_solve(_mT(A), _expand_last2(gl) * eye),)  # A^-T grad, as PyTorch solves it
    if gl is None and gs is None:
        return (make(np.zeros(A._data.shape, A._data.dtype)),)
    twist = None if gs is None else (gs.conj() * sign).imag * -1j
    cc = twist if gl is None else gl if twist is None else gl + twist  # conj(c)
    eye = _eye_like(A._data.shape[-1], A)
    return (linalg_solve(_mT(A).conj(), _expand_last2(cc) * eye),)


LinalgSlogdetBackward0.complex_rule = True


def _slogdet_values(d):
    """PyTorch's slogdet: from the LU factors of A^T (as det), log|det| the sum of the logs of
    the diagonal's magnitudes, with gradsh's log and sum (PyTorch's kernels and order); real
    matrices up to order 16, where getrf's bits are MKL's; numpy's slogdet beyond."""
    n = d.shape[-1]
    if n > 16 or d.size == 0 or d.dtype.kind not in "fV":
        return lapack.slogdet(d)
    lu, piv, _ = getrf(np.swapaxes(d, -1, -2))
    diag = np.diagonal(lu, axis1=-2, axis2=-1)
    odd = ((piv != np.arange(1, n + 1, dtype=piv.dtype)).sum(-1) % 2).astype(bool)
    sign = np.multiply.reduce(np.sign(diag), axis=-1)
    sign = np.where(odd, -sign, sign)
    with np.errstate(divide="ignore"):
        logabs = make(np.abs(diag)).log().sum(-1)._data
    return sign, logabs


def _slogdet(A, name, cls):
    _det_checks(A, name)
    s, l = _slogdet_values(A._data)
    d = A._data.dtype
    sign, logabsdet = make(as_array(s, d)), make(as_array(l, np.empty(0, d).real.dtype))
    if needs_grad(A):
        _numbered(sign, logabsdet)
        record_multi([sign, logabsdet], LinalgSlogdetBackward0, (A,),
                     (save(A, "A"), save_out(sign, "sign"), save_out(logabsdet, "logabsdet")))
    return cls._of(sign, logabsdet)


@declare(tensor_first=True)
def slogdet(self):
    """(sign, log|det|) of a square matrix (batches too)."""
    return _slogdet(self, "linalg.slogdet", SlogdetResult)


def linalg_slogdet(A):
    _tensor_arg(A, "linalg_slogdet", "A")
    return _slogdet(A, "linalg.slogdet", LinalgSlogdetResult)


@declare(tensor_first=True)
def logdet(self):
    """log det: PyTorch's composition, nan where the determinant is negative (WhereBackward0
    over LinalgSlogdetBackward0)."""
    _square(self, "logdet")
    if self._data.dtype.kind == "c":  # PyTorch's composition: log(sign) + logabsdet
        sign, logabsdet = _slogdet(self, "linalg.slogdet", SlogdetResult)
        return sign.log() + logabsdet
    _floating(self, "logdet")
    sign, logabsdet = _slogdet(self, "linalg.slogdet", SlogdetResult)
    nan = make(as_array(np.nan, self._data.dtype))
    return _where(sign == -1, nan, logabsdet)


def _where(cond, a, b):
    return where(cond, a, b)


# ----- solve -------------------------------------------------------------------------------------
def _vector_rhs(Ad, Bd):
    return Bd.ndim == 1 or (Bd.ndim == Ad.ndim - 1 and Bd.shape == Ad.shape[:-1])


@rule
@_lifted
def LinalgSolveExBackward0(need, g, A, result, left, vector):
    """X = A^-1 B: gB = A^-T g, gA = -gB X^T (left); X = B A^-1: gB = g A^-T, gA = -X^T gB."""
    if vector:
        gB = linalg_solve(_mT(A), g)
        gA = -(gB.unsqueeze(-1) @ result.unsqueeze(-2)) if need[0] else None
        return (gA, gB if need[1] else None)
    if left:
        gB = linalg_solve(_mT(A), g)
        gA = -(gB @ _mT(result)) if need[0] else None
    else:
        gB = _mT(linalg_solve(A, _mT(g)))
        gA = -(_mT(result) @ gB) if need[0] else None
    return (gA, gB if need[1] else None)


def _batch_shape(first, second):
    """The batch shape of a solve, or PyTorch's broadcast error naming `first` tensor a (the
    right-hand side for the solves, A for lstsq: PyTorch's order)."""
    try:
        return np.broadcast_shapes(first, second)
    except ValueError:
        raise errors.broadcast_error(first, second) from None


def _solve(A, B, left, check, name="linalg.solve"):
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        A, B = _amp.widen(A, B)
    _square(A, name)
    _floating(A, name)
    Ad, Bd = A._data, B._data
    if Ad.dtype != Bd.dtype:
        raise RuntimeError(f"{name}: Expected A and B to have the same dtype, but found A of "
                           f"type {_short(Ad.dtype)} and B of type {_short(Bd.dtype)} instead")
    vector = _vector_rhs(Ad, Bd)  # (then XA = B is refused: B a column)
    b = Bd[..., None] if vector else Bd
    n = Ad.shape[-1]
    if b.ndim < 2 or (b.shape[-2] if left else b.shape[-1]) != n:
        rows, cols = (b.shape[-2:] if b.ndim >= 2 else (b.shape[0], 1))
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation {eq} "
                           f"({n}x{n} and {rows}x{cols})")
    a = Ad if left else np.swapaxes(Ad, -1, -2)
    rhs = b if left else np.swapaxes(b, -1, -2)
    batch = _batch_shape(rhs.shape[:-2], a.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    info = np.zeros(batch, np.int32)
    try:
        x = lapack.solve(a, rhs)
    except np.linalg.LinAlgError:
        info = getrf_info(a if left else np.swapaxes(a, -1, -2))
        if check:
            i = int(np.flatnonzero(info.reshape(-1))[0]) if info.any() else 0
            raise LinAlgError(f"torch.{name}: {_batch_prefix(a, i)}The solver failed because "
                              "the input matrix is singular.") from None
        # (XA = B: PyTorch factors A itself and solves with its transpose)
        factored = a if left else np.swapaxes(a, -1, -2)
        if a.ndim == 2:
            x, info = _singular_solve(factored, rhs, not left)
            info = info.reshape(())
        else:
            info = getrf_info(factored)
            good = info == 0
            x = np.empty(rhs.shape, np.result_type(a, rhs))
            if good.any():
                x[good] = lapack.solve(a[good], rhs[good])
            x[~good] = _singular_solve(factored[~good], rhs[~good], not left)[0]
    if not left:
        x = np.swapaxes(x, -1, -2)
    if vector:
        x = x[..., 0]
    out = make(_column_major(x.astype(Ad.dtype, copy=False)))
    if needs_grad(A, B):
        record(out, LinalgSolveExBackward0, (A, B),
               (save(A, "A"), save_out(out, "result"), left, vector))
    return out, make(as_array(info, np.int32))


def linalg_solve(A, B, *, left=True):
    _tensor_arg(A, "linalg_solve", "A")
    _tensor_arg(B, "linalg_solve", "B")
    return _solve(A, B, left, True)[0]


def linalg_solve_ex(A, B, *, left=True, check_errors=False):
    _tensor_arg(A, "linalg_solve_ex", "A")
    _tensor_arg(B, "linalg_solve_ex", "B")
    return SolveExResult._of(*_solve(A, B, left, check_errors))


# ----- Cholesky ---------------------------------------------------------------------------------
def _cholesky_rule(g, L, upper):
    """PyTorch's cholesky_backward: P = (tril(L^H gL) + tril(L^H gL, -1)^H) / 2, then
    gA = L^-H P L^-1 by two triangular solves."""
    if upper:
        L, g = _H(L), _H(g)
    gA = (_H(L) @ g).tril()
    gA = mul_scalar(gA + _H(gA.tril(-1)), 0.5)
    gA = linalg_solve_triangular(_H(L), gA, upper=True, left=True)
    return linalg_solve_triangular(L, gA, upper=False, left=False)


@rule
@_lifted
def LinalgCholeskyExBackward0(need, g, L, upper):
    return (_cholesky_rule(g, L, upper),)


@rule
@_lifted
def CholeskyBackward0(need, g, result, upper):
    return (_cholesky_rule(g, result, upper),)


# (written with _H: they hold for complex values)
LinalgCholeskyExBackward0.complex_rule = CholeskyBackward0.complex_rule = True


def _potrf_info(m):
    """LAPACK potrf's info for one matrix: the order of the first leading minor that is not
    positive-definite, 0 when there is none."""
    for k in range(1, m.shape[0] + 1):
        try:
            lapack.cholesky(m[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return 0


def _cholesky_values(A, name, check):
    d = A._data
    try:
        L = lapack.cholesky(d)
        info = np.zeros(d.shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        info = _infos(d, _potrf_info)
        if check:
            i = int(np.flatnonzero(info.reshape(-1))[0])
            raise LinAlgError(f"{name}: {_batch_prefix(d, i)}The factorization could not be "
                              "completed because the input is not positive-definite (the "
                              f"leading minor of order {int(info.reshape(-1)[i])} is not "
                              "positive-definite).") from None
        L = np.zeros(d.shape, d.dtype)
        good = info == 0
        if good.any():
            L[good] = lapack.cholesky(d[good])
        flat, infos = L.reshape((-1,) + d.shape[-2:]), info.reshape(-1)
        for i, m in enumerate(d.reshape((-1,) + d.shape[-2:])):
            if infos[i]:
                flat[i] = _potrf_partial(m, int(infos[i]))
    return L, info


def _potrf_partial(m, k):
    """What LAPACK's potrf leaves in the lower triangle of a matrix whose leading minor of
    order k is not positive-definite (PyTorch's cholesky_ex returns it; measured on random
    matrices up to 8 x 8): the first k - 1 columns factored, the k-th diagonal entry the
    failed pivot A_kk - |L_k,:k-1|^2, the rest the input's lower triangle."""
    j = k - 1
    out = np.tril(m)
    if j:
        L11 = np.linalg.cholesky(m[:j, :j])
        L21 = np.linalg.solve(L11, m[j:, :j].conj().T).conj().T  # A21 L11^-H
        out[:j, :j], out[j:, :j] = L11, L21
        out[j, j] = m[j, j] - (L21[0] * L21[0].conj()).real.sum()
    return out


def _cholesky(A, upper, name, check, cls):
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        A = _amp.widen(A)
    _square(A, name)
    _floating(A, name)
    L, info = _cholesky_values(A, name, check)
    if upper:  # U = L^H
        L = np.swapaxes(L, -1, -2).conj()
    out = make(_column_major(L.astype(A._data.dtype, copy=False)))
    if needs_grad(A):
        record(out, cls, (A,), (save_out(out, "L" if cls is LinalgCholeskyExBackward0 else
                                         "result"), upper))
    return out, make(as_array(info, np.int32))


_CHOLESKY_DEPRECATED = (
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a "
    "future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\n"
    "L = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be replaced "
    "with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce equivalent results for "
    "all valid (symmetric positive definite) inputs.")


@declare(tensor_first=True)
def cholesky(self, upper=False):
    """Deprecated: torch.linalg.cholesky (the node CholeskyBackward0)."""
    errors.warn(_CHOLESKY_DEPRECATED, UserWarning, stacklevel=2)
    return _cholesky(self, upper, "cholesky", True, CholeskyBackward0)[0]


def linalg_cholesky(input, *, upper=False):
    A = input
    _tensor_arg(A, "linalg_cholesky", "A")
    return _cholesky(A, upper, "linalg.cholesky", True, LinalgCholeskyExBackward0)[0]


def linalg_cholesky_ex(input, *, upper=False, check_errors=False):
    A = input
    _tensor_arg(A, "linalg_cholesky_ex", "A")
    return CholeskyExResult._of(*_cholesky(A, upper, "linalg.cholesky", check_errors,
                                       LinalgCholeskyExBackward0))


# ----- symmetric eigendecomposition ---------------------------------------------------------------
@rule(n_outputs=2)
@_lifted
def LinalgEighBackward0(need, g, eigenvalues, eigenvectors):
    """gA = V (diag(gL) + sym((V^H gV) / E)) V^H, E_ij = L_j - L_i off the diagonal (sym: the
    Hermitian part, as PyTorch's gradient of a Hermitian input; X^H the transpose of a real
    X). A loss that depends on a complex eigenvector's phase (Im diag(V^H gV) not 0) is
    refused as PyTorch (written for complex values: complex_rule)."""
    gL, gV = g
    L, V = eigenvalues, eigenvectors
    H = _mH if V._data.dtype.kind == "c" else _mT
    n = L._data.shape[-1]
    eye = _eye_like(n, V)  # (V's dtype: complex for a Hermitian input)
    inner = None
    if gV is not None:
        VhgV = H(V) @ gV
        if H is _mH:
            _eigenvector_phase_check(VhgV)
        E = L.unsqueeze(-2) - L.unsqueeze(-1)
        E = E + eye  # (the diagonal is masked out below)
        inner = VhgV / E * (1 - eye)
        inner = (inner + H(inner)) * 0.5  # PyTorch's gradient is symmetric
    if gL is not None:
        d = gL.unsqueeze(-2) * eye
        inner = d if inner is None else inner + d
    return (V @ inner @ H(V),)


LinalgEighBackward0.complex_rule = True


def _eigenvector_phase_check(VhgV):
    im = np.abs(VhgV.diagonal(0, -2, -1).imag._data)
    if (im > 1e-5 * max(1.0, float(im.max(initial=0)))).any():
        raise RuntimeError("linalg_eigh_backward: The eigenvectors in the complex case are "
                           "specified up to multiplication by e^{i phi}. The specified loss "
                           "function depends on this quantity, so it is ill-defined.")


def _eigh(A, UPLO, name, vectors):
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        A = _amp.widen(A)
    _square(A, name)
    _floating(A, name)
    if UPLO not in ("L", "U", "l", "u"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    w, v = lapack.eigh(A._data, UPLO=UPLO.upper())
    d = A._data.dtype
    L = make(np.ascontiguousarray(w.astype(np.empty(0, d).real.dtype, copy=False)))
    V = make(_column_major(v.astype(d, copy=False)))
    if needs_grad(A):
        _numbered(L, V)
        record_multi([L, V], LinalgEighBackward0, (A,),
                     (save_out(L, "eigenvalues"), save_out(V, "eigenvectors")))
    return L, V


def linalg_eigh(input, UPLO="L"):
    A = input
    _tensor_arg(A, "linalg_eigh", "A")
    return EighResult._of(*_eigh(A, UPLO, "linalg.eigh", True))


def linalg_eigvalsh(input, UPLO="L"):
    A = input
    _tensor_arg(A, "linalg_eigvalsh", "A")
    return _eigh(A, UPLO, "linalg.eigh", False)[0]  # (PyTorch's eigvalsh speaks as eigh)


# ----- singular value decomposition --------------------------------------------------------------
@rule(n_outputs=3)
@_lifted
def LinalgSvdBackward0(need, g, U, S, Vh, full_matrices):
    """PyTorch's svd_backward: gA = U [(skew(U^H gU) S + S skew(V^H gV)) / E + diag(gS)] V^H
    plus the parts outside the column spaces where A is not square (X^H the transpose of a
    real X); full_matrices=True ignores the vectors past min(m, n), as PyTorch does. A complex A adds i Im(diag(U^H gU)) / S on the diagonal, and a loss that
    depends on the singular vectors' phases is refused (written for complex values:
    complex_rule)."""
    gU, gS, gVh = g
    m, n = U._data.shape[-2], Vh._data.shape[-1]
    k = S._data.shape[-1]
    cplx = U._data.dtype.kind == "c"
    H = _mH if cplx else _mT
    if gU is None and gVh is None:
        return ((U[..., :, :k] * gS.unsqueeze(-2)) @ Vh[..., :k, :],)
    if full_matrices and m != n:  # PyTorch differentiates the reduced SVD: the vectors past k
        gU = gU[..., :, :k] if gU is not None else None   # carry no gradient (measured)
        gVh = gVh[..., :k, :] if gVh is not None else None
    U, Vh = U[..., :, :k], Vh[..., :k, :]
    V = H(Vh)
    gV = H(gVh) if gVh is not None else None
    eye = _eye_like(k, S)
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + eye
    ret = None
    UhgU = VhgV = None
    if gU is not None:
        UhgU = H(U) @ gU
        ret = (UhgU - H(UhgU)) * S.unsqueeze(-2)
    if gV is not None:
        VhgV = H(V) @ gV
        term = S.unsqueeze(-1) * (VhgV - H(VhgV))
        ret = term if ret is None else ret + term
    ret = ret / E * (1 - eye)
    if cplx:
        ret = ret + _svd_phase_term(UhgU, VhgV, S, eye)
    if gS is not None:
        ret = ret + gS.unsqueeze(-2) * eye
    gA = U @ ret @ Vh
    if gU is not None and m > k:
        gA = gA + ((gU - U @ (H(U) @ gU)) / S.unsqueeze(-2)) @ Vh
    if gV is not None and n > k:
        gA = gA + U @ H((gV - V @ (H(V) @ gV)) / S.unsqueeze(-2))
    return (gA,)


LinalgSvdBackward0.complex_rule = True


def _mH(t):
    return t.transpose(-2, -1).conj()


def _svd_phase_term(UhgU, VhgV, S, eye):
    """The diagonal a complex SVD's gradient adds: i Im(diag(U^H gU)) / S. U e^{i phi} and
    V e^{i phi} are the same decomposition, so a well-defined loss has Im(diag(U^H gU) +
    diag(V^H gV)) = 0; PyTorch refuses one that does not."""
    diags = [x.diagonal(0, -2, -1).imag for x in (UhgU, VhgV) if x is not None]
    total = diags[0] if len(diags) == 1 else diags[0] + diags[1]
    if (np.abs(total._data) > 1e-5 * max(1.0, float(np.abs(total._data).max(initial=0)))).any():
        raise RuntimeError("svd_backward: The singular vectors in the complex case are specified "
                           "up to multiplication by e^{i phi}. The specified loss function "
                           "depends on this phase term, making it ill-defined.")
    im = diags[0] if UhgU is not None else -diags[0]
    return (im / S).unsqueeze(-2) * eye * 1j


def _svd(A, full_matrices, name, compute_uv=True):
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        A = _amp.widen(A)
    _at_least_2d(A, name)
    _floating(A, name)
    d = A._data
    dt = d.dtype
    try:
        if compute_uv or needs_grad(A):
            u, s, vh = lapack.svd(d, full_matrices=full_matrices)
        else:
            u = vh = None
            s = lapack.svd(d, compute_uv=False)
    except np.linalg.LinAlgError:  # NaN in the input: LAPACK's gesdd gives NaN in PyTorch
        m, n = d.shape[-2:]
        k, batch = min(m, n), d.shape[:-2]
        s = np.full(batch + (k,), np.nan, np.empty(0, dt).real.dtype)
        u = np.full(batch + (m, m if full_matrices else k), np.nan, dt)
        vh = np.full(batch + (n if full_matrices else k, n), np.nan, dt)
        if not (compute_uv or needs_grad(A)):
            u = vh = None
    S = make(np.ascontiguousarray(s.astype(np.empty(0, dt).real.dtype, copy=False)))
    U = None if u is None else make(_column_major(u.astype(dt, copy=False)))
    Vh = None if vh is None else make(_column_major(vh.astype(dt, copy=False)))
    if needs_grad(A):
        if U is None:  # svdvals: U and Vh are outputs of the node the caller does not see
            U = make(_column_major(u.astype(dt, copy=False)))
            Vh = make(_column_major(vh.astype(dt, copy=False)))
        _numbered(U, S, Vh)
        record_multi([U, S, Vh], LinalgSvdBackward0, (A,),
                     (save_out(U, "U"), save_out(S, "S"), save_out(Vh, "Vh"), full_matrices))
    return U, S, Vh


def linalg_svd(A, full_matrices=True, *, driver=None):
    _tensor_arg(A, "linalg_svd", "A")
    return LinalgSvdResult._of(*_svd(A, full_matrices, "linalg.svd"))


def linalg_svdvals(A, *, driver=None):
    _tensor_arg(A, "linalg_svdvals", "A")
    return _svd(A, False, "linalg.svd", compute_uv=False)[1]


@declare(tensor_first=True)
def svd(self, some=True, compute_uv=True):
    """The old API: (U, S, V) with V = Vh^H, reduced when some (the node LinalgSvdBackward0)."""
    U, S, Vh = _svd(self, not some, "linalg.svd")
    if not compute_uv:
        z = np.zeros
        dt = self._data.dtype
        m, n = self._data.shape[-2:]
        batch = self._data.shape[:-2]
        V = make(z(batch + (n, n), dt))  # (PyTorch's V of a complex matrix: a conj view, -0j)
        return SvdResult._of(make(z(batch + (m, m), dt)), S, V.conj() if dt.kind == "c" else V)
    return SvdResult._of(U, S, Vh.mH if Vh._data.dtype.kind == "c" else _mT(Vh))


# ----- QR ----------------------------------------------------------------------------------------
@rule(n_outputs=2)
@_lifted
def LinalgQrBackward0(need, g, Q, R, mode):
    """A = QR, m >= n (reduced): M = R gR^T - gQ^T Q, gA = (gQ + Q copyltu(M)) R^-T; for m < n
    the leading square block gets that formula with gQ + Y gV^T and the rest Q gV."""
    gQ, gR = g
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed "
                           "when mode='r'. Please use linalg.qr(A, mode='reduced') if you are "
                           "going to differentiate through linalg.qr.")
    m, n = Q._data.shape[-2], R._data.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                           "and nrows > ncols.")
    if gQ is None:
        gQ = make(np.zeros(Q._data.shape, Q._data.dtype))
    if gR is None:
        gR = make(np.zeros(R._data.shape, R._data.dtype))

    def square_part(gQ, gR, R):
        M = R @ _H(gR) - _H(gQ) @ Q
        lower = M.tril(-1)
        diag = M.real if M._data.dtype.kind == "c" else M  # (M + M^H's diagonal, halved)
        copyltu = lower + _H(lower) + diag * _eye_like(M._data.shape[-1], diag)
        b = gQ + Q @ copyltu
        return _H(linalg_solve(R, _H(b)))  # b R^-H

    if m >= n:
        return (square_part(gQ, gR, R),)
    X_R, V_R = R[..., :, :m], R[..., :, m:]
    gU, gV = gR[..., :, :m], gR[..., :, m:]
    Y = Q @ V_R
    gX = square_part(gQ + Y @ _H(gV), gU, X_R)
    return (cat([gX, Q @ gV], -1),)


LinalgQrBackward0.complex_rule = True


def _qr(A, mode, name):
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        A = _amp.widen(A)
    if mode not in ("reduced", "r", "complete"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    _at_least_2d(A, name)
    _floating(A, name)
    d = A._data
    dt = d.dtype
    q, r = lapack.qr(d, mode="complete" if mode == "complete" else "reduced")
    Q = make(_column_major(q.astype(dt, copy=False))) if mode != "r" else make(np.zeros((0,), dt))
    R = make(_column_major(r.astype(dt, copy=False)))
    if needs_grad(A):
        _numbered(Q, R)
        record_multi([Q, R], LinalgQrBackward0, (A,), (save_out(Q, "Q"), save_out(R, "R"), mode))
    return Q, R


def linalg_qr(A, mode="reduced"):
    _tensor_arg(A, "linalg_qr", "A")
    return LinalgQrResult._of(*_qr(A, mode, "linalg.qr"))


@declare(tensor_first=True)
def qr(self, some=True):
    """The old API: torch.linalg.qr(A, 'reduced' if some else 'complete')."""
    errors.warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a "
                  "future PyTorch release.\nThe boolean parameter 'some' has been replaced with a "
                  "string parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\n"
                  "Q, R = torch.linalg.qr(A, 'reduced' if some else 'complete')", UserWarning,
                  stacklevel=2)
    return QrResult._of(*_qr(self, "reduced" if some else "complete", "linalg.qr"))


# ----- compositions: matrix_power, multi_dot, vecdot; cross --------------------------------------
@declare(tensor_first=True)
def matrix_power(self, n):
    """A^n by PyTorch's composition: clone for 1, matmuls by binary decomposition of |n|, over
    the inverse for a negative n; the identity for 0."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"matrix_power(): argument 'n' (position 2) must be int, not "
                        f"{type(n).__name__}")
    errors.long(n)
    _square(self, "linalg.matrix_power")
    # every product is under the work limit, but 2 * 63 of them together need not be
    check_flops(self._data.size * self._data.shape[-1] * 2 * abs(n).bit_length(),
                f"linalg.matrix_power of a {_sizes(self)} matrix to the power {n}")
    if n == 0:
        out = self.clone()
        eye = np.broadcast_to(np.eye(self._data.shape[-1], dtype=self._data.dtype),
                              self._data.shape)
        return out.copy_(make(np.array(eye)))
    if n == 1:
        return self.clone()
    a = self
    if n < 0:
        a = linalg_inv(self)
        n = -n
    if n == 2:
        return a @ a
    if n == 3:
        return (a @ a) @ a
    z = out = None
    while n > 0:
        bit, n = n % 2, n // 2
        z = a if z is None else z @ z
        if bit:
            out = z if out is None else out @ z
    return out


def linalg_multi_dot(tensors):
    """PyTorch's multi_dot: 1-d ends made matrices, the product in the cheapest order (by
    the matrix-chain order for four and more), viewed to the result's shape."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError("linalg_multi_dot(): argument 'tensors' (position 1) must be tuple of "
                        f"Tensors, not {type(tensors).__name__}")
    k = len(tensors)
    if k < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {k}")
    first, last = tensors[0], tensors[-1]
    if first.ndim not in (1, 2):
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got "
                           f"{first.ndim}D")
    if last.ndim not in (1, 2):
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {last.ndim}D")
    for i, t in enumerate(tensors[1:-1], 1):
        if t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    dt = first._data.dtype
    for i, t in enumerate(tensors):
        if t._data.dtype != dt:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor "
                               f"0 is {_short(dt)} and tensor {i} {_short(t._data.dtype)}")
    out_shape = []
    mats = list(tensors)
    if first.ndim == 1:
        mats[0] = first.unsqueeze(0)
    else:
        out_shape.append(first.shape[0])
    if last.ndim == 1:
        mats[-1] = last.unsqueeze(-1)
    else:
        out_shape.append(last.shape[1])
    for i in range(k - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes "
                f"{list(tensors[i].shape)} and {list(tensors[i + 1].shape)} cannot be multiplied")
    if k == 2:
        out = mm(mats[0], mats[1])
    elif k == 3:
        a, b = mats[0].shape
        c, d = mats[2].shape
        cost_1 = (a * c) * (b + d)
        cost_2 = (b * d) * (a + c)
        out = (mm(mats[0], mm(mats[1], mats[2])) if cost_1 > cost_2
               else mm(mm(mats[0], mats[1]), mats[2]))
    else:
        out = _chain(mats, mm)
    return out.view(out_shape)


def _chain(mats, mm):
    """The matrix-chain order (dynamic programming, as PyTorch's matrix_chain_order)."""
    n = len(mats)
    p = [mats[0].shape[0]] + [m.shape[1] for m in mats]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for s in range(i, j):
                q = cost[i][s] + cost[s + 1][j] + p[i] * p[s + 1] * p[j + 1]
                if cost[i][j] is None or q < cost[i][j]:
                    cost[i][j], split[i][j] = q, s

    def product(i, j):
        if i == j:
            return mats[i]
        s = split[i][j]
        return mm(product(i, s), product(s + 1, j))
    return product(0, n - 1)


def linalg_vecdot(x, y, *, dim=-1):
    """sum(conj(x) * y, dim): PyTorch's composition (MulBackward0, over ConjBackward0 for a
    complex x, then SumBackward1), or vdot (VdotBackward0) of two vectors."""
    if x._data.dtype != y._data.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x "
                           f"of type {_short(x._data.dtype)} and y of type "
                           f"{_short(y._data.dtype)} instead")
    if x._data.dtype.kind not in "fVc":
        raise RuntimeError("linalg.vecdot: Expected a floating point or complex tensor as input. "
                           f"Got {_short(x._data.dtype)}")
    if x._data.ndim == 1 and y._data.ndim == 1 and dim in (0, -1):
        return vdot(x, y)
    return ((x.conj() if x._data.dtype.kind == "c" else x) * y).sum(dim)


@rule
def LinalgCrossBackward0(need, g, other, self, dim):
    """derivatives.yaml: self: linalg_cross(other, grad), other: linalg_cross(grad, self)."""
    return (_cross_any(other, g, dim) if need[0] else None,
            _cross_any(g, self, dim) if need[1] else None)


def _cross_any(a, b, dim):
    if type(a) in TENSOR_TYPES or type(b) in TENSOR_TYPES:
        return linalg_cross(_T(a), _T(b), dim=dim)
    a, b = np.broadcast_arrays(a, b)
    return np.cross(a, b, axis=dim)


def linalg_cross(input, other, *, dim=-1):
    """The cross product of 3-vectors along dim (broadcast)."""
    a, b = input._data, other._data
    if a.ndim != b.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    nd = max(a.ndim, 1)
    if not -nd <= dim < nd:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}],"
                         f" but got {dim})")
    if a.shape[dim] != 3 or b.shape[dim] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{a.shape[dim]} and {b.shape[dim]}")
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected scalar type {_short(a.dtype)} but found {_short(b.dtype)}")
    try:
        x, y = np.broadcast_arrays(a, b)
    except ValueError:
        raise errors.broadcast_error(a.shape, b.shape) from None
    out = make(np.ascontiguousarray(np.cross(x, y, axis=dim)))
    if needs_grad(input, other):
        record(out, LinalgCrossBackward0, (input, other),
               (save(other, "other"), save(input, "self"), dim))
    return out


@declare(tensor_first=True)
def cross(self, other, dim=None):
    """torch.cross: linalg.cross along dim, or (deprecated) the first dim of size 3."""
    if dim is None:
        errors.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                      "Please either pass the dim explicitly or simply use torch.linalg.cross.\n"
                      "The default value of dim will change to agree with that of "
                      "linalg.cross in a future release."
                    + errors.triggered_at("aten/src/ATen/native/Cross.cpp:63"),
                    UserWarning, stacklevel=2)
        shape = np.broadcast_shapes(self._data.shape, other._data.shape)
        dim = next((i for i, s in enumerate(shape) if s == 3), -1)
    return linalg_cross(self, other, dim=dim)


# ----- inverses through Cholesky, pseudo-inverse -------------------------------------------------
@declare(tensor_first=True)
def cholesky_solve(self, input2, upper=False):
    """Solve A X = B given the Cholesky factor of A (composed: two triangular solves through
    linalg.solve; PyTorch records one CholeskySolveBackward0 node)."""
    _square(input2, "")  # PyTorch's checks, in its order and words
    _at_least_2d(self, "cholesky_solve", "b")
    if self._data.shape[-2] != input2._data.shape[-1]:
        raise RuntimeError("Incompatible matrix sizes for cholesky_solve: each A matrix is %d by "
                           "%d but each b matrix is %d by %d" % (
                               input2._data.shape[-2], input2._data.shape[-1],
                               self._data.shape[-2], self._data.shape[-1]))
    L = _H(input2) if upper else input2
    # B broadcast to the batch first: a B of A's shape less one dimension is a matrix here,
    # where linalg.solve would read it as a batch of vectors
    batch = _batch_shape(self._data.shape[:-2], L._data.shape[:-2])
    B = self if self._data.shape[:-2] == batch else self.expand(batch + self._data.shape[-2:])
    return linalg_solve(_H(L), linalg_solve(L, B))


@declare(tensor_first=True)
def cholesky_inverse(self, upper=False):
    """(L L^T)^-1 from the Cholesky factor (composed of inv and matmul)."""
    if _amp.on:  # torch.autocast: float32, the matmul too (core/autocast.py), before the checks
        with _amp.region_off():
            return cholesky_inverse(_amp.widen(self), upper)
    _at_least_2d(self, "cholesky_inverse")  # (PyTorch's order: the shape, then the kernel's dtype)
    _floating(self, "cholesky_inverse")
    _square(self, "cholesky_inverse")
    L = _H(self) if upper else self
    Linv = linalg_inv(L)
    out = _mT(_H(Linv) @ Linv)  # (Hermitian: the transpose gives PyTorch's column-major)
    return out.conj().resolve_conj() if out._data.dtype.kind == "c" else out


@declare(tensor_first=True)
def pinverse(self, rcond=1e-15):
    """The pseudo-inverse, composed from the SVD (PyTorch records one LinalgPinvBackward0)."""
    return linalg_pinv(self, rtol=rcond)


@rule
@_lifted
def LinalgPinvBackward0(need, g, self, result):
    """PyTorch's pinv_backward: the derivative of the pseudo-inverse (Golub and Pereyra),
    written with _H (it holds for complex values); for hermitian=True too, as PyTorch."""
    return (_pinv_vjp(g, self, result),)


LinalgPinvBackward0.complex_rule = True


def linalg_pinv(input, rcond=None, hermitian=False, *, atol=None, rtol=None):
    """The pseudo-inverse V diag(1/s) U^H over the singular values above
    max(atol, rtol * s_max) (rtol default: eps * max(m, n)); with hermitian, from the
    eigendecomposition of A's lower triangle (|eigenvalues| as the singular values), as
    PyTorch. One node, LinalgPinvBackward0."""
    A = input
    if rcond is not None:  # PyTorch's older overload: pinv(A, rcond, hermitian)
        if atol is not None or rtol is not None:  # (no overload takes both: its TypeError
            raise TypeError("linalg_pinv(): rcond with atol or rtol")  # words, argcheck's)
        rtol = rcond
    _tensor_arg(A, "linalg_pinv", "input")
    _floating(A, "linalg.pinv")
    m, n = A._data.shape[-2:]
    for name, value in (("atol", atol), ("rtol", rtol)):
        if isinstance(value, Tensor) and value.requires_grad:
            raise RuntimeError(f"The function 'linalg_pinv' is not differentiable with respect "
                               f"to argument '{name}'. This input cannot have requires_grad "
                               "True.")
    d = A._data
    if hermitian and d.size == 0:  # (an empty input needs no eigh, nor a square shape)
        out = make(np.zeros(d.shape[:-2] + (n, m), d.dtype))
        if needs_grad(A):
            out = out + 0 * _mT(A)
        return out
    if hermitian:
        _square(A, "linalg.eigh")
        w, v = lapack.eigh(d, UPLO="L")
        s, u, vh = np.abs(w), v * np.sign(w)[..., None, :], np.swapaxes(v, -1, -2).conj()
    else:
        _at_least_2d(A, "linalg.svd")
        u, s, vh = lapack.svd(d, full_matrices=False)
    # tolerances given as tensors broadcast against the batch, as in linalg_matrix_rank
    atol = atol._data if isinstance(atol, Tensor) else atol
    rtol = rtol._data if isinstance(rtol, Tensor) else rtol
    default = np.finfo(d.dtype).eps * max(m, n)
    if rtol is None:
        rtol = default if atol is None else np.where(as_array(atol) > 0, 0.0, default)
    atol = as_array(0.0 if atol is None else atol, s.dtype)[..., None]
    rtol = as_array(rtol, s.dtype)[..., None]
    smax = s.max(-1, keepdims=True) if s.shape[-1] else s
    keep = s > np.maximum(atol, rtol * smax)
    with np.errstate(divide="ignore"):
        sinv = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(s.dtype)
    out = (np.swapaxes(vh, -1, -2).conj() * sinv[..., None, :]) @ np.swapaxes(u, -1, -2).conj()
    out = make(np.ascontiguousarray(out.astype(d.dtype, copy=False)))
    if needs_grad(A):
        record(out, LinalgPinvBackward0, (A,), (save(A, "self"), save_out(out, "result")))
    return out


def linalg_matrix_rank(input, tol=None, hermitian=False, *, atol=None, rtol=None):
    """The number of singular values above max(atol, rtol * s_max) (int64); tolerances given
    as tensors broadcast against the batch (PyTorch's Tensor overload), `tol` (its older
    overload) is atol with rtol 0."""
    A = input
    _tensor_arg(A, "linalg_matrix_rank", "input")
    _floating(A, "linalg.matrix_rank")
    if tol is not None:  # PyTorch's older overload: matrix_rank(A, tol, hermitian)
        if atol is not None or rtol is not None:  # (no overload takes both)
            raise TypeError("linalg_matrix_rank(): tol with atol or rtol")
        atol, rtol = tol, 0.0
    d = A._data
    if hermitian:  # PyTorch's: |eigenvalues| of A's lower triangle
        _square(A, "linalg.eigh")
        s = np.abs(lapack.eigh(d, UPLO="L")[0])
    else:
        s = lapack.svd(d, compute_uv=False)
    m, n = d.shape[-2:]
    atol = atol._data if isinstance(atol, Tensor) else atol
    rtol = rtol._data if isinstance(rtol, Tensor) else rtol
    default = np.finfo(d.dtype).eps * max(m, n)
    if rtol is None:
        rtol = default if atol is None else np.where(as_array(atol) > 0, 0.0, default)
    atol = as_array(0.0 if atol is None else atol, s.dtype)[..., None]
    rtol = as_array(rtol, s.dtype)[..., None]
    smax = s.max(-1, keepdims=True) if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), s.dtype)
    limit = np.maximum(atol, rtol * smax)
    return make(as_array((s > limit).sum(-1), np.int64))


# ----- triangular solve --------------------------------------------------------------------------
@rule
@_lifted
def LinalgSolveTriangularBackward0(need, g, self, result, upper, left, unitriangular):
    """gB = solve_triangular(A^T, g, upper=not upper) (left; on the right for XA = B);
    gA = -gB X^T (or -X^T gB) kept to A's triangle, without the diagonal when unitriangular."""
    gB = (linalg_solve_triangular(_mT(self), g, upper=not upper, left=left,
                                  unitriangular=unitriangular))
    gA = None
    if need[0]:
        gA = -(gB @ _mT(result)) if left else -(_mT(result) @ gB)
        gA = gA.triu(1 if unitriangular else 0) if upper else gA.tril(-1 if unitriangular else 0)
    return (gA, gB if need[1] else None)


def linalg_solve_triangular(input, B, *, upper, left=True, unitriangular=False):
    """X with AX = B (XA = B when not left) for a triangular A (the other triangle not read)."""
    A = input
    _tensor_arg(A, "linalg_solve_triangular", "input")
    name = "linalg.solve_triangular"
    _floating(A, name)
    Ad, Bd = A._data, B._data
    if Ad.ndim < 2 or Bd.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {'A' if Ad.ndim < 2 else 'B'} must have "
                           "at least 2 dimensions.")
    _square(A, name)
    if Ad.dtype != Bd.dtype:
        raise RuntimeError(f"{name}: Expected A and B to have the same dtype, but found A of "
                           f"type {_short(Ad.dtype)} and B of type {_short(Bd.dtype)} instead")
    n = Ad.shape[-1]
    if (Bd.shape[-2] if left else Bd.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation {eq} "
                           f"({n}x{n} and {Bd.shape[-2]}x{Bd.shape[-1]})")
    tri = np.triu(Ad) if upper else np.tril(Ad)
    if unitriangular:
        idx = np.arange(n)
        tri = np.array(tri, copy=True)
        tri[..., idx, idx] = 1
    a = tri if left else np.swapaxes(tri, -1, -2)
    rhs = Bd if left else np.swapaxes(Bd, -1, -2)
    batch = _batch_shape(rhs.shape[:-2], a.shape[:-2])
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            x = lapack.solve(np.broadcast_to(a, batch + a.shape[-2:]),
                                np.broadcast_to(rhs, batch + rhs.shape[-2:]))
        except np.linalg.LinAlgError:  # a zero on the diagonal: trsm divides by it
            x = _substitute(np.broadcast_to(a, batch + a.shape[-2:]),
                            np.broadcast_to(rhs, batch + rhs.shape[-2:]), upper == left)
    if not left:
        x = np.swapaxes(x, -1, -2)
    out = make(_column_major(x.astype(Ad.dtype, copy=False)))
    if needs_grad(A, B):
        record(out, LinalgSolveTriangularBackward0, (A, B),
               (save(A, "self"), save_out(out, "result"), upper, left, unitriangular))
    return out


def _substitute(a, b, upper):
    """Back (upper) or forward substitution, dividing by zeros as trsm does."""
    n = a.shape[-1]
    x = np.zeros(b.shape, np.result_type(a, b))
    order = range(n - 1, -1, -1) if upper else range(n)
    for i in order:
        s = b[..., i, :] - np.einsum("...j,...jk->...k", a[..., i, :], x)
        x[..., i, :] = s / a[..., i, i][..., None]
    return x


def linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return A.diagonal(offset, dim1, dim2)


def linalg_matmul(input, other):
    return input @ other


# ----- matrix exponential ------------------------------------------------------------------------
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152
_TAYLOR2 = {np.float64: 5e-9, np.float32: 5e-6}


def _expm(a):
    """exp of one matrix: scaling and squaring with the [13/13] Pade approximant (Higham 2005)."""
    n = a.shape[-1]
    if n == 0:
        return a.copy()
    if n == 1:  # PyTorch's 1 x 1 exponential is exp of the entry
        return np.exp(a)
    norm = np.abs(a).sum(0).max()
    # PyTorch picks a Taylor polynomial's degree by the size of the matrix: observed, for 1-norms
    # up to the dtype's eps the polynomial I + A, up to _TAYLOR2[dtype] (below where PyTorch
    # leaves degree 2) I + A + A @ A / 2: exact for a zero matrix, and PyTorch's bits
    eye = np.eye(n, dtype=a.dtype)
    if norm <= np.finfo(a.dtype).eps:
        return eye + a
    if norm <= _TAYLOR2.get(a.dtype.type, 0.0):
        return eye + a + (a @ a) / a.dtype.type(2)
    s = 0 if norm <= _THETA13 or not np.isfinite(norm) else int(np.ceil(np.log2(norm / _THETA13)))
    a = a / a.dtype.type(2.0 ** s)
    b = [a.dtype.type(c) for c in _PADE13]
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2
             + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    r = lapack.solve(v - u, v + u)
    for _ in range(s):
        r = r @ r
    return r


@rule
@_lifted
def LinalgMatrixExpBackward0(need, g, self):
    """PyTorch's: exp([[A^T, grad], [0, A^T]]), its upper right block."""
    n = self._data.shape[-1]
    at = _mT(self)
    meta = make(np.zeros(self._data.shape[:-2] + (2 * n, 2 * n), self._data.dtype))
    meta[..., :n, :n] = at
    meta[..., n:, n:] = at
    meta[..., :n, n:] = g
    return (matrix_exp(meta).narrow(-2, 0, n).narrow(-1, n, n),)


@declare(tensor_first=True)
def matrix_exp(self):
    """The matrix exponential of a square matrix (batches too)."""
    _square(self, "linalg.matrix_exp")
    _floating(self, "linalg.matrix_exp")
    d = self._data
    # a Pade approximant (about 6 products and a solve) and the squarings its scaling needs
    # (about 10 more for entries of order 10**3)
    check_flops(d.size * d.shape[-1] * 20, f"linalg.matrix_exp of a {_sizes(self)} matrix")
    flat = d.reshape((math.prod(d.shape[:-2]),) + d.shape[-2:])  # (-1 is ambiguous when empty)
    out = np.stack([_expm(m) for m in flat]) if flat.size else flat.copy()
    out = make(np.ascontiguousarray(out.reshape(d.shape)))
    if needs_grad(self):
        record(out, LinalgMatrixExpBackward0, (self,), (save(self, "self"),))
    return out


def linalg_cond(input, p=None):
    """The condition number: s_max / s_min of the singular values for p None or 2 (-2: the
    inverse), else norm(A, p) * norm(inv(A), p), composed as PyTorch composes them; inf for a
    singular matrix (PyTorch fills the failed inverse with inf), 0 for an empty one."""
    A = input
    _tensor_arg(A, "linalg_cond", "input")
    if _amp.on:  # torch.autocast: float32 before the checks (core/autocast.py)
        with _amp.region_off():
            return linalg_cond(_amp.widen(A), p)
    d = A._data
    if d.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p not in (None, 2, -2, "fro", "nuc", 1, -1, math.inf, -math.inf) or \
            isinstance(p, bool):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    if p is None or p in (2, -2):
        _floating(A, "linalg.svd")  # (PyTorch's words name the SVD it calls)
        if d.size == 0:
            return make(np.zeros(d.shape[:-2], (d.real.dtype if d.dtype.kind == "c" else d.dtype)))
        s = _svd(A, False, "linalg.cond", compute_uv=False)[1]
        hi, lo = s.narrow(-1, 0, 1), s.narrow(-1, s.shape[-1] - 1, 1)
        return (hi / lo if p != -2 else lo / hi).squeeze(-1)
    if d.size == 0 and not isinstance(p, str):  # (a numeric order: 0 before the shape check)
        return make(np.zeros(d.shape[:-2], d.real.dtype if d.dtype.kind == "c" else d.dtype))
    if d.shape[-1] != d.shape[-2]:
        shown = {math.inf: "inf", -math.inf: "-inf"}.get(p, p)
        raise RuntimeError(f"linalg.cond(ord={shown}): A must be batches of square matrices, "
                           f"but they are {d.shape[-2]} by {d.shape[-1]} matrices")
    _floating(A, "linalg.inv")
    if d.size == 0:
        return make(np.zeros(d.shape[:-2], (d.real.dtype if d.dtype.kind == "c" else d.dtype)))
    inverse, info = _inv(A, "linalg.inv", False)
    inverse_norm = matrix_norm(inverse, p)
    singular = info._data.reshape(inverse_norm._data.shape) > 0
    if singular.any():  # (the norm of PyTorch's inf-filled inverse: inf, and 0 * inf is nan)
        inverse_norm = where(make(singular), make(np.full((), np.inf, inverse_norm._data.dtype)),
                             inverse_norm)
    product = matrix_norm(A, p) * inverse_norm
    return product if p == "nuc" else product.nan_to_num(math.inf, math.inf)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """torch.linalg.matrix_norm: 'fro'; 2, -2, 'nuc' from the singular values; or the largest
    (1, inf) or smallest (-1, -inf) sum of absolute values along
    columns (1) or rows (inf), composed as PyTorch composes it: a vector 1-norm, then amax or
    amin (the nodes LinalgVectorNormBackward0 and AmaxBackward0); in dtype when given."""
    rows, cols = _matrix_norm_checks(A, ord, dim)
    if dtype is not None:
        norm_dtype_checks("linalg.matrix_norm", A, dtype)
        A = A.to(dtype)
    if ord == "fro":
        return _vector_norm(A, 2, dim, keepdim)
    if ord not in _MAX_MIN_ORDERS:
        return singular_value_norm(A, ord, dim, keepdim)
    summed, kept = (cols, rows) if abs(ord) == math.inf else (rows, cols)
    if not keepdim and summed < kept:
        kept -= 1
    sums = _vector_norm(A, 1, summed, keepdim)
    if ord > 0 and sums.shape[kept] == 0:  # (the largest of no sums is 0 in PyTorch too)
        return sums.sum(kept, keepdim)
    return sums.amax(kept, keepdim) if ord > 0 else sums.amin(kept, keepdim)


_MAX_MIN_ORDERS = (1, -1, math.inf, -math.inf)
_MATRIX_ORDERS = ("fro", "nuc", 2, -2) + _MAX_MIN_ORDERS


def _matrix_norm_checks(A, ord, dim):
    """linalg.matrix_norm's checks in PyTorch's order: the order, A's dims, its dtype, then dim
    a 2-tuple of two different dims in range. Returns the two dims wrapped."""
    if isinstance(ord, complex):
        raise RuntimeError("linalg.matrix_norm: Expected a non-complex scalar as the order of "
                           "norm.")
    if not (isinstance(ord, str) or isinstance(ord, (int, float))) or ord not in _MATRIX_ORDERS:
        shown = int(ord) if isinstance(ord, float) and ord.is_integer() else ord
        raise RuntimeError(f"linalg.matrix_norm: Order {shown} not supported.")
    _at_least_2d(A, "linalg.matrix_norm")
    if ord in ("nuc", 2, -2) and A._data.dtype.kind != "c":
        _floating(A, "linalg.matrix_norm")  # (its SVD refuses low precision at once)
    elif A._data.dtype.kind not in "fcV":
        raise RuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_short(A._data.dtype)}")
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {_shown_dims(dim)}")
    rows, cols = (dim_arg(d, A.ndim) for d in dim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({rows}, {cols})")
    return rows, cols


def singular_value_norm(A, ord, dim, keepdim):
    """matrix_norm of order 2, -2 or 'nuc' as PyTorch composes it: the two dims moved last
    (permute), svdvals, then amax, amin or sum over them."""
    nd = A.ndim
    rows, cols = (d % nd for d in dim)
    rest = [d for d in range(nd) if d not in (rows, cols)]
    perm = rest + [rows, cols]
    s = linalg_svdvals(A.permute(*perm))
    if ord == 2 and s.shape[-1] == 0:  # PyTorch's largest of no singular values is 0
        out = s.sum(-1)
    else:
        out = s.amax(-1) if ord == 2 else s.amin(-1) if ord == -2 else s.sum(-1)
    if keepdim:
        out = out.unsqueeze(-1).unsqueeze(-1)
        back = [perm.index(d) for d in range(nd)]
        out = out.permute(*back)
    return out


@declare(tensor_first=True)
def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    """torch.norm / Tensor.norm, as PyTorch's functional.norm dispatches: a number or 'fro' is
    the vector norm over dim (every element by default), 'nuc' the nuclear norm over two dims
    (the last two by default); `dtype` casts the input first (a float dtype at least as wide)."""
    if dtype is not None:
        dtype = as_dtype(dtype)
        if not (dtype.is_floating_point or dtype.is_complex):
            raise RuntimeError(f"linalg.vector_norm: dtype should be floating point or complex, "
                               f"but got {dtype._short}")
        if self.dtype != dtype and not can_cast(self.dtype, dtype) or (
                dtype.itemsize < self.dtype.itemsize):
            raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({self.dtype._short})"
                               f" should be convertible without narrowing to the specified dtype "
                               f"({dtype._short})")
        if dtype != self.dtype:
            self = self.to(dtype)
    # a str order is a matrix norm, except 'fro' over all dims or one or two of them
    if isinstance(p, str) and (p != "fro" or isinstance(dim, (tuple, list)) and len(dim) > 2):
        if dim is None:
            dim = tuple(range(self.ndim))  # every dim: a 2-tuple only for a matrix
        return matrix_norm(self, p, dim if isinstance(dim, (tuple, list)) else (dim,), keepdim)
    return _vector_norm(self, p, dim, keepdim)


def _shown_dims(dim):
    return " ".join(str(d) for d in dim) if isinstance(dim, (tuple, list)) else str(dim)


def linalg_vander(x, *, N=None):
    """Powers x^0 ... x^(N-1) in the last dim: PyTorch's composition (cumprod over an expanded
    x, after a column of ones)."""
    _tensor_arg(x, "linalg_vander", "x")
    n = x.shape[-1] if N is None else N
    if x.ndim < 1:
        raise RuntimeError("linalg.vander: x must have at least one dimension.")
    if x._data.dtype.kind == "b" or x._data.dtype.kind == "V" or x._data.dtype == np.float16:
        raise RuntimeError("linalg.vander supports floating point, complex, and integer tensors, "
                           f"but got {_short(x._data.dtype)}")
    if n <= 1:
        if n < 0:
            raise RuntimeError("N must be greater than 1.")
        return make(np.ones(tuple(x.shape) + (n,), x._data.dtype))
    ones = make(np.ones(tuple(x.shape) + (1,), x._data.dtype))
    powers = x.unsqueeze(-1).expand(*x.shape, n - 1).cumprod(-1)
    return cat([ones, powers], -1)


# ----- least squares -----------------------------------------------------------------------------
LstsqResult = return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))


def _pinv_vjp(G, A, P):
    """The gradient through P = pinv(A) of <G, dP> (real case, the derivative of Golub and
    Pereyra): -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)."""
    m, n = A._data.shape[-2:]
    Im, In = _eye_like(m, A), _eye_like(n, A)
    Gt, Pt = _H(G), _H(P)
    return (-(Pt @ G @ Pt) + (Im - A @ P) @ Gt @ (P @ Pt) + (Pt @ P) @ Gt @ (In - P @ A))


@rule(n_outputs=2)
@_lifted
def LinalgLstsqBackward0(need, g, A, B, vector):
    """X = pinv(A) B: gB = pinv(A)^T gX, gA through pinv (the residuals PyTorch returns on the
    CPU's default driver are empty: no gradient flows from them)."""
    gX = g[0]
    if gX is None:
        return (None, None)
    if vector:
        gX, B = gX.unsqueeze(-1), B.unsqueeze(-1)
    P = linalg_pinv(A)
    gA = _pinv_vjp(gX @ _H(B), A, P) if need[0] else None
    gB = _H(P) @ gX if need[1] else None
    return (gA, gB.squeeze(-1) if vector and gB is not None else gB)


LinalgLstsqBackward0.complex_rule = True  # (written with _H)


def linalg_lstsq(input, b, rcond=None, *, driver=None):
    """The least-squares solution of AX = B: numpy's lstsq (LAPACK gelsd, the minimum-norm
    solution) per matrix; the other fields as the driver (gelsy on the CPU by default) gives
    them: the rank unless gels, singular values for gelsd and gelss, and the squared residuals
    of each column unless gelsy, when A is tall and of full rank (else empty)."""
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, b = _amp.widen(input, b)
    A, B = input, b
    _tensor_arg(A, "linalg_lstsq", "self")
    _tensor_arg(B, "linalg_lstsq", "b")
    name = "torch.linalg.lstsq"
    _floating(A, "linalg.lstsq")
    driver = "gelsy" if driver is None else driver
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError(f"{name}: parameter `driver` should be one of (gels, gelsy, gelsd, "
                           "gelss)")
    Ad, Bd = A._data, B._data
    if Ad.dtype != Bd.dtype:
        raise RuntimeError(f"{name}: Expected input and other to have the same dtype, but got "
                           f"input's dtype {_short(Ad.dtype)} and other's dtype "
                           f"{_short(Bd.dtype)}")
    if Ad.ndim < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    vector = Bd.ndim == Ad.ndim - 1
    b = Bd[..., None] if vector else Bd
    m, n = Ad.shape[-2:]
    if vector:  # (PyTorch broadcasts the batch dims before it compares the rows)
        try:
            np.broadcast_shapes(Ad.shape[:-2], b.shape[:-2])
        except ValueError:
            raise errors.broadcast_error(Ad.shape[:-2], b.shape[:-2]) from None
    if b.shape[-2] != m:
        raise RuntimeError(f"{name}: input.size(-2) should match other.size(-{1 + (not vector)})")
    batch = _batch_shape(Ad.shape[:-2], b.shape[:-2])
    count = math.prod(batch)  # (not -1: ambiguous for an empty matrix)
    a = np.broadcast_to(Ad, batch + (m, n)).reshape((count, m, n))
    bb = np.broadcast_to(b, batch + b.shape[-2:]).reshape((count, m, b.shape[-1]))
    eps = np.finfo(Ad.dtype).eps * max(m, n) if rcond is None else rcond
    if driver == "gels":  # QR (LQ when wide) without pivoting: an exact zero on R's diagonal
        for i, ai in enumerate(a):  # is LAPACK's error (a zero matrix solves to zeros)
            if not ai.any():
                continue
            diag = np.abs(np.diagonal(np.linalg.qr(ai if m >= n else ai.T, mode="r")))
            zero = np.flatnonzero(diag[:min(m, n)] == 0)
            if zero.size:
                raise LinAlgError(f"{name}: {_batch_prefix(Ad if Ad.ndim > 2 else b, i)}The "
                                  "least squares solution could not be computed because the "
                                  f"input matrix does not have full rank (error code: "
                                  f"{zero[0] + 1}).")
    xs, ranks, svs = [], [], []
    for ai, bi in zip(a, bb):
        if not ai.size:  # an empty matrix: the zero solution, rank 0
            xs.append(np.zeros((n, bi.shape[-1]), Ad.dtype))
            ranks.append(0)
            svs.append(np.zeros(0, Ad.dtype))
            continue
        x, _, rank, sv = lapack.lstsq(ai, bi, rcond=eps)
        xs.append(x)
        ranks.append(rank)
        svs.append(sv)
    k = b.shape[-1]
    x = np.stack(xs).reshape(batch + (n, k)) if xs else np.zeros(batch + (n, k), Ad.dtype)
    buf = np.zeros(batch + (max(m, n), k), Ad.dtype)  # LAPACK's buffer: column-major, B's rows
    buf = _column_major(buf)
    buf[..., :n, :] = x
    x = buf[..., :n, :]
    if vector:
        x = x[..., 0]
    solution = make(x)
    real = np.empty(0, Ad.dtype).real.dtype  # (a complex A's residuals are real)
    residuals = make(np.zeros((0,), real))
    if driver != "gelsy" and m > n and all(r == n for r in ranks):
        with np.errstate(all="ignore"):
            r = bb - a @ np.stack(xs) if xs else np.zeros((0, m, k), Ad.dtype)
            residuals = make((np.abs(r) ** 2).sum(-2).astype(real).reshape(batch + (k,)))
    rank = make(as_array(np.array(ranks, np.int64).reshape(batch))) if driver != "gels" \
        else make(np.zeros((0,), np.int64))
    sv = make(np.zeros((0,), real))
    if driver in ("gelsd", "gelss"):
        sv = make(np.stack(svs).astype(real).reshape(batch + (min(m, n),)) if svs
                  else np.zeros(batch + (min(m, n),), real))
    if needs_grad(A, B):
        _numbered(solution, residuals)
        record_multi([solution, residuals], LinalgLstsqBackward0, (A, B),
                     (save(A, "self"), save(B, "b"), vector))
    return LstsqResult._of(solution, residuals, rank, sv)


# ----- tensor inverse and solve: reshapes around inv and solve -----------------------------------
def linalg_tensorinv(input, ind=2):
    """The inverse of input seen as a matrix (its first `ind` dims by the rest), reshaped to
    input.shape[ind:] + input.shape[:ind] (PyTorch's composition of reshape and inv)."""
    _tensor_arg(input, "linalg_tensorinv", "input")
    if not isinstance(ind, int) or ind <= 0:
        raise RuntimeError("Expected a strictly positive integer for 'ind', but got " + str(ind))
    shape = tuple(input.shape)
    rows = int(np.prod(shape[:ind]))
    cols = int(np.prod(shape[ind:]))
    if rows != cols:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {cols} != {rows}")
    return _inv(input.reshape(rows, cols), "linalg.inv", True, "inv")[0].reshape(
        shape[ind:] + shape[:ind])


def _int_like(d):
    """An element PyTorch's int-list parser takes: an int (not a bool) or a 0-d integer tensor."""
    if isinstance(d, Tensor):
        return d.ndim == 0 and d._data.dtype.kind in "iu"
    return isinstance(d, int) and not isinstance(d, bool)


def linalg_tensorsolve(A, B, dims=None):
    """X with tensordot(A, X, X.ndim) = B: A's dims in `dims` moved last, A seen as a
    (numel(B), rest) matrix, solve, reshaped (PyTorch's composition)."""
    _tensor_arg(A, "linalg_tensorsolve", "A")
    _tensor_arg(B, "linalg_tensorsolve", "B")
    if dims is not None:
        if not isinstance(dims, (tuple, list)) or not all(
                _int_like(d) for d in dims):  # (before any work: a tensor of 10**6 rows)
            raise TypeError("linalg_tensorsolve(): argument 'dims' must be tuple of ints, not "
                            + type(dims).__name__)
        nd = A.ndim
        moved = [int(d) % nd for d in dims]
        A = A.permute(*([d for d in range(nd) if d not in moved] + moved))
    result_shape = tuple(A.shape)[B.ndim:]
    rows = int(np.prod(tuple(B.shape)))
    cols = int(np.prod(result_shape))
    if rows != cols:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[other.ndim:]) "
                           f"== prod(self.shape[:other.ndim]), but got {cols} != {rows}")
    return linalg_solve(A.reshape(rows, cols), B.reshape(rows)).reshape(result_shape)
