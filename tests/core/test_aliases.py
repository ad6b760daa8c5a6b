"""Branch aliases (issue 15): every new torch-level alias and Tensor method called with good and
bad arguments, against PyTorch 2.13's facts in tests/data/aliases.json (recorded by
tools/record_aliases.py from tests/data/aliases_cases.py): the printed result (values, dtype,
grad_fn names, gradients) or the exception's type and message, and the warnings given. The
random fills (cauchy_, log_normal_, geometric_, poisson, binomial, bernoulli) are PyTorch's draws
under manual_seed(0), bit for bit. No torch needed."""

import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import aliases_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "aliases.json").read_text())["facts"]


def test_every_case_is_recorded():
    assert [c for c in cases.CASES if c not in FACTS] == []


@pytest.mark.parametrize("case", cases.CASES)
def test_case_matches_pytorch(case):
    assert cases.run(gradsh, case) == FACTS[case]


def test_the_copy_ops_nodes_are_the_views_with_pytorchs_suffix():
    x = gradsh.ones(2, 3, requires_grad=True)
    for name, args, node in [("t_copy", (), "TBackward0_copy"),
                             ("transpose_copy", (0, 1), "TransposeBackward0_copy"),
                             ("permute_copy", ((1, 0),), "PermuteBackward0_copy"),
                             ("narrow_copy", (1, 0, 2), "NarrowCopyBackward0"),
                             ("unbind_copy", (), "UnbindBackward0_copy"),
                             ("split_copy", (1,), "SplitBackward0_copy")]:
        out = getattr(gradsh, name)(x, *args)
        first = out[0] if isinstance(out, tuple) else out
        assert first.grad_fn.name() == node
        assert first.is_contiguous() and first._base is None  # a copy, not a view
    # the view op itself keeps its own node
    assert x.t().grad_fn.name() == "TBackward0"
    assert x.split(1)[0].grad_fn.name() == "SplitBackward0"


def test_expand_copy_is_bounded_by_the_memory_limit():
    with pytest.raises(Exception) as e:
        gradsh.expand_copy(gradsh.ones(1), (10 ** 6, 10 ** 6))
    assert "limit" in str(e.value) or "too large" in str(e.value).lower()


def test_bfloat16_converts():
    # (the values and their printing against PyTorch: tests/core/test_bfloat16.py)
    t = gradsh.tensor([1.0, 1.00390625]).bfloat16()
    assert t.dtype is gradsh.bfloat16 and t.tolist() == [1.0, 1.0]


def test_const_data_ptr_is_data_ptr():
    x = gradsh.ones(3)
    assert x[1:].const_data_ptr() == x[1:].data_ptr()


def test_unravel_index_of_a_non_tensor_fails_as_pytorchs_code():
    # PyTorch 2.13 calls indices.is_complex() first (found by the API fuzzer, seed 17)
    import gradsh as torch
    with pytest.raises(TypeError, match="'bool' object is not callable"):
        torch.unravel_index(torch.int64, (2,))
    with pytest.raises(AttributeError, match="'int' object has no attribute 'is_complex'"):
        torch.unravel_index(3, (2,))
