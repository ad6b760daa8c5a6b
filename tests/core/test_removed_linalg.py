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
def test_linalg_eig_gives_complex_results_where_torch_eig_is_removed(name):
    # (the complex dtypes came with branch complex: tests/core/test_complex.py compares them)
    out = getattr(gradsh.linalg, name)(gradsh.eye(2))
    values = out[0] if name == "eig" else out
    assert values.dtype is gradsh.complex64 and values.tolist() == [1 + 0j, 1 + 0j]
    with pytest.raises(RuntimeError, match="This function was deprecated since version 1.9"):
        gradsh.eig(gradsh.eye(2))
