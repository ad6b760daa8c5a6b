"""torch.svd_lowrank and torch.pca_lowrank: a randomized truncated SVD (Halko, Martinsson and
Tropp 2009, the algorithm PyTorch's docs cite): a standard normal test matrix (n x q, drawn from
the global generator as PyTorch draws it), the range of A times it made orthonormal by QR,
`niter` subspace iterations through A^H and A, then the SVD of the small projection Q^H A.
Composed of differentiable ops (matmul, qr, svd), so gradients flow as PyTorch's do."""

from .. import factories
from .dense import linalg_qr, linalg_svd
from .registry import declare


def _mH(x):
    return x.mT.conj() if x.is_complex() else x.mT


def _range_finder(A, q, niter, M):
    """An orthonormal basis Q (m x q) of the range of A - M."""
    n = A.shape[-1]
    R = factories.randn(n, q, dtype=A.dtype)  # one test matrix for every matrix of a batch
    AH = _mH(A)
    MH = None if M is None else _mH(M)
    Y = A @ R if M is None else A @ R - M @ R
    Q = linalg_qr(Y).Q
    for _ in range(niter):
        Z = AH @ Q if M is None else AH @ Q - MH @ Q
        Q = linalg_qr(Z).Q
        Y = A @ Q if M is None else A @ Q - M @ Q
        Q = linalg_qr(Y).Q
    return Q


def _lowrank(A, q, niter, M):
    m, n = A.shape[-2:]
    q = 6 if q is None else q  # (more columns than min(m, n): QR and SVD keep min(m, n))
    niter = 2 if niter is None else niter
    if m < n:  # the range of the transpose is the smaller one
        U, S, V = _lowrank_tall(_mH(A), q, niter, None if M is None else _mH(M))
        return V, S, U
    return _lowrank_tall(A, q, niter, M)


def _lowrank_tall(A, q, niter, M):
    Q = _range_finder(A, q, niter, M)
    B = _mH(Q) @ A if M is None else _mH(Q) @ A - _mH(Q) @ M
    U, S, Vh = linalg_svd(B, full_matrices=False)
    return Q @ U, S, _mH(Vh)


@declare(method=False, tensor_first="A")
def svd_lowrank(A, q=6, niter=2, M=None):
    """(U, S, V), A - M ~ U diag(S) V^H of rank q (at most min(m, n)), randomized."""
    if A.ndim < 2:
        raise ValueError("not enough values to unpack (expected 2, got 1)")
    return _lowrank(A, q, niter, M)


@declare(method=False, tensor_first="A")
def pca_lowrank(A, q=None, center=True, niter=2):
    """(U, S, V) of the principal components of A's rows: svd_lowrank of A minus its column
    means (center), q = min(6, m, n) by default."""
    if A.ndim < 2:
        raise ValueError("not enough values to unpack (expected 2, got 1)")
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (isinstance(q, int) and 0 <= q <= min(m, n)):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, "
                         f"n)={min(m, n)}")
    if not center:
        return _lowrank(A, q, niter, None)
    mean = A.mean(dim=-2, keepdim=True)
    return _lowrank(A, q, niter, mean.expand(A.shape))
