"""det and the LU factorization against PyTorch, bit for bit: det is the product of the
diagonal of the LU factors of A^T, and getrf's bits are MKL's for real matrices up to order 16
(gradsh/core/ops/getrf.py); det's gradient at an exactly singular matrix is PyTorch's signed
zeros without a graph and the SVD's adjugate with one (docs/autograd.md, "Linear algebra")."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these bits")


def _matrices(seed, sizes, count):
    rng = np.random.default_rng(seed)
    for n in sizes:
        for dt in (np.float32, np.float64):
            for i in range(count):
                a = rng.standard_normal((n, n)).astype(dt)
                if i % 3 == 1:  # small integers: ties and exact zeros in the factors
                    a = np.round(a * 3)
                elif i % 3 == 2 and n > 1:  # exactly singular: one row a multiple of another
                    a[-1] = a[0] * dt(2)
                yield a


def _same(x, y):
    return np.array_equal(x, y) and np.array_equal(np.signbit(x), np.signbit(y))


def test_det_values_are_pytorchs_bits():
    bad = [a for a in _matrices(0, range(1, 17), 24)
           if not _same(gradsh.linalg.det(gradsh.tensor(a)).numpy(),
                        torch.linalg.det(torch.from_numpy(a)).numpy())]
    assert not bad, f"{len(bad)} matrices differ, first:\n{bad[0]}"


def test_lu_factor_is_pytorchs_bits():
    bad = []
    for a in _matrices(1, range(1, 17), 12):
        LU, piv, info = gradsh.linalg.lu_factor_ex(gradsh.tensor(a))
        tLU, tpiv, tinfo = torch.linalg.lu_factor_ex(torch.from_numpy(a))
        if not (_same(LU.numpy(), tLU.numpy()) and piv.tolist() == tpiv.tolist()
                and info.item() == tinfo.item()):
            bad.append(a)
    assert not bad, f"{len(bad)} matrices differ, first:\n{bad[0]}"


def _det_grad(L, a, g, create_graph=False):
    A = L.tensor(a, requires_grad=True)
    d = L.linalg.det(A)
    (out,) = L.autograd.grad(d, A, L.tensor(g, dtype=d.dtype), create_graph=create_graph)
    return out


def test_det_gradient_without_a_graph_is_pytorchs():
    """Bit for bit (signed zeros at singular matrices included) at orders 1, 2, 3 and 8, where
    the triangular solves take MKL's order; to rounding elsewhere (same LU, so consistent even
    next to a singular matrix)."""
    bad = []
    for i, a in enumerate(_matrices(2, range(1, 17), 12)):
        g = (-1.5, 2.0, 1.0)[i % 3]
        mine = _det_grad(gradsh, a, g).numpy()
        theirs = _det_grad(torch, a, g).numpy()
        if a.shape[0] in (1, 2, 3, 8):
            ok = _same(mine, theirs)
        else:
            scale = np.abs(theirs).max() + 1e-30
            ok = np.allclose(mine, theirs, rtol=0, atol=scale * (1e-3 if a.dtype == np.float32
                                                                  else 1e-9))
        if not ok:
            bad.append((a, mine, theirs))
    assert not bad, f"{len(bad)} differ, first: {bad[0]}"


@pytest.mark.parametrize("batch", [False, True])
def test_det_gradient_with_a_graph_at_a_singular_matrix(batch):
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    if batch:  # one singular matrix beside a regular one
        a = np.stack([a, np.array([[1.0, 2.0], [3.0, 4.0]])])
    outs = []
    for L in (gradsh, torch):
        A = L.tensor(a, requires_grad=True)
        (g,) = L.autograd.grad(L.linalg.det(A).sum(), A, create_graph=True)
        (h,) = L.autograd.grad((g * g).sum(), A)
        outs.append((g.detach().numpy(), h.numpy(), g.requires_grad))
    (g1, h1, r1), (g2, h2, r2) = outs
    assert r1 and r2
    np.testing.assert_allclose(g1, g2, atol=1e-6)
    np.testing.assert_allclose(h1, h2, atol=1e-5)


def test_det_gradient_of_a_1x1_matrix_is_one_even_at_zero():
    for v in (0.0, 49.0, -3.0):
        for L in (gradsh, torch):
            A = L.tensor([[v]], dtype=L.float64, requires_grad=True)
            L.linalg.det(A).backward()
            assert A.grad.item() == 1.0


def test_det_forward_mode_tangent_is_pytorchs_at_singular_and_regular_matrices():
    """det * tr(A^-1 dA) by A's LU; at a singular matrix a signed zero (PyTorch's LU with the
    zero pivot nudged), not tr(adj(A) dA)."""
    rng = np.random.default_rng(3)
    bad = []
    for a in _matrices(4, (2, 3, 4), 6):
        t = rng.standard_normal(a.shape).astype(a.dtype)
        outs = []
        for L in (gradsh, torch):
            with L.autograd.forward_ad.dual_level():
                d = L.linalg.det(L.autograd.forward_ad.make_dual(L.tensor(a), L.tensor(t)))
                outs.append(L.autograd.forward_ad.unpack_dual(d).tangent.numpy())
        mine, theirs = outs
        if theirs == 0:
            ok = _same(mine, theirs)
        else:
            ok = np.allclose(mine, theirs, rtol=1e-3 if a.dtype == np.float32 else 1e-9)
        if not ok:
            bad.append((a, t, mine, theirs))
    assert not bad, f"{len(bad)} differ, first: {bad[0]}"


def test_slogdet_float64_is_pytorchs_bits():
    """log|det| is the sum of the logs of |diag(LU(A^T))| with PyTorch's log and sum order;
    float64 only: PyTorch's float32 log is MKL's (closed source; tests/core/test_float32_kernels.py)."""
    bad = []
    for a in _matrices(5, range(1, 17), 6):
        if a.dtype != np.float64:
            continue
        s, l = gradsh.linalg.slogdet(gradsh.tensor(a))
        ts, tl = torch.linalg.slogdet(torch.from_numpy(a))
        if not (_same(s.numpy(), ts.numpy()) and _same(l.numpy(), tl.numpy())):
            bad.append(a)
    assert not bad, f"{len(bad)} matrices differ, first:\n{bad[0]}"
