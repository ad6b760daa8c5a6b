"""Auto-indent for the REPL's next line: Python's habits, from the text typed so far."""

import re

from .scan import scan

INDENT = "    "
_DEDENT_AFTER = re.compile(r"^\s*(return|pass|break|continue)\b")
_COMMENT = re.compile(r"\s*#[^'\"]*$")


def next_indent(text_before_cursor):
    """The indentation to insert after a newline typed at the end of `text_before_cursor`."""
    line = text_before_cursor.rsplit("\n", 1)[-1]
    current = line[:len(line) - len(line.lstrip())]
    code = _COMMENT.sub("", line).rstrip()
    if not code:
        return current
    if code.endswith(":"):
        return current + INDENT
    where, brackets = scan(text_before_cursor)
    if brackets and where == "code":
        # inside brackets: one level in from the line that opened the innermost one
        line_start = text_before_cursor.rfind("\n") + 1
        return current + INDENT if brackets[-1][1] >= line_start else current
    if _DEDENT_AFTER.match(code):
        return current[:-len(INDENT)] if current.endswith(INDENT) else ""
    return current


def dedent_width(text_before_cursor):
    """How many spaces Backspace removes in leading indentation (to the previous tab stop)."""
    line = text_before_cursor.rsplit("\n", 1)[-1]
    if not line or line.strip(" "):
        return 1
    return len(line) % len(INDENT) or len(INDENT)
