"""torch.special's Bessel functions J0, J1, Y0, Y1, K0, K1 (and scaled), and Airy's Ai
(gradsh/core/ops/bessel.py, no derivatives as in PyTorch): exact values (mpmath, recorded by
tools/record_linalg2.py into tests/data/linalg2.json), PyTorch 2.13's recorded facts and live
(special values exactly: nan, inf, signed zeros; dtypes; no grad_fn)."""

import math

import pytest

import gradsh
import linalg2_checks as checks

FAMILY = "bessel"
# PyTorch's J and Y kernels are off by up to ~2e-7 relative between 2 and 25 (its Airy by
# ~1.4e-8; K agrees to 1e-15): values are compared with PyTorch at 1e-6, with mpmath at 1e-11
TOL = {"float64": 1e-6, "float32": 2e-4}


@pytest.mark.parametrize("dtype_name", checks.cases.DTYPES)
@pytest.mark.parametrize("name", checks.names(FAMILY))
def test_values_dtypes_and_special_values_are_pytorchs(name, dtype_name):
    checks.check_recorded(name, dtype_name, TOL[dtype_name])


@pytest.mark.parametrize("name", checks.names(FAMILY)[::3])
def test_live_pytorch_gives_the_same(name):
    checks.check_live(name, "float64", TOL["float64"])


@pytest.mark.parametrize("case", checks.errors(FAMILY), ids=[c[0] for c in checks.errors(FAMILY)])
def test_errors_are_pytorchs(case):
    checks.check_error(case)


@pytest.mark.parametrize("name", checks.cases.BESSEL)
def test_values_are_exact(name):
    xs, want = zip(*checks.FACTS[f"mpmath|{name}"])
    got = getattr(gradsh.special, name)(gradsh.tensor(xs, dtype=gradsh.float64)).tolist()
    for x, g, w in zip(xs, got, want):
        # (beyond 1e3 the cosine of x - pi/4 carries x's rounding, as in every libm-based kernel)
        assert g == pytest.approx(w, rel=1e-11, abs=1e-300), x


def test_not_differentiable_as_in_pytorch():
    x = gradsh.tensor([0.5, 2.0], requires_grad=True)
    for name in checks.cases.BESSEL:
        y = getattr(gradsh.special, name)(x)
        assert not y.requires_grad and y.grad_fn is None


def test_odd_functions_keep_the_sign_of_zero():
    assert [math.copysign(1, v) for v in gradsh.special.bessel_j1(
        gradsh.tensor([0.0, -0.0])).tolist()] == [1.0, -1.0]
