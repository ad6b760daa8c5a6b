"""From a Python exception raised while a program ran to a GradshError located in the .grad source.

The compiled program's code objects carry .grad lines and columns (the compiler set them), so a
traceback's frames of program code, with `co_positions()` and the frame's last instruction,
give FILE:LINE:COL and the caret span of the failing expression. Frames of gradsh itself are
never shown. An exception that gradsh did not mean to raise becomes an InternalError.
"""

import sys

from ..errors import Frame, GradshError, InternalError
from .pybuiltins import FORBIDDEN

# What gradsh's core and runtime raise on purpose for a program's mistakes (PyTorch's types).
EXPECTED = (RuntimeError, TypeError, ValueError, LookupError, ArithmeticError, MemoryError)

_HAS_POSITIONS = hasattr((lambda: 0).__code__, "co_positions")


class CodeRegistry:
    """The code objects compiled from programs, each with its source lines."""

    def __init__(self):
        self._lines = {}

    def add(self, code, lines):
        stack = [code]
        while stack:
            c = stack.pop()
            self._lines[c] = lines
            stack.extend(k for k in c.co_consts if isinstance(k, type(code)))

    def __contains__(self, code):
        return code in self._lines

    def lines(self, code):
        return self._lines[code]


def _position(code, lasti, lineno):
    """(line, col, end_col) of the instruction at byte offset lasti, 1-based columns."""
    if _HAS_POSITIONS and lasti >= 0:
        for i, pos in enumerate(code.co_positions()):
            if i == lasti // 2:
                line, end_line, col, end_col = pos
                if line is None:
                    break
                if col is None:
                    return line, None, None
                return line, col + 1, (end_col + 1 if end_line == line and end_col is not None
                                       else None)
    return lineno, None, None


def _frame(code, lasti, lineno, registry):
    line, col, end_col = _position(code, lasti, lineno)
    lines = registry.lines(code)
    source = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
    return Frame(code.co_filename, line, col, code.co_name, source, end_col)


def program_frames(tb, registry):
    """The frames of program code in a traceback, outermost first; is the last the innermost?"""
    frames, innermost_is_program = [], False
    last = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code in registry:
            frame = _frame(code, tb.tb_lasti, tb.tb_lineno, registry)
            if tb.tb_frame is last:
                # the same frame again: an exception re-raised where it was being handled (a
                # limit passing an except or finally block); the first raise locates it
                frames[-1] = frame
            else:
                frames.append(frame)
            last = tb.tb_frame
            innermost_is_program = tb.tb_next is None
        else:
            innermost_is_program = False
        tb = tb.tb_next
    return frames, innermost_is_program


def convert(exc, registry, describe_memory_error=None):
    """The GradshError for an exception that escaped a running program (describe_memory_error:
    the provider's words for its MemoryErrors, or None)."""
    frames, innermost_is_program = program_frames(exc.__traceback__, registry)
    kind = getattr(type(exc), "gradsh_kind", None)
    if kind == "RecursionError" and len(frames) > 1:
        frames.pop()  # point at the call that went too deep, not at the def it entered
    if kind is None:
        if innermost_is_program or isinstance(exc, EXPECTED):
            kind = type(exc).__name__
        else:
            message = misplaced_argument(exc, registry, frames)
            if message is None:
                return _internal(exc, frames)
            where = frames[-1] if frames else Frame("<stdin>", None, None, "<module>", None)
            return GradshError("TypeError", message, where.filename, where.line, where.col,
                               where.end_col, where.source_line, frames, None)
    message = _message(exc)
    if isinstance(exc, KeyError) and len(exc.args) == 1:
        message = _message(exc, repr, exc.args[0])
    elif isinstance(exc, MemoryError):
        described = describe_memory_error and describe_memory_error(exc)
        if isinstance(described, tuple):  # (kind, message): a tensor above the limit
            kind, described = described
        message = described or (
            "out of memory: " + message if message else
            "out of memory while building a value (delete variables you no longer need, or "
            "build smaller values)")
    hint = _hint(exc)
    where = frames[-1] if frames else Frame("<stdin>", None, None, "<module>", None)
    return GradshError(kind, message, where.filename, where.line, where.col, where.end_col,
                       where.source_line, frames, hint)


# the receivers of torch.* functions (as opposed to a tensor's methods) in a call's source text
_MODULE_RECEIVERS = ("torch", "functional", "F", "linalg", "special", "fft", "autograd", "nn")
_DEEPEST_LOOKED_AT = 4  # core frames searched for the argument a failure came from


def misplaced_argument(exc, registry, frames):
    """PyTorch's TypeError for a value of the wrong type handed to a core function, found on
    the failure path only (issue 16): an AttributeError inside the core about an object that is
    an argument of the function the program called (`torch.mv(t, 'x')` fails on 'x'._data) is
    "mv(): argument 'vec' (position 2) must be Tensor, not str". The argument's name and
    position come from the called function's own signature; nothing runs on the hot path."""
    if not isinstance(exc, AttributeError):
        return None
    obj = getattr(exc, "obj", None)
    if obj is None or type(obj).__module__.startswith("gradsh"):
        return None
    tb = exc.__traceback__
    entry = None
    while tb is not None:  # the first core frame after the last program frame
        if tb.tb_frame.f_code in registry:
            entry = None
        elif entry is None:
            entry = tb
        tb = tb.tb_next
    for _ in range(_DEEPEST_LOOKED_AT):
        if entry is None:
            return None
        found = _find_argument(entry.tb_frame, obj)
        if found is not None:
            break
        entry = entry.tb_next
    else:
        return None
    name, param, index, element = found
    if element == "str":
        return "%s(): argument '%s' (position %d) must be tuple of Tensors, not str" % (
            name, param, index + 1)
    if element is not None:
        return "expected Tensor as element %d in argument %d, but got %s" % (
            element, index, type(obj).__name__)
    method = False
    if frames and frames[-1].source_line and frames[-1].col is not None:
        text = frames[-1].source_line[frames[-1].col - 1:]
        at = text.find("." + name + "(")
        if at > 0:
            receiver = text[:at].rstrip().split(".")[-1].split("(")[-1].strip()
            method = receiver not in _MODULE_RECEIVERS
    position = index if method and index > 0 else index + 1
    if param == "self":
        param = "input"
    return "%s(): argument '%s' (position %d) must be Tensor, not %s" % (
        name, param, position, type(obj).__name__)


def _find_argument(frame, obj):
    code = frame.f_code
    if code.co_name.startswith("<"):
        return None
    count = code.co_argcount + code.co_kwonlyargcount
    names = code.co_varnames[:count]
    values = frame.f_locals
    for i, param in enumerate(names):
        value = values.get(param, None)
        if value is obj:
            return code.co_name, param, i, None
        if type(value) in (list, tuple):  # a sequence of tensors: torch.stack([t, 1])
            for j, item in enumerate(value[:10000]):
                if item is obj:
                    return code.co_name, param, i, j
    if code.co_flags & 0x04:  # *args
        extra = values.get(code.co_varnames[count], ())
        for i, value in enumerate(extra):
            if value is obj:
                return code.co_name, "args", code.co_argcount + i, None
    if type(obj) is str and len(obj) == 1:  # a string read as a sequence of tensors
        for i, param in enumerate(names):
            value = values.get(param, None)
            if type(value) is str and obj in value:
                return code.co_name, param, i, "str"
    return None


def _message(exc, show=str, value=None):
    """str(exc), which may run a program's __str__: if that fails, Python's own words for it."""
    try:
        text = show(exc if value is None else value)
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: B902 - the program's __str__ (or __repr__) failed
        return "<exception str() failed>"
    return text if isinstance(text, str) else "<exception str() failed>"


def _internal(exc, frames):
    where = frames[-1] if frames else Frame("<stdin>", None, None, "<module>", None)
    err = InternalError(exc, where.filename, where.line, where.col, where.end_col,
                        where.source_line, frames)
    return err


def _hint(exc):
    if isinstance(exc, NameError) and getattr(exc, "name", None) in FORBIDDEN:
        return "'%s' is a Python builtin that gradsh programs do not have" % exc.name
    return getattr(type(exc), "gradsh_hint", None)


def current_frame(registry):
    """The innermost program frame now running (to locate a warning), or None."""
    f = sys._getframe(1)
    while f is not None:
        if f.f_code in registry:
            return _frame(f.f_code, f.f_lasti, f.f_lineno, registry)
        f = f.f_back
    return None
