"""The recorded PyTorch misuse cases (tests/data/errors.json) run as gradsh programs:
each fails with PyTorch's error type and message, as a located GradshError, or runs cleanly
where PyTorch does. Cases that need Python features gradsh leaves out are named below."""

import io
import json
import pathlib

import pytest

from gradsh.lang import GradshError, InternalError, Session

ORACLE = pathlib.Path(__file__).resolve().parents[1] / "data" / "errors.json"
CASES = json.loads(ORACLE.read_text())

# what gradsh does instead, by design (docs/language.md, "What differs from Python"): none
# since t.numpy() is offered (lang/runtime/numpymodule.py)
DIFFERENT = {}


def _difference(case):
    return None


@pytest.mark.skipif(not CASES, reason="the PyTorch oracle files are not on this machine")
@pytest.mark.parametrize("case", CASES, ids=[c["title"][:50] for c in CASES])
def test_pytorch_misuse_case(case):
    source = "import torch\n" + case["code"]
    try:
        Session(stdout=io.StringIO(), stderr=io.StringIO()).run(source, "case.grad")
        error = None
    except GradshError as e:
        error = e
    assert not isinstance(error, InternalError), error.render()
    different = _difference(case)
    if different is not None:
        assert (error.kind, different[1] in error.message) == (different[0], True)
        return
    if case["raises"] is None:
        assert error is None, error.render()
        return
    assert error is not None
    assert error.kind == case["raises"].split(".")[-1]
    assert error.line is not None and 1 < error.line <= source.count("\n") + 1
    if "gradcheck" not in case["title"]:  # gradcheck's message shows random inputs
        assert error.message == case["message"]
