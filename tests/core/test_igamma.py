"""The regularized incomplete gamma functions (gradsh/core/ops/igamma.py): torch.igamma,
igammac, their methods and in-place forms, torch.special.gammainc / gammaincc, against PyTorch
2.13's recorded facts (tests/data/linalg2.json) and live, against exact values (mpmath, recorded
beside them), and gradcheck / gradgradcheck in x."""

import pytest

import gradsh
import linalg2_checks as checks

FAMILY = "igamma"
# PyTorch's kernel is Cephes' (Temme's expansion for large a): it is off by up to ~2e-9
# relative there (test_values_are_exact shows gradsh is not), so values agree to 1e-8
TOL = {"float64": 1e-8, "float32": 2e-4}


@pytest.mark.parametrize("dtype_name", checks.cases.DTYPES)
@pytest.mark.parametrize("name", checks.names(FAMILY))
def test_values_nodes_strides_and_gradients_are_pytorchs(name, dtype_name):
    checks.check_recorded(name, dtype_name, TOL[dtype_name])


@pytest.mark.parametrize("name", checks.names(FAMILY)[::2])
def test_live_pytorch_gives_the_same(name):
    checks.check_live(name, "float64", TOL["float64"])


@pytest.mark.parametrize("case", checks.errors(FAMILY), ids=[c[0] for c in checks.errors(FAMILY)])
def test_errors_are_pytorchs(case):
    checks.check_error(case)


@pytest.mark.parametrize("name", checks.cases.GRADCHECK[FAMILY])
def test_gradcheck_and_gradgradcheck_in_x(name):
    checks.check_gradients(name)


def test_values_are_exact():
    a, x, p, q = zip(*checks.FACTS["mpmath|gammainc"])
    A, X = gradsh.tensor(a, dtype=gradsh.float64), gradsh.tensor(x, dtype=gradsh.float64)
    for got, want in ((gradsh.igamma(A, X), p), (gradsh.igammac(A, X), q)):
        for g, w in zip(got.tolist(), want):
            # (Q as 1 - P where P is near 1, at a = x = 0.001, keeps 1e-13)
            assert g == pytest.approx(w, rel=1e-13, abs=1e-300)


def test_grad_of_x_alone_does_not_raise_for_a():
    """autograd.grad asks only for x: PyTorch does not run a's not-implemented derivative."""
    a = gradsh.tensor([1.0, 2.0], requires_grad=True)
    x = gradsh.tensor([0.5, 3.0], requires_grad=True)
    (g,) = gradsh.autograd.grad(gradsh.igamma(a, x).sum(), x)
    assert g.tolist() == pytest.approx([0.60653066, 0.14936121], rel=1e-6)
    with pytest.raises(NotImplementedError, match="the derivative for 'igamma: input'"):
        gradsh.igamma(a, x).sum().backward()
