"""Small helpers shared by the CLI tests (imported as a module: conftest is not)."""

import os
import re
import sys

VENV_BIN = os.path.dirname(sys.executable)
GRADSH = os.path.join(VENV_BIN, "gradsh")

BANNER_START = "gradsh "


def body(out):
    """REPL stdout without the banner line."""
    first, _, rest = out.partition("\n")
    assert first.startswith(BANNER_START), out
    return rest


_HEADLINE = re.compile(r"^\S+?:(\d+)(?::\d+)?: ([A-Za-z]+): ", re.M)
_HEADLINE_NO_LINE = re.compile(r"^(?!gradsh: )\S+?: ([A-Za-z]+Error): ", re.M)


def headline(err):
    """(kind, line) of the last `FILE:LINE:COL: Kind: message` on stderr (line None when the
    error has no line); (None, None) if there is none."""
    found = _HEADLINE.findall(err)
    if found:
        line, kind = found[-1]
        return kind, int(line)
    found = _HEADLINE_NO_LINE.findall(err)
    return (found[-1], None) if found else (None, None)
