"""The gradsh language: parse, compile and run programs in a sandbox (see docs/language.md).

    from gradsh.lang import Session, GradshError
    s = Session()
    s.run(open("prog.grad", "rb").read(), "prog.grad")
"""

from .errors import Frame, GradshError, GradshSyntaxError, InternalError
from .parser import check_complete
from .session import Session

__all__ = ["Session", "GradshError", "GradshSyntaxError", "InternalError", "Frame",
           "check_complete"]
