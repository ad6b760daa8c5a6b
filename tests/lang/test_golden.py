"""Golden programs: tests/lang/golden/NAME.grad runs and prints NAME.out (recorded from PyTorch by
make_expected.py); when NAME.err exists, the program fails with exactly that error text.
Adding a regression test means adding files there."""

import io
import pathlib
import re

import pytest

from gradsh.lang import GradshError, GradshSyntaxError, InternalError, Session

from .helpers import HAS_COLUMNS

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
ADDRESS = re.compile(r" object at 0x[0-9a-f]+>")


def _normalize(text):
    """Object addresses differ from run to run (PyTorch's too)."""
    return ADDRESS.sub(" object at 0x...>", text)


def _without_columns(text):
    """The render of a runtime error on Python 3.10: lines but no columns, so no carets."""
    text = re.sub(r"(?m)^(\S+?:\d+):\d+:", r"\1:", text)
    return "".join(line for line in text.splitlines(True) if set(line.strip()) != {"^"})


def _names():
    return sorted(p.stem for p in GOLDEN.glob("*.grad"))


@pytest.mark.parametrize("name", _names())
def test_golden_program(name):
    source = (GOLDEN / (name + ".grad")).read_bytes()
    expected_error = GOLDEN / (name + ".err")
    expected_out = GOLDEN / (name + ".out")
    assert expected_error.exists() or expected_out.exists(), "golden %s has no .out or .err" % name
    out = io.StringIO()
    error = None
    try:
        Session(stdout=out, stderr=io.StringIO()).run(source, name + ".grad")
    except GradshError as e:
        error = e
    if expected_error.exists():
        assert error is not None, "expected the program to fail"
        assert not isinstance(error, InternalError), error.render()
        want_error = expected_error.read_text()
        if not HAS_COLUMNS and not isinstance(error, GradshSyntaxError):
            want_error = _without_columns(want_error)
        assert error.render() + "\n" == want_error
    else:
        assert error is None, error.render()
    want = expected_out.read_text() if expected_out.exists() else ""
    assert _normalize(out.getvalue()) == _normalize(want)


def test_every_golden_file_belongs_to_a_program():
    stems = set(_names())
    for path in GOLDEN.iterdir():
        if path.suffix in (".out", ".err"):
            assert path.stem in stems, "%s has no .grad program" % path.name
