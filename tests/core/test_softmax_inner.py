"""float32 softmax and log_softmax over a dim that is not the last, and their gradients, bit for
bit as PyTorch 2.13 (single-threaded) computes them: gradsh's results against the digests in
tests/data/softmax_inner.json (recorded by tools/record_softmax_inner.py)."""

import json
import pathlib
import sys

import pytest

import cpu_capability

import gradsh

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import record_softmax_inner as recorded  # noqa: E402

FACTS = cpu_capability.load_facts("softmax_inner")["facts"]
CASES = recorded.cases()


@pytest.mark.parametrize("op", recorded.OPS)
@pytest.mark.parametrize("i", range(len(CASES)))
def test_values_and_gradients_are_pytorchs_bit_for_bit(op, i):
    name, x, dim, g = CASES[i]
    t = gradsh.tensor(x, requires_grad=True)
    y = getattr(gradsh, op)(t, dim)
    y.backward(gradsh.tensor(g))
    assert [recorded.digest(y.detach().numpy()), recorded.digest(t.grad.numpy())] == \
        FACTS[f"{op} {name}"]


def test_the_cases_cover_lanes_and_scalar_columns():
    inner = [int(x[(0,) * (dim + 1)].size) for _, x, dim, _ in CASES]
    assert min(inner) < 8 and max(inner) > 16 and len(CASES) * 2 == len(FACTS)
