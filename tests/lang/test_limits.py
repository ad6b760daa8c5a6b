"""Values too big to build fail fast with a LimitError; nesting too deep for the parser or Python's
compiler is a syntax error about nesting; runaway recursion is a RecursionError with its line."""

import time

import pytest

from gradsh.lang import GradshSyntaxError, InternalError

from .helpers import HAS_COLUMNS, run_error, run_program

TOO_BIG = [
    "2 ** 10 ** 10",
    "x = 10\nx **= 10 ** 10",
    "'a' * 10 ** 10",
    "10 ** 10 * 'a'",
    "[0] * 10 ** 10",
    "(1, 2) * 10 ** 9",
    "torch.Size([2]) * 10 ** 9",
    "s = 'a'\ns *= 10 ** 10",
    "list(range(10 ** 10))",
    "tuple(range(10 ** 10))",
    "sorted(range(10 ** 10))",
    "list(range(10 ** 30))",
    "1 << 10 ** 10",
    "(10 ** 400000) * (10 ** 400000)",
    "'%*d' % (10 ** 9, 1)",
    "'%1000000000d' % 1",
    "'{:>1000000000}'.format(1)",
    "'{:{}}'.format(1, 10 ** 9)",
    "f'{1:>{10 ** 9}}'",
    "f'{1.5:.1000000000f}'",
    "'a'.center(10 ** 10)",
    "'a'.zfill(10 ** 10)",
    "('a' * 10 ** 6).replace('', 'b' * 1000)",
    "('x' * 1000).join(['a'] * 10 ** 6)",
    "s = 'ab'\nfor i in range(40):\n    s += s",
    "l = [0]\nfor i in range(40):\n    l = l + l",
    "math.factorial(10 ** 6)",
]


@pytest.mark.parametrize("program", TOO_BIG)
def test_too_big_python_value_fails_fast_with_a_limit_error(program):
    start = time.monotonic()
    error, _ = run_error(program + "\n")
    assert time.monotonic() - start < 5
    assert error.kind == "LimitError", error.render()
    assert "limit" in error.message
    assert error.line == program.count("\n") + 1


def test_big_but_reasonable_values_are_fine():
    out = run_program("print(len(str(2 ** 10000)), len('ab' * 10 ** 6), len([0] * 10 ** 6), "
                      "len(list(range(10 ** 6))), len(f'{1:>1000}'), math.factorial(100) > 0)\n")
    assert out == "3011 2000000 1000000 1000000 1000 True\n"


def test_int_to_str_beyond_python_digit_limit_is_a_value_error():
    error, _ = run_error("x = 10 ** 5000\nprint(x)\n")
    assert error.kind == "ValueError"
    assert error.line == 2


@pytest.mark.parametrize("source, what", [
    ("x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n", "too many nested brackets"),
    ("x = " + "[" * 100_000 + "\n", "too many nested brackets"),
    ("x = " + "-" * 100_000 + "1\n", "too deeply nested"),
    ("x = " + "not " * 100_000 + "1\n", "too deeply nested"),
    ("x = " + "~" * 100_000 + "1\n", "too deeply nested"),
    ("x = 1" + " + 1" * 100_000 + "\n", "too deeply nested"),
    ("x = 2" + " ** 2" * 100_000 + "\n", "too deeply nested"),
    ("x = " + "lambda: " * 100_000 + "1\n", "too deeply nested"),
    ("x = 1" + " if 1 else 1" * 100_000 + "\n", "too deeply nested"),
    ("x = y" + ".a" * 100_000 + "\n", "too deeply nested"),
    ("x = f" + "()" * 100_000 + "\n", "too deeply nested"),
    ("".join(" " * i + "if 1:\n" for i in range(1000)), "too many levels of indentation"),
])
def test_deep_nesting_is_a_quick_syntax_error(source, what):
    start = time.monotonic()
    error, _ = run_error(source)
    assert time.monotonic() - start < 10
    assert isinstance(error, GradshSyntaxError) and not isinstance(error, InternalError)
    assert what in error.message
    assert error.line is not None and error.col is not None


def test_nesting_below_the_limit_compiles_and_runs():
    assert run_program("x = " + "(" * 150 + "1" + ")" * 150 + "\nprint(x)\n") == "1\n"
    assert run_program("x = " + "-" * 250 + "1\nprint(x)\n") == "1\n"
    assert run_program("print(1" + " + 1" * 250 + ")\n") == "251\n"
    nested = "".join("    " * i + "if 1:\n" for i in range(99)) + "    " * 99 + "print('deep')\n"
    assert run_program(nested) == "deep\n"


def test_runaway_recursion_is_counted_and_reported_at_the_call():
    error, _ = run_error("def f(n):\n    return f(n + 1)\nf(0)\n")
    assert error.kind == "RecursionError"
    assert "1000" in error.message
    assert (error.line, error.col) == (2, 12 if HAS_COLUMNS else None)
    assert error.frames[0].line == 3 and error.frames[0].function == "<module>"


def test_recursion_limit_is_a_session_option():
    error, _ = run_error("def f(n):\n    return f(n + 1)\nf(0)\n", max_depth=50)
    assert "50 nested calls" in error.message
    out = run_program("def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nprint(f(900))\n")
    assert out == "900\n"


def test_recursive_lambda_is_counted_too():
    error, _ = run_error("f = lambda n: f(n + 1)\nf(0)\n", max_depth=100)
    assert error.kind == "RecursionError"
    assert error.line == 1


def test_mutual_recursion_and_depth_restored_after_an_error():
    source = "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\n"
    error, _ = run_error(source + "a(0)\n")
    assert error.kind == "RecursionError"
    # after the failure the counter is back to zero: deep but finite recursion still works
    out = run_program(source.replace("return b(n)", "return 0 if n == 0 else b(n - 1)") +
                      "print(a(400))\n")
    assert out == "0\n"


def test_deeply_nested_data_repr_is_a_user_error():
    error, _ = run_error("x = []\nfor i in range(100000):\n    x = [x]\nprint(x)\n")
    assert error.kind == "RecursionError"
    assert error.line == 4
