"""Small helpers shared by the CLI tests (imported as a module: conftest is not)."""

import os
import re
import sys
import threading
import time

VENV_BIN = os.path.dirname(sys.executable)
GRADSH = os.path.join(VENV_BIN, "gradsh")

BANNER_START = "gradsh "


def body(out):
    """REPL stdout without the banner line."""
    first, _, rest = out.partition("\n")
    assert first.startswith(BANNER_START), out
    return rest


# (an error with an empty message is its kind alone: `EOFError`; KeyboardInterrupt's line is none)
_HEADLINE = re.compile(r"^\S+?:(\d+)(?::\d+)?: ([A-Za-z]+(?=: )|[A-Za-z]+Error$)", re.M)
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


class Until:
    """A step in the keys of the `repl` fixture: wait until `test(buffer)` holds for the input
    buffer of the prompt (polled: the prompt runs in the test's main thread)."""

    def __init__(self, test, what):
        self.test, self.what = test, what

    def __repr__(self):
        return self.what

    def wait(self, made, timeout=60):
        """True once the state is reached; False if it never is (the test then fails)."""
        deadline = time.monotonic() + timeout
        reached = threading.Event()
        while time.monotonic() < deadline:
            try:
                if made and self.test(made[-1].default_buffer):
                    return True
            except Exception:  # the buffer changing under the test: look again
                pass
            reached.wait(0.01)
        return False
