"""How a notebook cell is typed into a REPL, line by line: each top-level compound statement
(`class`, `def`, `if`, `for`, ...) is followed by the empty line that ends its block, as Python's
REPL (and gradsh's) need. Used by tools/record_repl_echo.py and tests/cli/test_repl_echo.py."""

import ast


def typed(code):
    lines = code.rstrip("\n").split("\n")
    module = ast.parse(code)
    out, done = [], 0   # done: the lines already typed (`5; 6` is two statements, one line)
    for statement in module.body:
        out += lines[max(done, statement.lineno - 1):statement.end_lineno]
        done = max(done, statement.end_lineno)
        if hasattr(statement, "body"):
            out.append("")
    return "".join(line + "\n" for line in out)
