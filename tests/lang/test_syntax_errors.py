"""Syntax errors: plain words, the line and column, the caret; nothing of the program runs."""

import time

import pytest

from gradsh.lang import GradshSyntaxError

from .helpers import run_error, run_program

# source, kind, message, line, col
CASES = [
    ("print(1 + )\n", "SyntaxError", "found ')', expected an expression", 1, 11),
    ("x = = 2\n", "SyntaxError", "found '=', expected an expression", 1, 5),
    ("x = (1,\n2\n", "SyntaxError", "'(' was never closed", 1, 5),
    ("y = [1, {2: 3}\nprint(y)\n", "SyntaxError", "'[' was never closed", 1, 5),
    ("f(1]\n", "SyntaxError", "closing ']' does not match '(' opened at line 2, column 2", 1, 4),
    (")\n", "SyntaxError", "unmatched ')'", 1, 1),
    ("if x:\ny = 1\n", "IndentationError", "expected an indented block after 'if' statement on line 2", 2, 1),
    ("if x:\n", "IndentationError", "expected an indented block", 1, 6),
    ("if 1:\n    y = 1\n  z = 2\n", "IndentationError",
     "unindent does not match any outer indentation level", 3, 3),
    ("  x = 1\n", "IndentationError", "unexpected indent", 1, 3),
    ("x = 1\n    y = 2\n", "IndentationError", "unexpected indent", 2, 5),
    ("if 1:\n\tx = 1\n        y = 2\n", "TabError",
     "inconsistent use of tabs and spaces in indentation", 3, 1),
    ('print("abc)\n', "SyntaxError", "unterminated string", 1, 7),
    ('x = """abc\ndef\n', "SyntaxError", "unterminated triple-quoted string", 1, 5),
    ("caf\u00e9 = 1\n", "SyntaxError", "found non-ASCII letter '\u00e9' (U+00E9)", 1, 4),
    ("x = 1 \u00d7 2\n", "SyntaxError", "found non-ASCII character '\u00d7' (U+00D7)", 1, 7),
    ("x = $\n", "SyntaxError", "found unexpected character '$'", 1, 5),
    ("x = 1 \\ + 2\n", "SyntaxError", "a line continuation must end its line", 1, 7),
    ("lambda = 3\n", "SyntaxError", "found '='", 1, 8),
    ("for = 1\n", "SyntaxError", "found '='", 1, 5),
    ("async def f():\n    pass\n", "SyntaxError",
     "'async' is a Python keyword; async code are not part of gradsh", 1, 1),
    ("try:\n    x = 1\n", "SyntaxError", "expected 'except' or 'finally'", 2, 10),
    ("yield 1\n", "SyntaxError", "'yield' outside function", 1, 1),
    ("return 1\n", "SyntaxError", "'return' outside function", 1, 1),
    ("x = 1\nbreak\n", "SyntaxError", "'break' outside loop", 2, 1),
    ("continue\n", "SyntaxError", "'continue' not properly in loop", 1, 1),
    ("for i in []:\n    def f():\n        break\n", "SyntaxError", "'break' outside loop", 3, 9),
    ("def f(a=1, b):\n    pass\n", "SyntaxError", "non-default argument follows default argument",
     1, 12),
    ("def f(a, a):\n    pass\n", "SyntaxError", "duplicate argument 'a' in function definition",
     1, 10),
    ("f(a=1, 2)\n", "SyntaxError", "positional argument follows keyword argument", 1, 8),
    ("f(a=1, a=2)\n", "SyntaxError", "keyword argument repeated: a", 1, 8),
    ("f(x + 1=2)\n", "SyntaxError", "expression cannot contain assignment", 1, 3),
    ("1 = x\n", "SyntaxError", "cannot assign to a literal", 1, 1),
    ("f() = 2\n", "SyntaxError", "cannot assign to a function call", 1, 1),
    ("a + b += 1\n", "SyntaxError", "An expression cannot be the target of an augmented assignment",
     1, 1),
    ("x = 007\n", "SyntaxError", "invalid number 007", 1, 5),
    ("x = 1jj\n", "SyntaxError", "found name 'j'", 1, 7),
    ("x = 0x1j\n", "SyntaxError", "found name 'j'", 1, 8),
    ("x = {1: 2, 3}\n", "SyntaxError", "found '}', expected ':'", 1, 13),
    ("x = {1, 2: 3}\n", "SyntaxError", "found ':', expected ',' or '}'", 1, 10),
    ("__builtins__ = 1\n", "SyntaxError", "names starting with '__' are reserved in gradsh", 1, 1),
    ("x = f'{}'\n", "SyntaxError", "f-string: empty expression not allowed", 1, 8),
    ("x = f'{1 +}'\n", "SyntaxError", "found ')', expected an expression", 1, 11),
    ("x = f'{a b}'\n", "SyntaxError", "found name 'b'", 1, 10),
    ("x = f'{1'\n", "SyntaxError", "f-string: expecting '}'", 1, 7),
    ("from torch import *\n", "SyntaxError", "'from torch import *' is not supported", 1, 1),
    ("x = [1,\n     2,\n     3 4]\n", "SyntaxError", "found number 4", 3, 8),
    ("x.__class__ = 1\n", "AttributeError", "'__class__' is not accessible", 1, 3),
    ("import os\n", "ImportError", "cannot import 'os': only torch", 1, 8),
    ("from numpy.linalg import norm\n", "ImportError", "cannot import 'numpy.linalg'", 1, 6),
    ("import math.cmath\n", "ImportError", "cannot import 'math.cmath'", 1, 8),
]


@pytest.mark.parametrize("source, kind, message, line, col", CASES,
                         ids=[c[0].split("\n")[0][:30] for c in CASES])
def test_syntax_error_kind_message_and_position(source, kind, message, line, col):
    start = time.process_time()
    error, printed = run_error('print("ran")\n' + source)
    assert time.process_time() - start < 5
    assert isinstance(error, GradshSyntaxError)
    assert printed == "", "a program with a syntax error must not run at all"
    assert error.kind == kind
    assert message in error.message
    assert (error.line, error.col) == (line + 1, col)
    assert error.source_line == ('print("ran")\n' + source).split("\n")[line]


def test_syntax_error_render_has_location_source_line_and_caret():
    error, _ = run_error("x = 1\nprint(x + )\n", filename="prog.grad")
    assert error.render() == (
        "prog.grad:2:11: SyntaxError: found ')', expected an expression\n"
        "    print(x + )\n"
        "              ^")


def test_unclosed_bracket_on_an_earlier_line_is_named_with_where_parsing_stopped():
    error, _ = run_error("y = [1, {2: 3}\nprint(y)\n")
    assert error.message == "'[' was never closed"
    assert (error.line, error.col) == (1, 5)
    assert error.hint.startswith("the parser stopped at line 2, column 1: found name 'print'")


def test_caret_spans_the_offending_token():
    error, _ = run_error("x = 1 +* 2\n")
    assert (error.col, error.end_col) == (8, 9)
    error, _ = run_error("print(x y)\n")
    assert error.message == "found name 'y' right after an expression"
    assert (error.col, error.end_col) == (9, 10)


def test_keyword_used_as_a_name_gets_a_hint():
    error, _ = run_error("lambda = 3\n")
    assert error.hint == "'lambda' is a keyword and cannot be used as a name"


def test_look_alike_cyrillic_letter_is_refused_with_a_hint():
    # "\u0430" is CYRILLIC SMALL LETTER A, drawn like the Latin "a"
    error, _ = run_error("\u0430 = 1\n")
    assert error.kind == "SyntaxError"
    assert "U+0430" in error.message
    assert "look-alike" in error.hint


def test_smart_quotes_get_a_hint():
    error, _ = run_error("print(\u201chi\u201d)\n")
    assert "straight quotes" in error.hint


def test_syntax_error_deep_in_a_long_program_prevents_everything():
    source = "".join("print(%d)\n" % i for i in range(500)) + "x = (\n"
    error, printed = run_error(source)
    assert printed == ""
    assert (error.line, error.col) == (501, 5)


def test_expected_words_name_brackets_and_keywords_not_token_names():
    error, _ = run_error("if x == 1\n    pass\n")
    assert "':'" in error.message and "COLON" not in error.message
    error, _ = run_error("def f(:):\n    pass\n")
    assert "found ':'" in error.message
    assert "a name" in error.message


def test_bytes_literals_are_python_s_and_their_mistakes_are_located():
    # bytes literals are part of the language since branch lang19a; Python's SyntaxErrors
    for source, col, message in [('x = b"ab" "c"\n', 5, "cannot mix bytes and nonbytes literals"),
                                 ('x = rb"a" f"{1}"\n', 5, "cannot mix bytes and nonbytes literals"),
                                 ('x = b"\u00e9"\n', 5, "bytes can only contain ASCII literal "
                                                        "characters")]:
        error, _ = run_error(source)
        assert (error.kind, error.message, error.col) == ("SyntaxError", message, col), source
    assert run_program('print(b"a" Br"\\x" rb\'\\n\', B"\\x41")\n') == "b'a\\\\x\\\\n' b'A'\n"
    error, _ = run_error('ab = 1\nprint(ab "x")\n')   # a name ending in b is not a prefix
    assert error.message == "found a string right after an expression"
