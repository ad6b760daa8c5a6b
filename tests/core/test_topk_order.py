"""topk returns PyTorch's indices among ties (and NaN), sorted or not: PyTorch 2.13's order is
what its CPU kernel's libstdc++ algorithms leave (gradsh/core/ops/selection.py). The facts were
recorded from PyTorch by tools/record_topk_order.py into tests/data/topk_order.json, with rows
of sort(stable=False): std::sort's order among ties, also reproduced."""

import json
import math
import pathlib

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "topk_order.json"
CASES = json.loads(DATA.read_text())["cases"]


def _values(case):
    return [math.nan if v is None else float(v) for v in case["values"]]


@pytest.mark.parametrize("switch", ["nth_element", "partial_sort"])
def test_topk_gives_pytorchs_order_among_ties(switch):
    chosen = [c for c in CASES if (c["k"] * 64 <= len(c["values"])) == (switch == "partial_sort")]
    assert len(chosen) > 20
    wrong = []
    for c in chosen:
        x = gradsh.tensor(_values(c))
        got = x.topk(c["k"], largest=c["largest"], sorted=c["sorted"]).indices.tolist()
        if got != c["indices"]:
            wrong.append((c, got))
    assert not wrong, wrong[:2]


def test_topk_along_a_dim_orders_each_row_as_pytorch():
    rows = [c for c in CASES if len(c["values"]) == 17 and c["k"]][:3]
    k, largest, sorted_ = rows[0]["k"], rows[0]["largest"], rows[0]["sorted"]
    same = [c for c in CASES if len(c["values"]) == 17 and c["k"] == k
            and c["largest"] == largest and c["sorted"] == sorted_]
    x = gradsh.tensor([_values(c) for c in same]).t()  # each case a column: topk along dim 0
    got = x.topk(k, 0, largest=largest, sorted=sorted_).indices.t().tolist()
    assert got == [c["indices"] for c in same]



def test_unstable_sort_orders_ties_as_pytorch():
    rows = json.loads(DATA.read_text())["unstable_sort"]
    got = [gradsh.tensor([float(v) for v in r["values"]]).sort().indices.tolist() for r in rows]
    assert got == [r["indices"] for r in rows]


SELECTIONS = json.loads(DATA.read_text())["kthvalue_mode"]


def test_kthvalue_picks_pytorchs_index_among_ties():
    assert sum(len(set(c["values"])) < len(c["values"]) for c in SELECTIONS) >= 40
    got = [gradsh.tensor(_values(c)).kthvalue(c["k"]).indices.item() for c in SELECTIONS]
    assert got == [c["kthvalue"] for c in SELECTIONS]


def test_mode_gives_pytorchs_value_and_index():
    got = []
    for c in SELECTIONS:
        m = gradsh.tensor(_values(c)).mode()
        got.append([None if math.isnan(m.values.item()) else int(m.values.item()),
                    m.indices.item()])
    assert got == [c["mode"] for c in SELECTIONS]


def test_mode_along_a_dim_is_differentiable_through_its_values():
    x = gradsh.tensor([[1.0, 2.0, 2.0], [3.0, 3.0, 1.0]], requires_grad=True)
    m = x.mode(dim=1)
    assert m.values.grad_fn.name() == "ModeBackward0"
    m.values.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
