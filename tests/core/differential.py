"""Helpers for differential tests of whole programs: run the same scenario with gradsh and with
PyTorch and compare what each observes (values, dtypes, grad_fn names, exception type and text).

A scenario is `def scenario(torch): ...` returning any nesting of tuples/lists/dicts of tensors,
numbers, strings, None; `observe` reduces tensors to comparable facts. The oracle file errors.json
is read by `oracle_case`.
"""

import json
import os
import pathlib
import warnings

import pytest



import gradsh

try:  # PyTorch is an oracle only
    import torch as _torch
except ImportError:  # pragma: no cover
    _torch = None

TORCH_AVAILABLE = _torch is not None

ORACLE = pathlib.Path(__file__).resolve().parents[1] / "data"


def _is_tensor(x):
    return isinstance(x, gradsh.Tensor) or (_torch is not None and isinstance(x, _torch.Tensor))


def observe(x):
    """What a user can see of a result, in a form equal between gradsh and PyTorch."""
    if _is_tensor(x):
        fn = x.grad_fn
        return ("tensor", _nan_safe(x.detach().tolist()), str(x.dtype), x.requires_grad,
                None if fn is None else type(fn).__name__)
    if isinstance(x, (tuple, list)):
        return type(x).__name__, [observe(e) for e in x]
    if isinstance(x, dict):
        return {k: observe(v) for k, v in x.items()}
    if isinstance(x, float):
        return "nan" if x != x else round(x, 6)
    return x


def _nan_safe(v):
    """NaN compares unequal to itself: observe it as a string."""
    if isinstance(v, list):
        return [_nan_safe(e) for e in v]
    return "nan" if isinstance(v, float) and v != v else v


def outcome(scenario, mod):
    """observe(scenario(mod)), or ("raised", type name, message) if it raised."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return observe(scenario(mod))
    except Exception as e:  # the exception is the observation
        return ("raised", type(e).__name__, str(e))


def assert_same_as_torch(scenario, approx=False):
    """Run the scenario with both libraries; their observations must be equal."""
    if _torch is None:
        pytest.skip("PyTorch not installed: differential test skipped")
    got, want = outcome(scenario, gradsh), outcome(scenario, _torch)
    if approx:
        got, want = _rounded(got), _rounded(want)
    assert got == want, f"\ngradsh: {got}\ntorch:  {want}"


def _rounded(x):
    if isinstance(x, float):
        return round(x, 4)
    if isinstance(x, (list, tuple)):
        return type(x)(_rounded(e) for e in x)
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    return x


_CASES = None


def oracle_case(title):
    """Run errors.json's case `title` with gradsh: same exception type and message (or none)."""
    global _CASES
    if _CASES is None:
        with open(os.path.join(ORACLE, "errors.json")) as f:
            _CASES = {c["title"]: c for c in json.load(f)}
    case = _CASES[title]
    raised = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(case["code"], {"torch": gradsh})
        except Exception as e:
            raised = e
    if case["raises"] is None:
        assert raised is None, f"{title}: raised {raised!r}"
    else:
        assert raised is not None, f"{title}: did not raise"
        assert type(raised).__name__ == case["raises"].split(".")[-1]
        assert str(raised) == case["message"]
    return [str(w.message) for w in caught]
