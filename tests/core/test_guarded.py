"""core/guarded.py: a handler added to a function's code runs for every exception leaving it,
and the function is otherwise the same (its own try blocks, results, tracebacks' lines)."""

import sys
import traceback

import pytest

from gradsh.core import guarded

pytestmark = pytest.mark.skipif(not guarded.ENABLED, reason="writes CPython 3.11's bytecode")


def _handler():
    exc = sys.exc_info()[1]
    _handler.seen.append(type(exc).__name__)
    if isinstance(exc, ZeroDivisionError):
        raise TypeError("in other words") from None


def _guarded(fn):
    _handler.seen = []
    return guarded.guard(fn, _handler)


def test_the_handler_runs_only_for_exceptions_that_leave_the_function():
    def f(key, b):
        try:
            x = {"a": 1}[key]
        except KeyError:
            x = 0  # caught inside: the handler does not see it
        return x + 1 / b

    g = _guarded(f)
    assert g is f
    assert f("z", 2) == 0.5 and f("a", 4) == 1.25
    assert _handler.seen == []
    with pytest.raises(TypeError, match="in other words"):
        f("a", 0)
    with pytest.raises(TypeError, match="unsupported operand"):
        f("a", "b")
    assert _handler.seen == ["ZeroDivisionError", "TypeError"]


def test_closures_and_the_original_line_of_the_failure_are_kept():
    def f(n):
        values = [i for i in range(n)]

        def inner():
            return values
        return len(inner()) / (n - 3)

    _guarded(f)
    assert f(5) == 2.5
    with pytest.raises(TypeError) as info:
        f(3)
    lines = [entry.lineno for entry in traceback.extract_tb(info.value.__traceback__)]
    assert f.__code__.co_firstlineno in lines  # the handler's own line: the def


def test_a_function_guarded_twice_gets_one_handler():
    def f():
        raise ZeroDivisionError

    _guarded(f)
    code = f.__code__
    guarded.guard(f, _handler)
    assert f.__code__ is code
    with pytest.raises(TypeError):
        f()
    assert _handler.seen == ["ZeroDivisionError"]


def test_returning_gives_the_handlers_result_or_lets_the_exception_go_on():
    def f(a, b):
        try:
            if b == 2:
                raise KeyError(b)
        except KeyError:
            return "own handler"
        if b == 0:
            raise TypeError("zero")
        if b == 1:
            raise ValueError("one")
        return a + b

    def handler():
        exc, frame = sys.exc_info()[1], sys._getframe(1)
        if isinstance(exc, TypeError):
            return ("given way", frame.f_locals["a"])
        return guarded.RERAISE

    g = guarded.returning(f, handler)
    assert g is not f and g.__wrapped__ is f and g.__name__ == "f"
    assert g(1, 5) == 6 and g(1, 2) == "own handler"
    assert g(7, 0) == ("given way", 7)
    assert sys.exc_info() == (None, None, None)  # the exception was handled, not left set
    with pytest.raises(ValueError, match="one"):
        g(1, 1)
    with pytest.raises(TypeError, match="zero"):
        f(7, 0)  # fn itself is unchanged
