"""Bytes that are not a UTF-8 program: each a syntax error with a position and a plain message."""

import pytest

from gradsh.lang import GradshSyntaxError

from .helpers import run_error, run_program


def test_nul_byte_is_refused_with_its_position():
    error, printed = run_error(b'print("a")\nx = 1\x00\n')
    assert isinstance(error, GradshSyntaxError)
    assert printed == ""
    assert "NUL byte" in error.message
    assert (error.line, error.col) == (2, 6)


def test_invalid_utf8_names_line_and_byte():
    error, _ = run_error(b"x = 1\ny = '\xff'\n")
    assert error.kind == "SyntaxError"
    assert "invalid UTF-8" in error.message
    assert "byte 0xff at line 2" in error.message
    assert (error.line, error.col) == (2, 6)


def test_utf16_file_is_recognised_by_its_bom():
    error, _ = run_error("print(1)\n".encode("utf-16"))
    assert error.message == "the file is UTF-16; save it as UTF-8"
    assert error.line == 1


def test_utf16_big_endian_file_is_recognised_by_its_bom():
    error, _ = run_error("print(1)\n".encode("utf-16-be").join([b"\xfe\xff", b""]))
    assert "UTF-16" in error.message


def test_utf16_without_bom_is_caught_as_nul_bytes():
    error, _ = run_error("print(1)\n".encode("utf-16-le"))
    assert "NUL byte" in error.message
    assert "UTF-16" in error.hint


def test_utf8_bom_is_accepted():
    assert run_program(b"\xef\xbb\xbfprint('bom ok')\n") == "bom ok\n"
    assert run_program("\ufeffprint('bom ok')\n") == "bom ok\n"


def test_crlf_and_lone_cr_line_ends_are_accepted():
    assert run_program(b"x = 1\r\nif x:\r\n    print('crlf')\r\n") == "crlf\n"
    assert run_program(b"x = 2\rprint(x)\r") == "2\n"


def test_non_ascii_in_strings_and_comments_is_fine():
    assert run_program("# caf\u00e9 \u2603\nprint('\u00e9t\u00e9 \u2603')\n".encode("utf-8")) \
        == "\u00e9t\u00e9 \u2603\n"


def test_missing_final_newline_and_trailing_comment():
    assert run_program("print(1)  # no newline at the end") == "1\n"
    assert run_program("if 1:\n    print(2)\n# trailing comment") == "2\n"
    assert run_program("") == ""
    assert run_program("\n\n   \n# only a comment") == ""


def test_tabs_alone_are_accepted_as_indentation():
    assert run_program("if 1:\n\tif 1:\n\t\tprint('tabs')\n") == "tabs\n"


@pytest.mark.parametrize("source", [
    "if 1:\n    x = 1\n\ty = 2\n",       # 8-column tab vs 4 spaces: inconsistent
    "if 1:\n\tx = 1\n        y = 2\n",   # tab vs 8 spaces: Python calls this inconsistent too
])
def test_mixed_tabs_and_spaces_is_a_tab_error(source):
    error, _ = run_error(source)
    assert error.kind == "TabError"
    assert error.line == 3


def test_a_string_program_is_not_bytes_decoded():
    assert run_program("print('\\xff')") == "\xff\n"
