"""Every function and Tensor method gradsh offers takes PyTorch's keyword names and numpy's
aliases (axis, keepdims, x, x2) as PyTorch does: calls in keyword form, built from PyTorch's own
parameter names, give PyTorch's values, dtypes and exceptions (tests/data/keyword_sweep.json,
recorded by tools/record_keyword_sweep.py; tests/data/keyword_sweep_run.py runs a call)."""

import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import keyword_sweep_run  # noqa: E402

FACTS = json.loads((DATA / "keyword_sweep.json").read_text())["facts"]

# Known differences, each with its reason (strict xfails: a fixed one must leave this list).
KNOWN = {}


@pytest.mark.parametrize("expr", [pytest.param(e, marks=pytest.mark.xfail(
    reason=KNOWN[e], strict=True)) if e in KNOWN else e for e in FACTS])
def test_keyword_form_gives_pytorchs_outcome(expr):
    got = keyword_sweep_run.outcome(expr, keyword_sweep_run.namespace(gradsh))
    assert got == FACTS[expr]["torch"], expr


def test_the_sweep_covers_the_refused_forms_of_the_known_gap():
    # the 19 forms found refused before core/keywords.py, among others
    for expr in ("x.sum(axis=0)", "x.reshape(shape=(3, 2))", "x.transpose(dim0=0, dim1=1)",
                 "torch.clamp(input=x, min=-0.5, max=1.0)", "x.view(size=(3, 2))"):
        assert expr in FACTS and "value" in FACTS[expr]["torch"], expr
