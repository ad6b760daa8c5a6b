"""LAPACK getrf's LU factorization with partial pivoting, written here on numpy alone: at step j
the pivot is the first entry of largest magnitude in column j on or below the diagonal
(idamax), its row is swapped up, the column below is scaled by the pivot's reciprocal and the
trailing block takes the rank-1 update. A zero pivot leaves its column as it is and sets `info`
to the first such step (1-based), as getrf does. Used by the LU names (lu.py), by det and by the
singular solves of dense.py.

Measured against PyTorch's CPU getrf (MKL), bit for bit: one exception to the reciprocal is
square real matrices of order 2 to 4, whose last scaled column (one entry below the pivot)
is divided by the pivot; with it, random matrices of orders 1 to 16 factor to PyTorch's bits
(tests/core/test_det_lu_bits.py). Larger orders go through MKL's blocked algorithm there and
may differ in the last bits."""

import math

import numpy as np

from ..memory import check_flops


def getrf(a):
    """(LU, pivots, info) of each matrix of a (..., m, n) float array: LU packed (unit L
    strictly below the diagonal, U on and above), pivots 1-based int32 (..., min(m, n)), info
    int32 (...)."""
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    k = min(m, n)
    # k rank-1 updates, each a pass of numpy over the trailing block: about twenty times
    # slower per multiply-add than LAPACK's blocked getrf (the work limit counts it so)
    check_flops(20 * math.prod(batch) * m * n * k,
                f"an LU factorization of a {'x'.join(map(str, a.shape))} matrix")
    if a.size == 0:
        return (np.array(a, copy=True), np.zeros(batch + (k,), np.int32),
                np.zeros(batch, np.int32))
    lu = np.array(a, copy=True).reshape((-1, m, n))
    count = lu.shape[0]
    piv = np.zeros((count, k), np.int32)
    info = np.zeros(count, np.int32)
    rows = np.arange(count)
    one = a.dtype.type(1)
    divide_at = n - 2 if m == n and 2 <= n <= 4 and a.dtype.kind in "fV" else -1
    with np.errstate(all="ignore"):
        for j in range(k):
            col = lu[:, j:, j]  # (izamax: |Re| + |Im| for complex)
            size = np.abs(col.real) + np.abs(col.imag) if col.dtype.kind == "c" else np.abs(col)
            p = j + np.argmax(size, axis=1)
            piv[:, j] = p + 1
            top = lu[rows, j].copy()
            lu[rows, j] = lu[rows, p]
            lu[rows, p] = top
            pivot = lu[:, j, j]
            zero = pivot == 0
            info[zero & (info == 0)] = j + 1
            if j == divide_at:
                lu[:, j + 1:, j] /= np.where(zero, one, pivot)[:, None]
            else:
                scale = np.where(zero, one, one / np.where(zero, one, pivot))
                lu[:, j + 1:, j] *= scale[:, None]
            lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j, None] * lu[:, None, j, j + 1:]
    return lu.reshape(a.shape), piv.reshape(batch + (k,)), info.reshape(batch)
