"""Names PyTorch 2.13 keeps only to refuse (gradsh/core/ops/removed.py): torch.solve, lstsq,
symeig, eig, matrix_rank and the methods, with PyTorch's exception and words (recorded in
tests/data/linalg2.json, and live); torch.linalg.eig / eigvals, whose results are complex,
refuse with a NotImplementedError that says why (docs/autograd.md, "What differs")."""

import pytest

import gradsh
import linalg2_checks as checks

FAMILY = "removed"


@pytest.mark.parametrize("case", checks.errors(FAMILY), ids=[c[0] for c in checks.errors(FAMILY)])
def test_removed_names_raise_pytorchs_error(case):
    checks.check_error(case)


@pytest.mark.parametrize("case", checks.errors(FAMILY)[::4],
                         ids=[c[0] for c in checks.errors(FAMILY)[::4]])
def test_live_pytorch_gives_the_same(case):
    checks.check_error_live(case)


@pytest.mark.parametrize("name", ["eig", "eigvals"])
def test_complex_results_are_refused_with_the_reason(name):
    with pytest.raises(NotImplementedError, match="gradsh has no complex dtypes") as e:
        getattr(gradsh.linalg, name)(gradsh.eye(2))
    assert "eigh" in str(e.value)
