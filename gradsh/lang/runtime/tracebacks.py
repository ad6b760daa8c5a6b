"""`e.__traceback__` in a program: a view of the program's own frames, never Python's traceback.

Python's traceback object leads to frames (`tb_frame`), and from a frame to its globals, its
builtins and gradsh's own frames below the program's. A program reads what real code reads of
it: the line each frame was at (`tb_lineno`) and the next frame inward (`tb_next`), over the
frames of the program's code only (gradsh's and Python's own frames between them are left out,
as the located error leaves them out). An exception never raised has none (`None`), as in
Python. `e.with_traceback(None)` clears it; a view given back to `with_traceback` is refused
(it is not Python's traceback). docs/language.md, "Exceptions"; docs/security.md.
"""

from .tracing import program_frames

__all__ = ["ProgramTraceback", "traceback_of", "with_traceback", "TRACEBACK_NAMES"]

# what a program reads of a view (the gate hands out these two, nothing else)
TRACEBACK_NAMES = frozenset(("tb_lineno", "tb_next"))


class ProgramTraceback:
    """One program frame of a traceback: the line it was at and the next frame inward."""

    __slots__ = ("tb_lineno", "tb_next")

    def __init__(self, lineno, inner):
        self.tb_lineno, self.tb_next = lineno, inner

    def __repr__(self):
        return "<traceback object at 0x%x>" % id(self)


ProgramTraceback.__name__ = ProgramTraceback.__qualname__ = "traceback"


def traceback_of(gate):
    """The gate's reader of `e.__traceback__`: None, or the views of the program's frames."""

    def read(exc, name):
        tb = exc.__traceback__
        if tb is None or gate.registry is None:
            return None
        frames, _ = program_frames(tb, gate.registry)
        view = None
        for frame in reversed(frames):
            view = ProgramTraceback(frame.line, view)
        return view
    return read


def with_traceback(exc, name):
    """`e.with_traceback(tb)`: None clears the traceback (returns e, as Python's); a view is not
    Python's traceback, so it is refused with Python's words for a wrong type."""

    def with_traceback(tb, /):
        if tb is not None:
            raise TypeError("__traceback__ must be a traceback or None")
        return exc.with_traceback(None)
    return with_traceback
