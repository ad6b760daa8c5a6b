"""Branch cplxdist's fixes against PyTorch itself: float32 lgamma's digits, Binomial's float32
log-probabilities and Multinomial's entropy for many draws, cholesky_ex's partial factor of a
matrix that is not positive-definite, cholesky_solve's broadcast right-hand side, lstsq's
dtype error, pinv and matrix_rank with hermitian=True reading the lower triangle, and the
complex linear algebra's values and gradients on random inputs (tests/data/linalg3_cases.py
holds the printed cases)."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these checks")


def test_float32_lgamma_is_pytorchs_on_integers_and_nearly_everywhere():
    ints = np.arange(1, 2000, dtype=np.float32)
    assert np.array_equal(gradsh.lgamma(gradsh.tensor(ints)).numpy(),
                          torch.lgamma(torch.tensor(ints)).numpy())
    x = np.random.default_rng(0).uniform(0, 100, 20000).astype(np.float32)
    same = gradsh.lgamma(gradsh.tensor(x)).numpy() == torch.lgamma(torch.tensor(x)).numpy()
    assert same.mean() > 0.99  # (libm's lgammaf agreed on 56%)


@pytest.mark.parametrize("n", [3, 10, 50, 200])
def test_multinomial_float32_entropy_and_binomial_log_prob_are_pytorchs_bits(n):
    for lib in (gradsh, torch):
        lib.manual_seed(0)
    probs = [[0.2, 0.3, 0.5], [0.01, 0.01, 0.98]]
    ours = gradsh.distributions.Multinomial(n, probs=gradsh.tensor(probs)).entropy().numpy()
    theirs = torch.distributions.Multinomial(n, probs=torch.tensor(probs)).entropy().numpy()
    assert np.array_equal(ours, theirs)
    p = [0.1, 0.5, 0.99, 0.0, 1.0]
    ob = gradsh.distributions.Binomial(n, probs=gradsh.tensor(p))
    tb = torch.distributions.Binomial(n, probs=torch.tensor(p))
    assert np.array_equal(ob.log_prob(ob.enumerate_support(False)).numpy(),
                          tb.log_prob(tb.enumerate_support(False)).numpy())


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_ex_leaves_lapacks_partial_factor(dtype, upper):
    rng = np.random.default_rng(1)
    for n in range(2, 7):
        x = rng.standard_normal((2, n, n)) + (1j * rng.standard_normal((2, n, n))
                                               if dtype == "complex128" else 0)
        h = x @ np.swapaxes(x.conj(), -1, -2) + 0.5 * np.eye(n)
        h[1, n // 2, n // 2] -= 40.0
        ours = gradsh.linalg.cholesky_ex(gradsh.tensor(h), upper=upper)
        theirs = torch.linalg.cholesky_ex(torch.tensor(h), upper=upper)
        assert np.array_equal(ours.info.numpy(), theirs.info.numpy())
        assert np.allclose(ours.L.numpy(), theirs.L.numpy(), atol=1e-10)


@pytest.mark.parametrize("b_shape,a_shape", [((2, 2), (2, 2, 2)), ((3, 2), (4, 3, 3)),
                                             ((5, 1, 3, 2), (4, 3, 3)), ((1, 3, 1), (2, 3, 3))])
def test_cholesky_solve_broadcasts_the_right_hand_side_as_matrices(b_shape, a_shape):
    rng = np.random.default_rng(2)
    b = rng.standard_normal(b_shape)
    a = rng.standard_normal(a_shape)
    a = a @ np.swapaxes(a, -1, -2) + 3 * np.eye(a_shape[-1])
    ours = gradsh.cholesky_solve(gradsh.tensor(b), gradsh.linalg.cholesky(gradsh.tensor(a)))
    theirs = torch.cholesky_solve(torch.tensor(b), torch.linalg.cholesky(torch.tensor(a)))
    assert ours.shape == theirs.shape and np.allclose(ours.numpy(), theirs.numpy())


def test_lstsq_dtype_error_names_short_dtypes():
    def message(lib, a, b):
        with pytest.raises(RuntimeError) as e:
            lib.linalg.lstsq(lib.tensor(a), lib.tensor(b))
        return str(e.value)
    a = np.ones((3, 2))
    for b in (np.ones((3, 1), np.float32), np.ones((3, 1), np.complex128)):
        assert message(gradsh, a, b) == message(torch, a, b)


def test_hermitian_pinv_and_rank_read_the_lower_triangle_as_pytorch():
    m = np.array([[1.0, 5.0], [0.0, 1.0]])
    assert int(gradsh.linalg.matrix_rank(gradsh.tensor(m), hermitian=True)) == int(
        torch.linalg.matrix_rank(torch.tensor(m), hermitian=True))
    c = np.array([[2.0, 5.0 + 1j], [0.3j, -1.0]])
    ours = gradsh.linalg.pinv(gradsh.tensor(c), hermitian=True).numpy()
    assert np.allclose(ours, torch.linalg.pinv(torch.tensor(c), hermitian=True).numpy())


_OPS = {
    "cholesky": lambda l, X: l.linalg.cholesky(X @ X.mH + 3 * l.eye(3, dtype=X.dtype)),
    "qr": lambda l, X: l.linalg.qr(X)[0].abs() + l.linalg.qr(X)[1].real,
    "lstsq": lambda l, X: l.linalg.lstsq(X, X[:, :2]).solution,
    "pinv": lambda l, X: l.linalg.pinv(X[:, :2]),
    "matrix_exp": lambda l, X: l.linalg.matrix_exp(X),
    "solve_triangular": lambda l, X: l.linalg.solve_triangular(X + 3, X.mT, upper=True),
    "lu": lambda l, X: l.linalg.lu(X)[1] + l.linalg.lu(X)[2],
    "lu_solve": lambda l, X: l.linalg.lu_solve(*l.linalg.lu_factor(X), X.mT, adjoint=True),
    "householder_product": lambda l, X: l.linalg.householder_product(*l.geqrf(X.detach()))
    * 0 + l.linalg.householder_product(l.geqrf(X.detach())[0] + X, l.geqrf(X.detach())[1]),
    "ormqr": lambda l, X: l.ormqr(l.geqrf(X.detach())[0] + X, l.geqrf(X.detach())[1], X.mT,
                                  transpose=True),
    "cholesky_solve": lambda l, X: l.cholesky_solve(X, l.linalg.cholesky(
        X @ X.mH + 3 * l.eye(3, dtype=X.dtype)), upper=False),
}


@pytest.mark.parametrize("name", sorted(_OPS))
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_linalg_values_and_gradients_are_pytorchs(name, dtype):
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))).astype(dtype)
    w = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    results = []
    for lib in (gradsh, torch):
        X = lib.tensor(x, requires_grad=True)
        out = _OPS[name](lib, X)
        W = lib.tensor(w[:out.shape[0], :out.shape[1]]).to(out.dtype)
        (out * W).real.sum().backward() if out.is_complex() else (out * W.real).sum().backward()
        results.append((out.detach().numpy(), X.grad.numpy()))
    tol = 1e-4 if dtype == "complex64" else 1e-10
    assert np.allclose(results[0][0], results[1][0], rtol=tol, atol=tol)
    assert np.allclose(results[0][1], results[1][1], rtol=tol, atol=tol)
