"""The errors a gradsh program can meet, and their plain-text rendering.

Every failure of a program reaches the caller as a GradshError carrying a position; the CLI
adds colour from the fields, `render()` gives the plain block.
"""

__all__ = ["GradshError", "GradshSyntaxError", "InternalError", "Frame"]

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
        super().__init__(message)
        self.kind = kind
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
        for frame, repeats in _collapse(self.frames[:-1]):
            where = _where(frame.filename, frame.line, frame.col)
            out.append("%s: in %s" % (where, frame.function))
            out.extend(_quote(frame.source_line, frame.col, frame.end_col))
            if repeats:
                out.append("  [the call above is repeated %d more time%s]"
                           % (repeats, "" if repeats == 1 else "s"))
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


def _where(filename, line, col):
    if line is None:
        return filename
    if col is None:
        return "%s:%d" % (filename, line)
    return "%s:%d:%d" % (filename, line, col)


def _quote(source_line, col, end_col):
    """The source line, indented, and a caret line under columns col..end_col (1-based)."""
    if source_line is None:
        return []
    text = source_line.rstrip("\n")
    stripped = text.lstrip()
    cut = len(text) - len(stripped)
    lines = ["    " + stripped]
    if col is None or col - 1 < cut:
        return lines
    start = col - 1 - cut
    width = 1
    if end_col is not None and end_col > col:
        width = min(end_col, len(text) + 1) - col
    # tabs in the prefix are copied so the caret stays aligned in a terminal
    prefix = "".join(c if c == "\t" else " " for c in stripped[:start])
    lines.append("    " + prefix + "^" * max(width, 1))
    return lines


def _collapse(frames):
    """Group runs of identical frames (deep recursion) as (frame, extra_repeats)."""
    groups = []
    for frame in frames:
        if groups and groups[-1][0] == frame:
            groups[-1][1] += 1
        else:
            groups.append([frame, 0])
    return [(frame, repeats) for frame, repeats in groups]
