"""The world the command runs in: streams, terminal flags and environment variables.

Injected everywhere (httpie's habit) so that tests run the CLI and the REPL in-process with
StringIO streams and exact-string checks.
"""

import io
import os
import sys


class Environment:
    """Streams and facts about them. `stdin_bytes` is read for programs (undecoded)."""

    def __init__(self, stdin=None, stdout=None, stderr=None, stdin_isatty=None,
                 stdout_isatty=None, environ=None, stdin_bytes=None, width=None):
        self.stdin = stdin if stdin is not None else io.StringIO("")
        self.stdout = stdout if stdout is not None else io.StringIO()
        self.stderr = stderr if stderr is not None else io.StringIO()
        if stdin_bytes is None:
            stdin_bytes = getattr(self.stdin, "buffer", None)
        if stdin_bytes is None:
            stdin_bytes = io.BytesIO(self.stdin.getvalue().encode("utf-8")
                                     if isinstance(self.stdin, io.StringIO) else b"")
        self.stdin_bytes = stdin_bytes
        self.stdin_isatty = _isatty(self.stdin) if stdin_isatty is None else stdin_isatty
        self.stdout_isatty = _isatty(self.stdout) if stdout_isatty is None else stdout_isatty
        self.environ = dict(os.environ) if environ is None else environ
        # a fixed width makes Rich output reproducible in tests; None: ask the terminal
        self.width = width
        # set by the command once a gradsh program (not the REPL, not --python) is what runs
        self.program_only = False

    @classmethod
    def from_system(cls):
        return cls(sys.stdin, sys.stdout, sys.stderr)

    def is_real_stdout(self):
        return self.stdout is sys.stdout

    def use_colour(self, choice="auto", terminal_counts=True):
        """--color=always/never win; auto: NO_COLOR off, FORCE_COLOR on, else a terminal
        (unless `terminal_counts` is false: the pipe path stays plain and fast by default)."""
        if choice == "always":
            return True
        if choice == "never":
            return False
        if self.environ.get("NO_COLOR"):
            return False
        force = self.environ.get("FORCE_COLOR")
        if force and force != "0":
            return True
        return terminal_counts and bool(self.stdout_isatty) and self.environ.get("TERM") != "dumb"


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
