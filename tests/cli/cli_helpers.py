"""Small helpers shared by the CLI tests (imported as a module: conftest is not)."""

import os
import sys

VENV_BIN = os.path.dirname(sys.executable)
GRADSH = os.path.join(VENV_BIN, "gradsh")

BANNER_START = "gradsh "


def body(out):
    """REPL stdout without the banner line."""
    first, _, rest = out.partition("\n")
    assert first.startswith(BANNER_START), out
    return rest
