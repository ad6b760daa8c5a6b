"""Helpers for the language tests: run a program in a fresh Session, get its output or its error."""

import contextlib
import io
import sys

import pytest

from gradsh.lang import GradshError, Session


# Python 3.11's code objects know each instruction's columns (co_positions); on 3.10 runtime
# errors are located to the line only (syntax errors keep their columns).
HAS_COLUMNS = sys.version_info >= (3, 11)
needs_columns = pytest.mark.skipif(not HAS_COLUMNS, reason="runtime columns need Python 3.11")


def run_program(source, filename="t.grad", **options):
    """Run `source`; return what it printed. Errors propagate."""
    out = io.StringIO()
    Session(stdout=out, stderr=io.StringIO(), **options).run(source, filename)
    return out.getvalue()


def run_error(source, filename="t.grad", **options):
    """Run `source`, which must fail; return (GradshError, what it printed before failing)."""
    out = io.StringIO()
    with pytest.raises(GradshError) as info:
        Session(stdout=out, stderr=io.StringIO(), **options).run(source, filename)
    return info.value, out.getvalue()


def run_python(source):
    """What Python itself prints for `source` (a pure-Python program)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<python>", "exec"), {"__name__": "__main__"})
    return out.getvalue()


def new_session(**options):
    """A Session writing to a StringIO kept as `.output`."""
    out = io.StringIO()
    s = Session(stdout=out, stderr=io.StringIO(), **options)
    s.output = out
    return s
