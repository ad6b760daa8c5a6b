"""float32 silu (value and gradient) and the softplus, logsigmoid and elu gradients bit for bit as
PyTorch 2.13's CPU kernels (SLEEF's expf in the vector lanes, glibc's in the scalar tail:
gradsh/core/ops/activation_kernels.py), against digests recorded by
tools/measure_activation_kernels.py --record into tests/data/activation_kernels_avx2.json; the
activations whose log1p/tanh are modelled by float64's rounding, within their measured rates of
PyTorch when it is installed."""

import pathlib
import sys

import numpy as np
import pytest

import cpu_capability

import gradsh

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = cpu_capability.load_facts("activation_kernels")["facts"]
sys.path.insert(0, str(ROOT / "tools"))
import measure_activation_kernels as rec  # noqa: E402  the inputs PyTorch was given


def test_the_cases_are_the_recorded_ones():
    assert list(DATA) == [f"{op} {n}" for op in rec.EXACT for n in rec.SIZES]


@pytest.mark.parametrize("op", sorted(rec.EXACT))
def test_every_size_matches_pytorch_bit_for_bit(op):
    x = rec.sweep()
    bad = []
    for n in rec.SIZES:
        ours = rec.results(gradsh, op, x[:n])
        bad += [(n, k) for k, v in DATA[f"{op} {n}"].items() if rec.digest(ours[k]) != v]
    assert bad == []


# measured over 300000 values (docs/autograd.md, "Float32 kernels"); bounds with some margin
BOUNDS = {"softplus": 0.01, "logsigmoid": 0.01, "elu": 0.005, "mish": 0.03, "gelu_tanh": 0.01,
          "log1p": 0.01, "expm1": 0.01}


GRAD_BOUNDS = {"mish": 0.03, "gelu_tanh": 0.015, "expm1": 0.01}


@pytest.mark.parametrize("op", sorted(BOUNDS))
def test_modelled_values_are_within_their_measured_rate(op):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    cpu_capability.skip_unless_recorded_here(torch, "activation_kernels_avx2.json")
    torch.set_num_threads(1)
    x = rec.sweep()[::15]
    ours, theirs = rec.results(gradsh, op, x), rec.results(torch, op, x)
    kinds = ("value", "grad") if op in GRAD_BOUNDS else ("value",)
    rates = {k: np.mean(ours[k].view(np.int32) != theirs[k].view(np.int32)) for k in kinds}
    assert rates["value"] < BOUNDS[op] and rates.get("grad", 0) < GRAD_BOUNDS.get(op, 1), rates
