"""torch.triangular_solve (and the method), torch.renorm (renorm, renorm_), torch.nuclear_norm
and torch.chain_matmul (gradsh/core/ops/linalg_more.py) against PyTorch 2.13's recorded facts
(tests/data/linalg2.json) and live; gradcheck / gradgradcheck."""

import pytest

import linalg2_checks as checks

FAMILY = "linalg_more"


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
