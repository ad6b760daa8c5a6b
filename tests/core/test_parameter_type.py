"""nn.Parameter is a real subclass of Tensor, as in PyTorch 2.13: its type, repr, what ops on it
return, copies of it, and every op of the op sweep run once on Parameter inputs, compared with
the facts recorded by tools/record_parameter_type.py (tests/data/parameter_type.json)."""

import json
import pathlib
import sys

import pytest

import gradsh as torch
from gradsh.core.ops.registry import OPS
from gradsh.core.bindings import load_all  # noqa: E402
load_all()  # every op, the first-use modules' too (gradsh/core/ops_index.py)

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import parameter_type_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "parameter_type.json").read_text())["facts"]

@pytest.mark.parametrize("expression", cases.EXPRESSIONS)
def test_parameter_expression_matches_pytorch(expression):
    expected = FACTS[expression]
    got = cases.evaluate(torch, expression)
    if "repr" in expected and "0x" in expected["repr"]:
        pytest.skip("an address")
    assert got == expected


SWEEP = cases.sweep_cases(OPS)


@pytest.mark.parametrize("case", SWEEP, ids=lambda c: "|".join(map(str, c)))
def test_op_on_a_parameter_returns_pytorchs_type_and_text(case):
    key = "sweep " + "|".join(map(str, case))
    if key not in FACTS:
        pytest.skip("op added after the recording (re-run tools/record_parameter_type.py)")
    expected = FACTS[key]
    got = cases.sweep_run(torch, case)
    if "error" in expected or "error" in got:
        assert got.get("error") == expected.get("error")
        return
    assert got["types"] == expected["types"]
    if got["reprs"] != expected["reprs"]:
        # the same text on plain tensors: a difference of the op itself (a signed zero, a node
        # name), which tests/core/test_op_sweep.py covers, not one of Parameter's
        assert got["reprs"] == cases.sweep_run(torch, case, parameters=False)["reprs"]


def test_subclasses_take_the_fast_paths():
    class MyT(torch.Tensor):
        pass
    from gradsh.core.tensor import TENSOR_TYPES
    assert torch.nn.Parameter in TENSOR_TYPES and MyT in TENSOR_TYPES


def test_parameter_gets_gradients_through_ops():
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    (p * p).sum().backward()
    assert p.grad.tolist() == [2.0, -4.0]
    assert type(p.grad) is torch.Tensor
