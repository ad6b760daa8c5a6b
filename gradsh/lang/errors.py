"""The errors a gradsh program can meet, and their plain-text rendering.

Every failure of a program reaches the caller as a GradshError carrying a position; the CLI
adds colour from the fields, `render()` gives the plain block.
"""

__all__ = ["GradshError", "GradshSyntaxError", "InternalError", "Frame"]

import re
from operator import itemgetter


class Frame(tuple):
    """One step of the chain of .grad calls: (filename, line, col, function_name, source_line).

    A 5-tuple as the Session API promises; `.end_col` (the caret's end) rides along.
    """

    def __new__(cls, filename, line, col, function, source_line, end_col=None):
        self = tuple.__new__(cls, (filename, line, col, function, source_line))
        self.end_col = end_col
        return self

    filename = property(itemgetter(0))
    line = property(itemgetter(1))
    col = property(itemgetter(2))
    function = property(itemgetter(3))
    source_line = property(itemgetter(4))


class GradshError(Exception):
    """A program failed. `kind` is the Python-style error name ("TypeError", "SyntaxError"...)."""

    def __init__(self, kind, message, filename="<stdin>", line=None, col=None, end_col=None,
                 source_line=None, frames=(), hint=None):
        message = _bounded(message, MAX_MESSAGE)
        if isinstance(message, str) and _CONTROL.search(message):
            message = _CONTROL.sub(_picture, message)  # a program's escape codes, as pictures
        super().__init__(message)
        self.kind = kind[:MAX_KIND] if isinstance(kind, str) else kind  # one word still
        self.message = message
        self.filename = filename
        self.line = line
        self.col = col
        self.end_col = end_col
        self.source_line = source_line
        self.frames = list(frames)
        self.hint = hint

    def __str__(self):
        return self.headline()

    def headline(self):
        """`FILE:LINE:COL: Kind: message` (`Kind` alone when there is no message)."""
        where = _where(self.filename, self.line, self.col)
        if not self.message:
            return "%s: %s" % (where, self.kind)
        return "%s: %s: %s" % (where, self.kind, self.message)

    def render(self):
        """Plain text: the call chain, `FILE:LINE:COL: Kind: message`, the line, a caret."""
        out = []
        for cycle, repeats in _collapse(self.frames[:-1]):
            for frame in cycle:
                where = _where(frame.filename, frame.line, frame.col)
                out.append("%s: in %s" % (where, frame.function))
                out.extend(_quote(frame.source_line, frame.col, frame.end_col))
            if repeats:
                out.append("  [the %s repeated %d more time%s]"
                           % ("call above is" if len(cycle) == 1 else
                              "%d calls above are" % len(cycle),
                              repeats, "" if repeats == 1 else "s"))
        out.append(self.headline())
        out.extend(_quote(self.source_line, self.col, self.end_col))
        if self.hint:
            out.append("hint: " + self.hint)
        return "\n".join(out)


class GradshSyntaxError(GradshError):
    """The program could not be parsed or compiled; nothing of it ran.

    `incomplete` is true when more input could make the program valid (an unclosed bracket or
    triple-quoted string, a block header at the end): the REPL asks for another line then.
    """

    def __init__(self, message, filename="<stdin>", line=None, col=None, end_col=None,
                 source_line=None, kind="SyntaxError", hint=None, incomplete=False):
        super().__init__(kind, message, filename, line, col, end_col, source_line, (), hint)
        self.incomplete = incomplete


class InternalError(GradshError):
    """An exception that gradsh itself did not expect: a bug to report. `.original` is it."""

    def __init__(self, original, filename="<stdin>", line=None, col=None, end_col=None,
                 source_line=None, frames=()):
        message = "%s: %s" % (type(original).__name__, original)
        super().__init__("InternalError", message, filename, line, col, end_col, source_line,
                         frames, hint="this is a bug in gradsh, please report it")
        self.original = original


# An error's message and kind come from the program's values (an exception's __str__, a key
# in a KeyError, a class's name): what is printed of them is bounded (round 8: a __str__ of
# 10**8 characters was written out whole), as the REPL bounds a print, and their control
# characters are shown as pictures, as in a quoted source line (a message is gradsh's output).
MAX_MESSAGE = 20_000
MAX_KIND = 200


def shown_text(text):
    """A program's text as gradsh prints it in an error or warning line: bounded to
    MAX_MESSAGE characters, control characters as their pictures (never codes to a terminal)."""
    text = _bounded(text, MAX_MESSAGE)
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


def _bounded(text, most):
    if isinstance(text, str) and len(text) > most:
        return "%s [... %d more characters not shown]" % (text[:most], len(text) - most)
    return text


def _where(filename, line, col):
    if line is None:
        return filename
    if col is None:
        return "%s:%d" % (filename, line)
    return "%s:%d:%d" % (filename, line, col)


# A quoted source line is gradsh's own output, not the program's: its control characters are
# shown as their Unicode pictures (ESC as ␛), one column each so the caret stays aligned,
# and never reach the terminal as codes; a huge line is shown around the caret only.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_QUOTED = 200      # characters of a quoted line (a minified one-line program is longer)
_BEFORE_CARET = 60    # of which at most this many come before the caret


def _picture(match):
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7f else "\ufffd"


def _quote(source_line, col, end_col):
    """The source line, indented, and a caret line under columns col..end_col (1-based)."""
    if source_line is None:
        return []
    text = _CONTROL.sub(_picture, source_line.rstrip("\n"))
    stripped = text.lstrip()
    cut = len(text) - len(stripped)
    if col is None or col - 1 < cut:
        return ["    " + _window(stripped, 0)[0]]
    start = col - 1 - cut
    width = 1
    if end_col is not None and end_col > col:
        width = min(end_col, len(text) + 1) - col
    shown, start = _window(stripped, start)
    # tabs in the prefix are copied so the caret stays aligned in a terminal
    prefix = "".join(c if c == "\t" else " " for c in shown[:start])
    width = min(width, len(shown) + 1 - start)
    return ["    " + shown, "    " + prefix + "^" * max(width, 1)]


def _window(text, start):
    """(the part of `text` shown, the caret's start in it): at most MAX_QUOTED characters
    around `start`, an elided end marked with '...'."""
    if len(text) <= MAX_QUOTED:
        return text, start
    first = max(0, min(start - _BEFORE_CARET, len(text) - MAX_QUOTED))
    shown = text[first:first + MAX_QUOTED]
    if first:
        shown, start = "..." + shown, start - first + 3
    if first + MAX_QUOTED < len(text):
        shown += "..."
    return shown, start


def _collapse(frames, longest=4):
    """Group runs of repeated calls (deep recursion) as (cycle, extra_repeats): a cycle is one
    frame, or up to `longest` frames that repeat together (a function recursing through a
    generator expression alternates two frames)."""
    groups, i, n = [], 0, len(frames)
    while i < n:
        best, best_reps = 1, 0
        for period in range(1, longest + 1):
            cycle = frames[i:i + period]
            reps = 0
            while frames[i + (reps + 1) * period:i + (reps + 2) * period] == cycle:
                reps += 1
            if reps * period > best_reps * best:
                best, best_reps = period, reps
        groups.append((tuple(frames[i:i + best]), best_reps))
        i += best * (best_reps + 1)
    return groups
