"""float32 sigmoid, softmax(-1), log_softmax(-1), cross_entropy and nll_loss bit for bit as
PyTorch 2.13's CPU kernels (SLEEF's expf and logf in vector lanes, glibc's expf in the scalar
tail, vec::reduce_all's sum order, nll_loss's cascade), and float32 sin/cos/log rounded from float64 (PyTorch's are MKL VML's;
gradsh/core/ops/vml.py), against PyTorch's results recorded by tools/record_float32_kernels.py
into tests/data/float32_kernels.json, and against PyTorch itself when it is installed."""

import base64
import json
import pathlib
import sys

import numpy as np
import pytest

import cpu_capability

import gradsh as torch
from gradsh.core.ops.expf import glibc_expf, reduce_all_sum, sleef_expf

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = cpu_capability.load_facts("float32_kernels")
sys.path.insert(0, str(ROOT / "tools"))
import record_float32_kernels as rec  # noqa: E402  the inputs PyTorch was given

CASES = list(rec.cases())


def _ours(op, a, how):
    return rec.OPS[op](rec.layout(a, how, torch)).numpy()


def test_the_cases_are_the_recorded_ones():
    assert [name for name, _, _ in CASES] == [c["name"] for c in DATA["cases"]]


@pytest.mark.parametrize("op", sorted(rec.OPS))
def test_every_recorded_case_matches(op):
    bad = [name for (name, a, how), c in zip(CASES, DATA["cases"])
           if rec.digest(_ours(op, a, how)) != c[op]]
    assert bad == []


@pytest.mark.parametrize("op", sorted(rec.GRADS))
def test_every_recorded_gradient_matches(op):
    # PyTorch's backward kernels: map2_reduce_all's sum of grad * output (its last partial
    # vector fused), (grad - sum) * output; grad - exp(output) * sum(grad) as one fma
    fn = rec.GRADS[op]
    bad = [name for (name, a, how), c in zip(CASES, DATA["cases"])
           if op in c and rec.digest(fn(rec.layout(a, how, torch)).numpy()) != c[op]]
    assert bad == []


@pytest.mark.parametrize("op", sorted(rec.OPS))
def test_the_recorded_sweep_matches(op):
    x = torch.tensor(rec.sweep())
    assert rec.digest(rec.OPS[op](x).numpy()) == DATA["sweep"][op]


def test_cross_entropy_and_nll_loss_match_the_recorded_losses():
    # float32 log_softmax as above, then nll_loss's own cascade of the picked terms and weights;
    # and cross_entropy's gradient for the logits
    import gradsh.nn.functional as functional
    ours = rec.losses(torch, functional)
    bad = [case for case, got, want in zip(rec.LOSS_BATCHES * 2, ours, DATA["losses"])
           if not (np.array_equal(got[:2], want[:2], equal_nan=True) and got[2] == want[2])]
    assert bad == []


def _libm_sample():
    return rec.sweep()[::rec.LIBM_STEP]


@pytest.mark.parametrize("op", rec.LIBM)
def test_sin_cos_log_are_rounded_from_float64(op):
    x = _libm_sample()
    x = np.abs(x) if op == "log" else x
    want = getattr(np, op)(x.astype(np.float64)).astype(np.float32)
    assert np.array_equal(getattr(torch, op)(torch.tensor(x)).numpy(), want)


# PyTorch's sin/cos/log are MKL's (closed source): how many of the 8000 sampled values differ,
# rounded from float64 (gradsh) and numpy's float32 function (before), measured. MKL picks its
# code by CPU: its float32 log is the correctly rounded one where PyTorch runs its AVX512 kernels,
# not on an AVX2 CPU (an AMD EPYC, measured 2026-12-03).
LIBM_DIFFER = {"AVX512": {"sin": (284, 832), "cos": (495, 1154), "log": (0, 575)},
               "AVX2": {"sin": (284, 832), "cos": (495, 1154), "log": (290, 524)}}


@pytest.mark.parametrize("op", rec.LIBM)
def test_sin_cos_log_differ_from_pytorchs_as_measured(op):
    x = _libm_sample()
    x = np.abs(x) if op == "log" else x
    theirs = np.frombuffer(base64.b64decode(DATA["sweep_libm"][op]), np.float32)
    ours = getattr(torch, op)(torch.tensor(x)).numpy()
    counts = (int((ours != theirs).sum()), int((getattr(np, op)(x) != theirs).sum()))
    assert counts == LIBM_DIFFER[cpu_capability.CAPABILITY][op]


def test_sleef_and_glibc_expf_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -104.5, 100.5, 88.8, -150.0], np.float32)
    for fn in (sleef_expf, glibc_expf):
        got = fn(x)
        assert got[:2].tolist() == [1.0, 1.0] and got[2] == np.inf and got[3] == 0.0
        assert np.isnan(got[4]) and got[5] == 0.0 and got[6] == np.inf and got[8] == 0.0
    assert sleef_expf(np.float32([88.8]))[0] == np.inf  # overflow, as SLEEF's scaling gives


def test_reduce_all_sum_order():
    # below a vector: left to right; 0.1 * 17: 16 lanes, the 17th added to lane 0, then halving
    row = np.float32([1e8, 1.0, -1e8, 1.0])[None, :]
    assert reduce_all_sum(row)[0] == np.float32(1.0)
    tiny = np.full((1, 17), np.float32(0.1))
    lanes = [np.float32(0.1)] * 16
    lanes[0] = lanes[0] + np.float32(0.1)
    while len(lanes) > 1:
        half = len(lanes) // 2
        lanes = [lanes[j] + lanes[j + half] for j in range(half)]
    assert reduce_all_sum(tiny)[0] == lanes[0]


def test_against_pytorch_on_fresh_inputs():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    real.set_num_threads(1)
    rng = np.random.default_rng()
    for _ in range(20):
        n = int(rng.integers(1, 300))
        a = (rng.standard_normal((int(rng.integers(1, 9)), n)) * rng.uniform(0.1, 60)).astype(np.float32)
        for op in sorted(rec.OPS):
            ours = rec.OPS[op](torch.tensor(a)).numpy()
            theirs = rec.OPS[op](real.from_numpy(a)).numpy()
            assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32)), (op, a.shape)
