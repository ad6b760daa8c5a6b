"""The gradsh language: parse, compile and run programs in a sandbox (see docs/language.md).

Two jobs, two packages: `syntax` turns source text into Python code objects (lexer, LALR
driver, compiler, f-strings, syntax messages); `runtime` runs them (sandbox, namespaces,
session, limits, the Python builtins a program has, error tracing). `errors` serves both.

    from gradsh.lang import Session, GradshError
    s = Session()
    s.run(open("prog.grad", "rb").read(), "prog.grad")
"""

from .errors import Frame, GradshError, GradshSyntaxError, InternalError
from .runtime.session import Session
from .syntax.parser import check_complete

__all__ = ["Session", "GradshError", "GradshSyntaxError", "InternalError", "Frame",
           "check_complete"]
