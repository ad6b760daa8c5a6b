"""float32 sum and mean in PyTorch's CPU summation order (gradsh/core/ops/summation.py), against
PyTorch 2.13's sums recorded by tools/record_sums.py into tests/data/float32_sums.json, and the
"PyTorch: Tensors" tutorial's printed text recorded by tools/record_poly_fit.py into
tests/data/poly_fit_tensors.json."""

import base64
import itertools
import json
import math
import sys
import pathlib

import numpy as np
import pytest

import gradsh as torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = json.loads((ROOT / "tests" / "data" / "float32_sums.json").read_text())
sys.path.insert(0, str(ROOT / "tools"))
from record_sums import digest, dim_inputs, inputs  # noqa: E402  the arrays PyTorch summed
import record_poly_fit  # noqa: E402  the tutorial program PyTorch ran

CASES = [(shape, a, c) for (shape, a), c in zip(inputs(), DATA["cases"], strict=True)]
DIM_CASES = [(item, c) for item, c in zip(dim_inputs(), DATA["dim_cases"], strict=True)]
POLY = json.loads((ROOT / "tests" / "data" / "poly_fit_tensors.json").read_text())


def _tensor(a, layout):
    """a as a gradsh tensor: contiguous ("c") or a transposed view of a contiguous copy ("t")."""
    if layout == "t":
        return torch.tensor(np.ascontiguousarray(np.swapaxes(a, 0, -1))).transpose(0, -1)
    return torch.tensor(a)


def test_facts_from_the_issue():
    # PyTorch 2.13 on the CPU
    assert torch.tensor([0.1, 0.2, 0.3, 0.7, 1.3]).sum().item() == 2.6000001430511475
    assert torch.tensor([0.1] * 2000).sum().item() == 200.00001525878906


def test_the_inputs_are_the_recorded_ones():
    assert all(shape == c["shape"] and float(a.reshape(-1)[0]) == c["first"]
               for shape, a, c in CASES)


def test_every_recorded_sum_matches():
    bad = [shape for shape, a, c in CASES if torch.tensor(a).sum().item() != c["sum"]]
    assert bad == []


def test_every_recorded_mean_matches():
    bad = [shape for shape, a, c in CASES if torch.tensor(a).mean().item() != c["mean"]]
    assert bad == []


def test_sum_over_a_dim_of_one_row_is_the_recorded_sum():
    bad = [c["shape"] for shape, a, c in CASES
           if a.size >= 64 and torch.tensor(a.reshape(1, -1)).sum(1).item() != c["sum"]]
    assert bad == []


def test_the_dim_cases_are_the_recorded_ones():
    assert [(shape, dims, layout) for (shape, dims, layout, _), _c in DIM_CASES] == [
        (c["shape"], c["dims"], c["layout"]) for _, c in DIM_CASES]


@pytest.mark.parametrize("op", ["sum", "mean"])
def test_every_recorded_reduction_over_dims_matches(op):
    bad = []
    for (shape, dims, layout, a), c in DIM_CASES:
        if digest(getattr(_tensor(a, layout), op)(dims).numpy()) != c[op]:
            bad.append((shape, dims, layout))
    assert bad == []


def test_keepdim_keeps_the_values():
    for (shape, dims, layout, a), c in DIM_CASES[::7]:
        kept = _tensor(a, layout).sum(dims, keepdim=True)
        assert kept.shape == tuple(1 if k in dims else n for k, n in enumerate(shape))
        assert digest(kept.numpy()) == c["sum"]


def test_the_broadcasting_backward_sums_in_pytorchs_order():
    # b's gradient in (x + b) * w is w summed over the broadcast dim (PyTorch's sum_to_size)
    (shape, dims, layout, w), c = next(item for item in DIM_CASES if item[1]["shape"] == [256, 64]
                                       and item[1]["dims"] == [0] and item[1]["layout"] == "c")
    b = torch.zeros(64, requires_grad=True)
    ((torch.zeros(256, 64) + b) * torch.tensor(w)).sum().backward()
    assert digest(b.grad.numpy()) == c["sum"]


def test_random_shapes_and_layouts_match_pytorch_bit_for_bit():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    rng = np.random.default_rng(5)
    bad = []
    for _ in range(60):
        shape = tuple(int(n) for n in rng.integers(1, 40, size=int(rng.integers(2, 4))))
        a = (rng.standard_normal(shape) * 10).astype(np.float32)
        perm = tuple(int(k) for k in rng.permutation(len(shape)))
        ours = torch.tensor(a).permute(*perm)
        theirs = real.from_numpy(a).permute(*perm)
        for r in range(1, len(shape) + 1):
            for dims in itertools.combinations(range(len(shape)), r):
                if not np.array_equal(ours.sum(dims).numpy(), theirs.sum(dims).numpy()):
                    bad.append((shape, perm, dims))
    assert bad == []


def _pytorchs_sine(x):
    values = np.frombuffer(base64.b64decode(POLY["sin_float32_base64"]), np.float32)
    assert values.size == x.numel()
    return torch.tensor(values.copy())


def test_the_polynomial_fit_tutorial_prints_pytorchs_digits_given_pytorchs_sine():
    # every loss every 100 steps and the final coefficients, through 2000 steps of float32
    # sums in PyTorch's order, x ** 2, x ** 3 and linspace as PyTorch computes them
    assert record_poly_fit.run(torch, sine=_pytorchs_sine) == POLY["output"]


@pytest.mark.xfail(strict=True, reason="PyTorch's float32 sin is MKL's VML (closed source): "
                   "rounded from float64, 92 of the 2000 points differ and the loss printed at "
                   "step 1399 with them (docs/autograd.md, Float32 kernels)")
def test_the_polynomial_fit_tutorial_prints_pytorchs_digits():
    assert record_poly_fit.run(torch) == POLY["output"]


# What still differs (docs/autograd.md, "Float32 reductions"): each measured on random inputs
# where PyTorch differs in most cases, so these fail for as long as the difference stays.
STILL_DIFFERENT = {
    "norm over the last dim": lambda T, F, a, y: T.from_numpy(a).norm(dim=-1),
    "float64 sum": lambda T, F, a, y: T.from_numpy(a[:, 0].astype(np.float64) * 1e3 + 0.1).sum(),
    "sum above 32767 elements": lambda T, F, a, y: T.from_numpy(np.tile(a, (80, 1))).sum(),
}


@pytest.mark.xfail(strict=True, reason="not in PyTorch's order yet (docs/autograd.md)")
@pytest.mark.parametrize("name", sorted(STILL_DIFFERENT))
def test_what_still_differs(name):
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    import torch.nn.functional as real_f
    import gradsh.nn.functional as our_f
    rng = np.random.default_rng(9)
    op = STILL_DIFFERENT[name]
    for _ in range(40):
        a = (rng.standard_normal((60, 7)) * 30).astype(np.float32)
        y = rng.integers(0, 7, 60)
        ours, theirs = op(torch, our_f, a, y).numpy(), op(real, real_f, a, y).numpy()
        assert np.array_equal(ours, theirs)
