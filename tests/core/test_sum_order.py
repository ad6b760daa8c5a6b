"""float32 sum and mean in PyTorch's CPU summation order (gradsh/core/ops/summation.py), against
PyTorch 2.13's sums recorded by tools/record_sums.py into tests/data/float32_sums.json."""

import json
import sys
import pathlib

import numpy as np
import pytest

import gradsh as torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = json.loads((ROOT / "tests" / "data" / "float32_sums.json").read_text())
sys.path.insert(0, str(ROOT / "tools"))
from record_sums import inputs  # noqa: E402  the same arrays PyTorch summed

CASES = [(shape, a, c) for (shape, a), c in zip(inputs(), DATA["cases"], strict=True)]


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
