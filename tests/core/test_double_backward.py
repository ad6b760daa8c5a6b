"""Gradients at singular points and the double-backward graph, against PyTorch 2.13's facts in
tests/data/double_backward.json (recorded by tools/record_double_backward.py; the cases are
tests/data/double_backward_cases.py). No torch needed: the facts are in the repository."""

import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
from double_backward_cases import CASES, run  # noqa: E402

FACTS = json.loads((DATA / "double_backward.json").read_text())["cases"]

# Known differences (docs/autograd.md, "What differs from PyTorch"): the value/grad-of-grad
# parts match but the node of the backward-of-backward differs, or a float32 last bit differs.
NAME_DIFFERS = {
}
VALUE_DIFFERS = {
    "sin": "numpy's float32 cos is one ulp off PyTorch's at -1 and 1",
}

PARAMS = [(name, i) for name, runs in FACTS.items() for i in range(len(runs))]


def _mark(table, name):
    if name in table:
        return [pytest.mark.xfail(strict=True, reason=table[name])]
    return []


@pytest.mark.parametrize("name,i", [pytest.param(n, i, marks=_mark(VALUE_DIFFERS, n))
                                    for n, i in PARAMS])
def test_values_and_grad_of_grad(name, i):
    fn, inputs = CASES[name]
    got = run(gradsh, fn, inputs[i])
    want = FACTS[name][i]
    assert (got[0], got[1], got[3]) == (want[0], want[1], want[3])


def _name_mark(name, i):
    # prod/cumprod without a zero use PyTorch's plain formula: their names match
    if name == "cumprod" and FACTS[name][i][2] == "DivBackward0":
        return []
    return _mark(NAME_DIFFERS, name)


@pytest.mark.parametrize("name,i", [pytest.param(n, i, marks=_name_mark(n, i)) for n, i in PARAMS])
def test_double_backward_node_name(name, i):
    fn, inputs = CASES[name]
    assert run(gradsh, fn, inputs[i])[2] == FACTS[name][i][2]


def test_relu_gradient_is_differentiable():
    x = gradsh.tensor([-1.0, 2.0], requires_grad=True)
    g, = gradsh.autograd.grad(gradsh.relu(x).sum(), x, create_graph=True)
    assert g.requires_grad
    assert g.grad_fn.name() == "ThresholdBackwardBackward0"


def test_hessian_of_prod_with_a_zero_is_finite():
    # d2 prod / dx_i dx_j = product of the others but i, j: for [0, 2, 3] (PyTorch's numbers)
    h = gradsh.autograd.functional.hessian(lambda t: t.prod(), gradsh.tensor([0.0, 2.0, 3.0]))
    assert h.tolist() == [[0.0, 3.0, 2.0], [3.0, 0.0, 0.0], [2.0, 0.0, 0.0]]


def test_where_node_has_an_entry_per_differentiable_input():
    # PyTorch 2.13: where(c, x, y).grad_fn.next_functions has two entries (x, y), none for c;
    # where(c, x, 0.0): (AccumulateGrad, None)
    x = gradsh.tensor([1.0, -2.0], requires_grad=True)
    y = gradsh.tensor([0.5, 0.5], requires_grad=True)
    both = gradsh.where(x > 0, x, y).grad_fn.next_functions
    assert [type(n).__name__ for n, _ in both] == ["AccumulateGrad", "AccumulateGrad"]
    one = gradsh.where(x > 0, x, 0.0).grad_fn.next_functions
    assert [n is None for n, _ in one] == [False, True]
