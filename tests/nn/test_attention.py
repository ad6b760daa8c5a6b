"""Attention and the Transformer layers against PyTorch 2.13's recorded facts
(tests/data/attention.json, recorded by tools/record_attention.py from
tests/data/attention_cases.py): reprs, state_dict names, initial parameters under manual_seed
(bit for bit), warnings, outputs, backward graphs, gradients of inputs and parameters (dropout
masks drawn as PyTorch draws them), F.scaled_dot_product_attention's two paths and misuses.
The live test re-runs PyTorch when it is installed."""

import json
import math
import pathlib
import sys

import numpy as np
import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import attention_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "attention.json").read_text())["facts"]
# float32 results go through other matmul kernels (and PyTorch's blocked flash-attention
# kernel), so they agree within rounding; float64 within 1e-12
TOLERANCE = {"float32": 2e-5, "float64": 1e-12}
EXACT = ("repr", "state", "init", "warnings", "graph", "dtype", "strides", "same", "version",
         "grad_graph")


def _within(want, got, tol):
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(_within(w, g, tol) for w, g in zip(want, got))
    if isinstance(want, float) and isinstance(got, float):
        return (want == got or math.isclose(want, got, rel_tol=tol, abs_tol=tol)
                or (math.isnan(want) and math.isnan(got)))
    return want == got


def _compare(want, got, dtype):
    assert sorted(want) == sorted(got)
    for field in want:
        if field in EXACT:
            assert got[field] == want[field], field
        else:
            assert _within(want[field], got[field], TOLERANCE[dtype]), field


@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.MODULES, ids=[c[0] for c in cases.MODULES])
def test_module_matches_pytorch(case, dtype):
    _compare(FACTS[cases.key(case, dtype)], cases.run(gradsh, case, dtype), dtype)


@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.FUNCTIONAL, ids=[c[0] for c in cases.FUNCTIONAL])
def test_scaled_dot_product_attention_matches_pytorch(case, dtype):
    _compare(FACTS["F " + cases.key(case, dtype)], cases.run_functional(gradsh, case, dtype),
             dtype)


@pytest.mark.parametrize("dtype", cases.DTYPES)
@pytest.mark.parametrize("case", cases.INPLACE, ids=[f"{c[0]}{c[1]}{c[2]}" for c in cases.INPLACE])
def test_inplace_activation_matches_pytorch(case, dtype):
    _compare(FACTS[cases.inplace_key(case, dtype)], cases.run_inplace(gradsh, case, dtype), dtype)


def test_dirac_and_sparse_init_draw_pytorchs_numbers():
    assert cases.run_init(gradsh) == FACTS["init"]


@pytest.mark.parametrize("label", sorted(cases.ERRORS))
def test_misuse_is_refused_with_pytorchs_words(label):
    assert cases.error(gradsh, label) == FACTS["error: " + label]


def test_live_pytorch_gives_the_recorded_facts():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: live check skipped")
    torch.set_num_threads(1)
    c, d = cases.MODULES[0], "float64"
    assert cases.run(torch, c, d) == FACTS[cases.key(c, d)]
    c = cases.FUNCTIONAL[0]
    assert cases.run_functional(torch, c, d) == FACTS["F " + cases.key(c, d)]
    assert [cases.error(torch, label) for label in cases.ERRORS] == \
        [FACTS["error: " + label] for label in cases.ERRORS]


def test_fused_attention_has_no_second_derivative():
    q, k, v = (gradsh.randn(1, 2, 3, 4, dtype=gradsh.float64, requires_grad=True)
               for _ in range(3))
    out = gradsh.nn.functional.scaled_dot_product_attention(q, k, v)
    g, = gradsh.autograd.grad(out.sum(), q, create_graph=True)
    assert g.grad_fn.name() == "torch::autograd::NotImplemented"
    with pytest.raises(RuntimeError, match="derivative for aten::_scaled_dot_product_flash_"
                                           "attention_for_cpu_backward is not implemented"):
        g.sum().backward()


def test_fused_and_math_paths_agree_with_finite_differences():
    """Both paths' first derivatives are those of softmax(q k^T / sqrt(E)) v."""
    gradsh.manual_seed(1)
    F = gradsh.nn.functional
    q, k, v = (gradsh.randn(1, 2, 3, 4, dtype=gradsh.float64, requires_grad=True)
               for _ in range(3))
    mask = gradsh.randn(3, 3, dtype=gradsh.float64)
    assert gradsh.autograd.gradcheck(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, mask, is_causal=False),
        (q, k, v))
    assert gradsh.autograd.gradcheck(
        lambda q, k, v: F.scaled_dot_product_attention(q[0], k[0], v[0], is_causal=True),
        (q, k, v))
    assert gradsh.autograd.gradgradcheck(
        lambda q, k, v: F.scaled_dot_product_attention(q[0], k[0], v[0]), (q, k, v))


def test_baddbmm_in_place_and_gradients():
    gradsh.manual_seed(2)
    a = gradsh.randn(2, 3, 5, dtype=gradsh.float64, requires_grad=True)
    b = gradsh.randn(2, 3, 4, dtype=gradsh.float64, requires_grad=True)
    c = gradsh.randn(2, 4, 5, dtype=gradsh.float64, requires_grad=True)
    assert gradsh.autograd.gradgradcheck(
        lambda a, b, c: gradsh.baddbmm(a, b, c, beta=0.5, alpha=-2.0), (a, b, c))
    out = a.detach().clone().baddbmm_(b.detach(), c.detach(), beta=0.0)
    assert np.allclose(out.numpy(), np.matmul(b.detach().numpy(), c.detach().numpy()))
