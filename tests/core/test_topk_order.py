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
