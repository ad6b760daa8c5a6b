"""float32 and float64 var, std, var_mean, the 2-norm and the 1-norm as PyTorch's CPU kernels
compute them (gradsh/core/ops/moments.py), against PyTorch 2.13's results recorded by
tools/record_moments.py into tests/data/moments.json, and against PyTorch itself on fresh inputs
when it is installed."""

import itertools
import json
import pathlib
import sys
import warnings

import numpy as np
import pytest

import gradsh as torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from record_moments import DTYPES, as_tensor, dim_values, flat_values  # noqa: E402
from record_sums import dim_inputs, inputs  # noqa: E402  the arrays PyTorch reduced

FACTS = json.loads((ROOT / "tests" / "data" / "moments.json").read_text())


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():  # var of one element: PyTorch's degrees-of-freedom warning
        warnings.simplefilter("ignore", UserWarning)
        yield


@pytest.mark.parametrize("dtype", DTYPES)
def test_var_std_norm_of_every_recorded_size_match(dtype):
    recorded = FACTS[dtype]["flat"]
    ours = [{"shape": shape, **flat_values(torch.from_numpy(a))}
            for shape, a in inputs(DTYPES[dtype])]
    assert len(ours) == len(recorded)
    bad = [(o["shape"], k) for o, r in zip(ours, recorded) for k in ("var", "std", "norm", "norm1")
           if repr(o[k]) != repr(r[k])]
    assert bad == []


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_recorded_reduction_over_dims_matches(dtype):
    recorded = FACTS[dtype]["dims"]
    cases = list(dim_inputs(DTYPES[dtype]))
    assert [(s, d, lay) for s, d, lay, _ in cases] == [
        (r["shape"], r["dims"], r["layout"]) for r in recorded]
    bad = []
    for (shape, dims, layout, a), r in zip(cases, recorded):
        ours = dim_values(torch, as_tensor(torch, a, layout), dims, DTYPES[dtype])
        bad += [(shape, dims, layout, k) for k in ours if ours[k] != r[k]]
    assert bad == []


def test_norm_rows_shorter_than_a_vector_match():
    # the float32 kernel's tail: 4 squares as one vector, added in order, the rest fused
    rows = {n: FACTS["float32"]["flat"][n - 1]["norm"] for n in range(1, 16)}
    for n, value in rows.items():
        a = next(a for shape, a in inputs(np.float32) if shape == [n])
        assert torch.from_numpy(np.tile(a, (3, 1))).norm(dim=-1).tolist() == [value] * 3


# every other element of the last dim is taken (a strided view), so 2 becomes 1, 29 becomes 15
STRIDED_SHAPES = [(5, 9), (17, 3), (4, 6, 7), (1, 12), (9, 1, 5), (3, 16, 2), (2, 29), (6, 4, 13)]


@pytest.mark.parametrize("dtype", DTYPES)
def test_keepdim_and_strided_inputs_match_pytorch(dtype):
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    rng = np.random.default_rng(23)
    bad = []
    for shape in STRIDED_SHAPES:
        a = (rng.standard_normal(shape) * 7 + 2).astype(DTYPES[dtype])
        for dims in itertools.chain.from_iterable(
                itertools.combinations(range(len(shape)), r) for r in (1, 2)):
            for lib_op in ("var", "std", "norm"):
                args = (2, dims) if lib_op == "norm" else (dims,)
                ours, theirs = (getattr(lib.from_numpy(a)[..., ::2], lib_op)(*args, keepdim=True)
                                for lib in (torch, real))
                if ours.numpy().tobytes() != theirs.numpy().tobytes():
                    bad.append((shape, dims, lib_op))
    assert bad == []
