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


# a clause keyword and the headers it belongs to
# (`case` belongs with the case before it: typed in that case's body, it goes back to its level)
_CLAUSES = {"else": ("if", "elif", "for", "while", "try", "except"), "elif": ("if", "elif"),
            "except": ("try", "except"), "finally": ("try", "except", "else"),
            "case": ("case",)}
_CLAUSE_TYPED = re.compile(r"^(\s*)(?:(else|finally)\s*:|(elif|except)\*?[\s:(]|(case)\s)$")


def clause_indent(text_before_cursor, at_column_0=False):
    """`else:`, `elif `, `except`, `finally:` just typed on an indented line: the indentation
    of the header it belongs to (the nearest one less indented), or None to leave the line:
    also when the line is already level with its header (indentation typed by hand).
    `at_column_0`: the line was written without indentation by someone typing their own (see
    AutoIndent), so it goes where Python's REPL takes it, to column 0: the nearest header may
    be an inner one (a nested try's `except`, an `if` inside a for-else's body)."""
    lines = text_before_cursor.split("\n")
    m = _CLAUSE_TYPED.match(lines[-1])
    if not m:
        return None
    if at_column_0:
        return ""
    indent = own = len(m.group(1))
    headers = re.compile(r"(%s)\b" % "|".join(_CLAUSES[m.group(2) or m.group(3) or m.group(4)]))
    for line in reversed(lines[:-1]):
        code = line.strip()
        if not code or code.startswith("#"):
            continue
        at = len(line) - len(line.lstrip())
        if at == own and headers.match(code):
            return None
        if at < indent:
            if headers.match(code):
                return line[:at]
            indent = at
            if at == 0:
                return None
    return None
