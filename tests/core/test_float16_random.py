"""float16 random factories draw PyTorch 2.13's numbers for the same seed (gradsh/core/random.py:
made in float32 and rounded, normal_fill's own tail, dropout's scale in float32), against the
facts recorded by tools/record_float16_random.py into tests/data/float16_random.json."""

import json
import pathlib
import sys

import pytest

import gradsh as torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from record_float16_random import SIZES, calls, draw  # noqa: E402

FACTS = json.loads((ROOT / "tests" / "data" / "float16_random.json").read_text())["draws"]


@pytest.mark.parametrize("name", sorted(calls()))
def test_float16_draws_are_pytorchs_and_leave_the_generator_where_pytorch_does(name):
    bad = [n for n in SIZES if draw(torch, name, n) != FACTS[f"{name} {n}"]]
    assert bad == []
