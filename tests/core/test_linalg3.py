"""Issue 15's remaining torch/Tensor names (branch linalg3: as_strided and its family,
empty_strided, ...): each case of tests/data/linalg3_cases.py prints under gradsh exactly
what PyTorch 2.13 printed (tests/data/linalg3.json, by tools/record_linalg3.py)."""

import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import linalg3_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "linalg3.json").read_text())["facts"]


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_prints_what_pytorch_prints(name):
    gradsh.manual_seed(0)
    assert cases.run(gradsh, cases.CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert sorted(FACTS) == sorted(cases.CASES)
