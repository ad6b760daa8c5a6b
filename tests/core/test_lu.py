"""LU with partial pivoting (gradsh/core/ops/lu.py): torch.linalg.lu, lu_factor, lu_factor_ex,
lu_solve; torch.lu, lu_unpack, lu_solve and the Tensor methods, against PyTorch 2.13's recorded
facts (tests/data/linalg2.json) and live; gradcheck / gradgradcheck (mathematics)."""

import warnings

import pytest

import gradsh
import linalg2_checks as checks

FAMILY = "lu"


@pytest.mark.parametrize("dtype_name", checks.cases.DTYPES)
@pytest.mark.parametrize("name", checks.names(FAMILY))
def test_values_nodes_strides_and_gradients_are_pytorchs(name, dtype_name):
    checks.check_recorded(name, dtype_name)


@pytest.mark.parametrize("name", checks.names(FAMILY)[::3])
def test_live_pytorch_gives_the_same(name):
    checks.check_live(name, "float64")


@pytest.mark.parametrize("case", checks.errors(FAMILY), ids=[c[0] for c in checks.errors(FAMILY)])
def test_errors_are_pytorchs(case):
    checks.check_error(case)


@pytest.mark.parametrize("name", checks.cases.GRADCHECK[FAMILY])
def test_gradcheck_and_gradgradcheck(name):
    checks.check_gradients(name)


def test_the_recorded_facts_cover_every_case():
    assert checks.recorded_keys() <= set(checks.FACTS), "re-record: python tools/record_linalg2.py"


def test_pivot_is_the_first_entry_of_largest_magnitude():
    """getrf's idamax: of the tied |2| and |-2| in the first column, the first is the pivot."""
    a = gradsh.tensor([[1.0, 1.0], [2.0, 0.0], [-2.0, 1.0]])
    LU, pivots = gradsh.linalg.lu_factor(a)
    assert pivots.tolist() == [2, 2]  # (then |1| and |1| tie: the first again)
    assert LU.tolist()[0] == [2.0, 0.0]


def test_factors_rebuild_the_matrix_and_solve_agrees_with_solve():
    a = gradsh.randn(2, 4, 4, dtype=gradsh.float64)
    P, L, U = gradsh.linalg.lu(a)
    assert gradsh.allclose(P @ L @ U, a, atol=1e-12)
    b = gradsh.randn(2, 4, 3, dtype=gradsh.float64)
    x = gradsh.linalg.lu_solve(*gradsh.linalg.lu_factor(a), b)
    assert gradsh.allclose(x, gradsh.linalg.solve(a, b), atol=1e-10)


def test_deprecated_names_warn_as_pytorch():
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        LU, piv = gradsh.lu(gradsh.eye(2))
        gradsh.lu_solve(gradsh.ones(2, 1), LU, piv)
    texts = [str(w.message) for w in seen]
    assert texts[0].startswith("torch.lu is deprecated in favor of torch.linalg.lu_factor")
    assert texts[1].startswith("torch.lu_solve is deprecated in favor of torch.linalg.lu_solve")
