"""Lexing a long string literal costs a small constant per character (issue 16: a
16-million-character literal took 370 bytes per character in the regex engine's backtracking
stack, then a MemoryError). Measured with tracemalloc, whose figures include the engine's
stack: the bound is 40 bytes per character; the text itself and the token's value take 2."""

import sys
import tracemalloc

import pytest

from gradsh.lang.syntax.parser import parse_source

N = 1_000_000


@pytest.mark.parametrize("body", [
    '"' + "a" * N + '"',
    '"' + "\\n" * (N // 2) + '"',
    '"""' + 'ab\\"c"d' * (N // 7) + '"""',
    "f'" + "\\t" * (N // 2) + "'",
    "'''" + "x\n" * (N // 2) + "'''",
], ids=["plain", "escapes", "triple-quoted", "f-string", "multiline"])
def test_a_long_string_literal_lexes_in_constant_memory_per_character(body):
    if sys.version_info < (3, 11) and "\\" in body:
        pytest.skip("possessive repeats (Python 3.11) keep escapes from costing a stack entry")
    source = "s = " + body + "\n"
    parse_source(source, "<test>")  # the tables are loaded once, outside the measure
    tracemalloc.start()
    try:
        parse_source(source, "<test>")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / len(source) < 40, peak / len(source)
