"""grad_fn._saved_<name>: the names PyTorch's nodes show for what they saved (dir(grad_fn)),
for each case of tools/record_saved_names.py, recorded from PyTorch 2.13 into
tests/data/saved_names.json. gradsh's rules keep short math names; gradsh/core/saved_names.py
renames them. Cases whose node saves other values than PyTorch's are strict xfails (KNOWN)."""

import json
import pathlib
import sys

import pytest

import gradsh

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from record_saved_names import CASES, saved_names  # noqa: E402

FACTS = json.loads((ROOT / "tests" / "data" / "saved_names.json").read_text())["facts"]
STRIDES = "PyTorch's mm also saves the operands' strides (gradsh's layout is numpy's)"
SPLIT = "PyTorch saves split_size (an int); gradsh saves the sizes of the pieces, not shown"
KNOWN = {
    "rpow": "PyTorch's PowBackward2 for a number base also saves the exponent tensor",
    "squeeze": "SqueezeBackward1 does not show dim (gradsh saves the input's sizes only)",
    "gather": "GatherBackward0 saves the input's sizes, not the input and sparse_grad",
    "mm": STRIDES, "linear": STRIDES, "split": SPLIT, "chunk": SPLIT,
    "elu": "EluBackward0 does not show input_scale (gradsh's elu has none)",
    "layer_norm": "NativeLayerNormBackward0 saves the input and weight, not the bias, the "
                  "normalized shape and the mean and rstd results",
    "unfold": "Tensor.unfold is not provided",
    "mean_dim": "MeanBackward1 does not show self_sym_numel (gradsh saves the number of "
                "elements averaged, not the input's)",
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(
    strict=True, reason=KNOWN[n])) if n in KNOWN else n for n in CASES])
def test_node_shows_pytorchs_saved_names(name):
    assert saved_names(gradsh, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert sorted(FACTS) == sorted(CASES), "run: python tools/record_saved_names.py"


def test_reduction_reads_as_pytorchs_enum_number():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    fn = gradsh.nn.functional.mse_loss(x, gradsh.zeros(2), reduction="sum").grad_fn
    assert fn._saved_reduction == 2
