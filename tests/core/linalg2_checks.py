"""The checks every family of tests/data/linalg2_cases.py runs (tests/core/test_lu.py, ...):
the recorded PyTorch 2.13 facts (tests/data/linalg2.json, by tools/record_linalg2.py) for
values (to a tolerance: numpy's LAPACK and libm are not PyTorch's), gradients, node names,
dtypes and strides; exceptions' class and message exactly; PyTorch live when installed;
gradcheck and gradgradcheck in float64."""

import json
import pathlib
import sys

import numpy as np
import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import linalg2_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "linalg2.json").read_text())["facts"]
TOLERANCE = {"float64": 1e-9, "float32": 2e-4}  # relative to the largest magnitude; 10x for
# gradients (LAPACK's blocked updates and BLAS order the sums otherwise)


def names(family):
    return sorted(n for n, c in cases.CASES.items() if c[0] == family)


def errors(family):
    return [c for c in cases.ERRORS if c[1] == family]


def _floats(v):
    if isinstance(v, list):
        return [_floats(a) for a in v]
    return float(v) if isinstance(v, str) else v


def _close(got, want, tol):
    got, want = np.array(_floats(got), dtype=float), np.array(_floats(want), dtype=float)
    assert got.shape == want.shape
    finite = np.isfinite(want)
    scale = max(1.0, float(np.abs(want[finite]).max())) if finite.any() else 1.0
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale)


def compare(got, want, dtype_name, tol=None):
    tol = tol or TOLERANCE[dtype_name]
    g_outs, g_grads, g_nodes, g_dtypes, g_strides = got
    w_outs, w_grads, w_nodes, w_dtypes, w_strides = want
    assert g_dtypes == w_dtypes
    assert g_nodes == w_nodes
    assert g_strides == w_strides
    for g, w in zip(g_outs, w_outs):
        _close(g, w, tol)
    if any(isinstance(w, str) for w in w_grads):  # backward raised: the same exception
        assert g_grads == w_grads
        return
    assert [g is None for g in g_grads] == [w is None for w in w_grads]
    for g, w in zip(g_grads, w_grads):
        if w is not None:
            _close(g, w, 10 * tol)


def check_recorded(name, dtype_name, tol=None):
    compare(cases.run(gradsh, name, dtype_name), FACTS[f"{name}|{dtype_name}"], dtype_name, tol)


def check_live(name, dtype_name, tol=None):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    compare(cases.run(gradsh, name, dtype_name), cases.run(torch, name, dtype_name), dtype_name,
            tol)


def check_error(case):
    assert cases.error(gradsh, case) == FACTS[f"error|{case[0]}"]


def check_error_live(case):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    assert cases.error(gradsh, case) == cases.error(torch, case)


def check_gradients(name):
    _, fn, arrays = cases.CASES[name]
    xs = [gradsh.tensor(a.tolist(), dtype=gradsh.float64, requires_grad=True) for a in arrays]

    def f(*ts):
        out = fn(gradsh, *ts)
        outs = out if isinstance(out, tuple) else (out,)
        return tuple(o for o in outs if o.requires_grad)
    assert gradsh.autograd.gradcheck(f, xs)
    assert gradsh.autograd.gradgradcheck(f, xs)


def recorded_keys():
    return ({f"{n}|{d}" for n in cases.CASES for d in cases.DTYPES}
            | {f"error|{c[0]}" for c in cases.ERRORS})
