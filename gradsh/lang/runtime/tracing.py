"""From a Python exception raised while a program ran to a GradshError located in the .grad source.

The compiled program's code objects carry .grad lines and columns (the compiler set them), so a
traceback's frames of program code, with `co_positions()` and the frame's last instruction,
give FILE:LINE:COL and the caret span of the failing expression. Frames of gradsh itself are
never shown. An exception that gradsh did not mean to raise becomes an InternalError.
"""

import csv
import dataclasses
import pickle
import re
import sys

from ...core.errors import WRAPPER_CODES
from ..errors import Frame, GradshError, InternalError
from .argtypes import ArgumentTypes
from .callsite import pytorch_refusal
from .classes import group_leaves, is_uncatchable
from .limits import LimitError, check_text_size
from .pybuiltins import FORBIDDEN

# What gradsh's core and runtime raise on purpose for a program's mistakes (PyTorch's types),
# and what the code @dataclass writes for a program's class raises (a frozen field assigned)
EXPECTED = (RuntimeError, TypeError, ValueError, LookupError, ArithmeticError, MemoryError,
            dataclasses.FrozenInstanceError, FileNotFoundError, pickle.PickleError,
            EOFError,  # torch.load of an empty buffer, or of one read to its end
            Warning,  # (a warning the program's filter made an error: warnings.simplefilter)
            re.error,  # a program's bad pattern (warnings.filterwarnings(message='('))
            csv.Error)  # a row csv cannot read or write (offered to programs as csv.Error)

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


def _innermost_at_entry(tb, registry):
    """Did the traceback's innermost program frame stop at its function's entry (its def line,
    before its first statement)?"""
    at_entry = False
    while tb is not None:
        code = tb.tb_frame.f_code
        if code in registry:
            at_entry = code.co_name != "<module>" and tb.tb_lineno == code.co_firstlineno
        tb = tb.tb_next
    return at_entry


def convert(exc, registry, describe_memory_error=None, types=None):
    """The GradshError for an exception that escaped a running program (describe_memory_error:
    the provider's words for its MemoryErrors, or None; types: the provider's ArgumentTypes)."""
    group, exc = exc, _limit_in_group(exc)
    frames, innermost_is_program = program_frames(exc.__traceback__, registry)
    if not frames and exc is not group:  # a limit made inside the group, never raised itself:
        frames, innermost_is_program = program_frames(group.__traceback__, registry)  # its raise
    kind = getattr(type(exc), "gradsh_kind", None)
    if kind == "RecursionError" and len(frames) > 1:
        frames.pop()  # point at the call that went too deep, not at the def it entered
    elif isinstance(exc, RecursionError) and len(frames) > 1 and \
            _innermost_at_entry(exc.__traceback__, registry):
        # Python's own limit, met in a builtin's C call (hash(self) in __hash__): it stops at
        # the call or at the entry of the function called, depending on the stack the program
        # started with; the call is the place, whatever the start (REPL, pipe, file, kernel)
        frames.pop()
    refused = pytorch_refusal(exc, registry, types) if types is not None else None
    if refused is not None:
        exc, kind = refused, type(refused).__name__
    if kind is None and not innermost_is_program and isinstance(exc, TypeError):
        sequence = _not_a_sequence(exc, registry, frames, types or _PLAIN)
        if sequence is not None:
            where = frames[-1] if frames else Frame("<stdin>", None, None, "<module>", None)
            return GradshError("TypeError", sequence, where.filename, where.line, where.col,
                               where.end_col, where.source_line, frames, None)
    if kind is None:
        if innermost_is_program or isinstance(exc, EXPECTED):
            kind = type(exc).__name__
        else:
            misplaced = misplaced_argument(exc, registry, frames, types)
            if misplaced is None:
                return _internal(exc, frames)
            where = frames[-1] if frames else Frame("<stdin>", None, None, "<module>", None)
            return GradshError(misplaced[0], misplaced[1], where.filename, where.line,
                               where.col, where.end_col, where.source_line, frames, None)
    message = _message(exc)
    if type(exc).__dict__.get("gradsh_kind") == "RecursionError" and \
            getattr(exc, "gradsh_limit", None):  # (classes.ProgramRecursionError, uncaught)
        message += " (more than %d nested calls of program functions)" % exc.gradsh_limit
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
    below = "".join("\n" + line for line in _notes_and_group(exc))
    hint = _hint(exc)
    where = frames[-1] if frames else Frame("<stdin>", None, None, "<module>", None)
    error = GradshError(kind, message + below, where.filename, where.line, where.col,
                        where.end_col, where.source_line, frames, hint)
    error.below = below  # (the lines Python prints below the message: not str(exc)'s)
    return error


def _limit_in_group(exc):
    """A limit that an `except*` block re-raised in the group it handled (classes.guard): the
    limit itself, as it would have ended the program without the except*."""
    if not isinstance(exc, BaseExceptionGroup):
        return exc
    for inner in group_leaves(exc):
        if is_uncatchable(inner):
            return inner
    return exc


# Python's traceback shows at most this many exceptions of a group, and groups this deep
_GROUP_WIDTH, _GROUP_DEPTH = 15, 10


def _notes_and_group(exc, depth=0):
    """The lines Python prints below an exception's message: its notes (`e.add_note(...)`), and
    for an exception group each of its exceptions in Python's boxes (without their tracebacks),
    as many and as deep as Python's traceback shows."""
    notes = getattr(exc, "__notes__", None)
    lines = []
    if isinstance(notes, list):
        for note in notes[:_GROUP_WIDTH * 10]:
            lines += (note if isinstance(note, str) else "<note str() failed>").split("\n")
    if not isinstance(exc, BaseExceptionGroup):
        return lines
    if depth >= _GROUP_DEPTH:
        return lines + ["... (max_group_depth is %d)" % _GROUP_DEPTH]
    inner = exc.exceptions
    for i, sub in enumerate(inner[:_GROUP_WIDTH]):
        head = "+-+" if i == 0 else "  +"
        lines.append("%s---------------- %d ----------------" % (head, i + 1))
        text = "%s: %s" % (type(sub).__name__, _message(sub)) if _message(sub) else \
            type(sub).__name__
        for line in text.split("\n") + _notes_and_group(sub, depth + 1):
            lines.append("  | " + line)
    if len(inner) > _GROUP_WIDTH:
        lines.append("  +---------------- ... ----------------")
        lines.append("  | and %d more exceptions" % (len(inner) - _GROUP_WIDTH))
    lines.append("  +------------------------------------")
    return lines


# the receivers of torch.* functions (as opposed to a tensor's methods) in a call's source text
_MODULE_RECEIVERS = ("torch", "functional", "F", "linalg", "special", "fft", "autograd", "nn")
_DEEPEST_LOOKED_AT = 12  # core frames searched for the argument a failure came from
# parameters that take a tensor in PyTorch's signatures: a non-tensor there, before the argument
# a failure came from, is the one PyTorch names (it checks in order: linear(1, 2) names input)
_TENSOR_PARAMETERS = frozenset(("self", "input", "weight", "mat", "mat1", "mat2", "vec",
                                "tensor", "target", "batch1", "batch2", "tensor1", "tensor2"))


_PLAIN = ArgumentTypes()


def misplaced_argument(exc, registry, frames, types=None):
    """(kind, message) for a value of the wrong type handed to a core function, found on the
    failure path only (issue 16), or None: an AttributeError inside the core about an object
    that is an argument of the function the program called. A tensor's attribute asked of a
    list (`torch.mv(t, 'x')` fails on 'x'._data) is "mv(): argument 'vec' (position 2) must be
    Tensor, not str"; a dtype's asked of a tensor, "must be torch.dtype, not Tensor"; another
    attribute asked of the program's own value (`nn.Linear.forward(t)`) is the AttributeError
    Python gives. Names and positions come from the called function's own signature; nothing
    runs on the hot path."""
    types = types or _PLAIN
    if not isinstance(exc, AttributeError):
        return None
    obj = getattr(exc, "obj", None)
    if obj is None and not _message(exc).startswith("'NoneType' object"):
        return _store_on_a_wrong_self(exc, registry)  # Python gave the exception no obj
    cls, expected = types.expected_for(getattr(exc, "name", None) or "")
    found = _argument_of_the_call(exc.__traceback__, registry, obj,
                                  expected and expected.split(".")[-1], types.names_of)
    if found is None:
        # a plain value the program stored where the core keeps a tensor (an optimizer's
        # state loaded from a dict: {'momentum_buffer': 'x'}): Python's AttributeError, as
        # PyTorch's Python code meets it (it names the method it calls first instead)
        # a tensor where PyTorch's Python code wants another object reached from the
        # arguments (ChainedScheduler(t) reads t[0].optimizer): the same AttributeError; a
        # tensor lacking one of gradsh's own `_` fields stays an internal error (a bug)
        # an instance of a program's own class asked for a public attribute it lacks
        # (AveragedModel(obj, device) calls a deep copy's `.to`: round 15's API fuzzer): the
        # same AttributeError, as PyTorch's Python code meets it
        public = not (getattr(exc, "name", None) or "_").startswith("_")
        plain = type(obj) in _PLAIN_VALUES or hasattr(type(obj), "_stands_for") or (
            types.expected and isinstance(obj, types.expected[0][0]) and public) or (
            public and getattr(type(obj), "__module__", None) == "__main__")
        return ("AttributeError", _message(exc)) if plain else None
    frame, param = found[0], found[2]
    if cls is None:  # `generator=t`: a parameter named after the type it takes
        cls, expected = types.expected_for_parameter(param)
    if cls is None or isinstance(obj, cls):
        return _another_kind(exc, obj, frame, param, types)
    return "TypeError", _wrong_type(frames, found, obj, expected, types)


_PLAIN_VALUES = frozenset((str, int, float, bool, complex, list, tuple, dict, set, frozenset,
                           range, slice, bytes))  # (and a program's numpy values: `_stands_for`)
_TENSOR_LISTS = ("tensors", "indices")  # PyTorch's parameters that take a tuple of Tensors
_NOT_ITERABLE = re.compile(r"'[^']*' object is not (iterable|subscriptable)$")


def _not_a_sequence(exc, registry, frames, types):
    """PyTorch's TypeError for a non-sequence where a sequence of tensors is wanted (a
    parameter named `tensors`: torch.hstack(1)), when Python's 'not iterable' came from there."""
    if not (_NOT_ITERABLE.match(_message(exc)) or getattr(exc, "tensor_list", False)):
        return None
    entry = _entry(exc.__traceback__, registry)
    for _ in range(_DEEPEST_LOOKED_AT):
        if entry is None:
            return None
        frame = entry.tb_frame
        names = frame.f_code.co_varnames[:frame.f_code.co_argcount]
        param = next((n for n in names if n in _TENSOR_LISTS), None)
        if param is not None and not _forwards(frame.f_code):
            value = frame.f_locals.get(param)
            if isinstance(value, (list, tuple)):
                return None
            found = (frame, frame.f_code.co_name, param, names.index(param), "not a sequence")
            return _wrong_type(frames, found, value, "tuple of Tensors", types)
        entry = entry.tb_next
    return None


def _another_kind(exc, obj, frame, param, types):
    """The program's value used as another kind of value (a tensor as a string: `.lower`; an
    int as a module; `nn.Linear.forward(t)`): Python's AttributeError, as PyTorch's Python code
    gives; None for a tensor without one of gradsh's own fields (gradsh's bug)."""
    tensor_type = types.expected[0][0] if types.expected else ()
    # (a tensor where a module is taken: self of another class, or a shared helper's `module`
    # parameter, `nn.Bilinear.reset_parameters(t)`: the program's mistake)
    if isinstance(obj, tensor_type) and exc.name.startswith("_") and not (
            (param == "self" and _method_class(frame.f_code) not in ("", "Tensor"))
            or param == "module"):
        return None
    return "AttributeError", _message(exc)


def _wrong_type(frames, found, obj, expected, types):
    """PyTorch's TypeError for `obj` where `expected` ('Tensor', 'torch.dtype') was wanted."""
    frame, name, param, index, element = found
    called = _called_name(frames, frame.f_code, name, types)
    method = _called_as_method(frames, called)
    if method == "Tensor" and param == "self":
        return "descriptor '%s' for 'torch._C.TensorBase' objects doesn't apply to a '%s' " \
               "object" % (called, types.type_name(obj))
    if element == "not a sequence":
        return "%s(): argument '%s' (position %d) must be tuple of Tensors, not %s" % (
            called, param, index if method and index > 0 else index + 1,
            types.type_name(frame.f_locals.get(param)))
    if element is not None:
        return "expected Tensor as element %d in argument %d, but got %s" % (
            element, index, types.type_name(obj))
    if expected == types.expected[0][1]:
        param, index, obj = _first_non_tensor(frame, param, index, obj, types.expected[0][0])
    position = index if method and index > 0 else index + 1
    by_keyword = index >= frame.f_code.co_argcount or re.search(
        r"[(,]\s*%s\s*=[^=]" % re.escape(param), _call_text(frames))
    at = "" if by_keyword else " (position %d)" % position  # PyTorch's, for keywords too
    return "%s(): argument '%s'%s must be %s, not %s" % (
        called, "input" if param == "self" else param, at, expected, types.type_name(obj))


def _store_on_a_wrong_self(exc, registry):
    """`Function.mark_dirty('s')`: a method called with a `self` of another class fails to
    store an attribute on it (Python gives such an AttributeError no obj): Python's message."""
    entry = _entry(exc.__traceback__, registry)
    if entry is None:
        return None
    frame = entry.tb_frame
    self = frame.f_locals.get("self", None) if frame.f_code.co_varnames[:1] == ("self",) \
        else None
    cls = _method_class(frame.f_code)
    if self is None or not cls or any(c.__name__ == cls for c in type(self).__mro__):
        return None
    return "AttributeError", _message(exc)


def _entry(tb, registry):
    """The first core frame after the last program frame of a traceback, or None."""
    entry = None
    while tb is not None:
        if tb.tb_frame.f_code in registry:
            entry = None
        elif entry is None:
            entry = tb
        tb = tb.tb_next
    return entry


def _argument_of_the_call(tb, registry, obj, prefer, names_of):
    """(frame, function name, parameter, index, element) of `obj` among the arguments of the
    first core function called after the last program frame that holds it, or None; the
    parameter named `prefer` first (the same tensor passed as input and as dtype: dtype is the
    wrong one). Wrappers that pass their arguments on (the bindings' checks, forward-mode AD's
    dispatch) are looked through: the function they call names the arguments; a wrapper is
    named only when nothing under it holds the argument (an in-place op over its helper)."""
    entry = _entry(tb, registry)
    passed_on = None
    for _ in range(_DEEPEST_LOOKED_AT):
        if entry is None:
            break
        code = entry.tb_frame.f_code
        found = _find_argument(entry.tb_frame, obj, prefer)
        if found is not None:
            if not _forwards(code):
                if passed_on is not None and names_of(passed_on[0].f_code) \
                        and not names_of(code):
                    return passed_on  # a public wrapper over a private helper (check_inplace)
                return (entry.tb_frame,) + found
            if code not in WRAPPER_CODES:  # (the complex gate is never the one named)
                passed_on = passed_on or (entry.tb_frame,) + found
        entry = entry.tb_next
    return passed_on


def _forwards(code):
    """Does a function pass its arguments on: f(x, *args, **kwargs), a dispatcher's
    f(name, args, kwargs), or code gradsh generated (a file name such as '<forward_ad>')?"""
    names = code.co_varnames[:code.co_argcount]
    return code.co_flags & 0x0C == 0x0C or ("args" in names and "kwargs" in names) \
        or code.co_filename.startswith("<")


def _method_class(code):
    """The class a function was defined in ('Linear' for Linear.forward), or ''."""
    parts = getattr(code, "co_qualname", code.co_name).split(".")
    return parts[-2] if len(parts) > 1 and parts[-2] != "<locals>" else ""


def _first_non_tensor(frame, param, index, obj, tensor_type):
    """The first tensor parameter before `param` given a non-tensor (PyTorch checks in order)."""
    code = frame.f_code
    for i, earlier in enumerate(code.co_varnames[:index]):
        value = frame.f_locals.get(earlier, None)
        if earlier in _TENSOR_PARAMETERS and not isinstance(value, tensor_type):
            return earlier, i, value
    return param, index, obj


def _call_text(frames):
    if frames and frames[-1].source_line and frames[-1].col is not None:
        return frames[-1].source_line[frames[-1].col - 1:]
    return ""


def _called_name(frames, code, name, types):
    """The name the program called the function by (`torch.inner` for dot's code; `index_put_`
    for the in-place form of index_put)."""
    text = _call_text(frames)
    for alias in types.names_of(code):
        if alias != name and "." + alias + "(" in text and "." + name + "(" not in text:
            return alias
    if "." + name + "_(" in text and "." + name + "(" not in text:
        return name + "_"
    return name


def _called_as_method(frames, name):
    """The receiver's text when the program called `name` as a method (`t.mv(...)`), else ''."""
    text = _call_text(frames)
    at = text.find("." + name + "(")
    if at <= 0:
        return ""
    receiver = text[:at].rstrip().split(".")[-1].split("(")[-1].strip()
    return "" if receiver in _MODULE_RECEIVERS else receiver


def _find_argument(frame, obj, prefer=None):
    code = frame.f_code
    if code.co_name.startswith("<") and code.co_name != "<lambda>":
        return None
    count = code.co_argcount + code.co_kwonlyargcount
    names = code.co_varnames[:count]
    values = frame.f_locals
    if prefer in names and values.get(prefer, None) is obj:
        return code.co_name, prefer, names.index(prefer), None
    for i, param in enumerate(names):
        value = values.get(param, None)
        if value is obj:
            return code.co_name, param, i, None
        if isinstance(value, (list, tuple)):  # a sequence of tensors: torch.stack([t, 1])
            for j, item in enumerate(list.__getitem__(value, slice(10000)) if isinstance(
                    value, list) else tuple.__getitem__(value, slice(10000))):
                if item is obj:
                    return code.co_name, param, i, j
    if code.co_flags & 0x04:  # *args
        extra = values.get(code.co_varnames[count], ())
        for i, value in enumerate(extra):
            if value is obj:  # torch.einsum('i,i->', 1): element 0 of argument 1
                return code.co_name, "args", code.co_argcount, i
    for i, param in enumerate(names):  # a string or dict read as a sequence of tensors
        value = values.get(param, None)
        if type(value) in _NOT_SEQUENCES and _holds(value, obj):
            return code.co_name, param, i, "not a sequence"
    return None


# containers PyTorch does not take as a sequence of tensors ("must be tuple of Tensors, not
# dict"), of builtin types only: looking into them runs no program code
_NOT_SEQUENCES = (str, dict, set, frozenset, range)


def _holds(container, obj):
    if type(container) is str:
        return type(obj) is str and len(obj) == 1 and obj in container
    if type(container) is range:
        return type(obj) is int and obj in container
    return any(item is obj for item in list(container)[:10000])


def _message(exc, show=str, value=None):
    """str(exc), which may run a program's __str__: if that fails, Python's own words for it.
    Its args are measured first (a list shared at every level would be 2**60 characters)."""
    try:
        shown = exc if value is None else value
        # (an exception group's str is its message and a count, not its exceptions)
        if not _plain_args(shown) and not (show is str and isinstance(shown, BaseExceptionGroup)):
            check_text_size(shown, "the error's message")
    except (LimitError, RecursionError) as e:
        return "<exception str() failed: %s>" % e
    try:
        text = show(exc if value is None else value)
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: B902 - the program's __str__ (or __repr__) failed
        return "<exception str() failed>"
    return text if isinstance(text, str) else "<exception str() failed>"


_PLAIN_ARGS = frozenset((str, int, float, bool, type(None)))


def _plain_args(exc):
    args = getattr(exc, "args", None)
    return type(args) is tuple and all(type(a) in _PLAIN_ARGS for a in args)


def _internal(exc, frames):
    where = frames[-1] if frames else Frame("<stdin>", None, None, "<module>", None)
    err = InternalError(exc, where.filename, where.line, where.col, where.end_col,
                        where.source_line, frames)
    return err


def _hint(exc):
    if isinstance(exc, NameError) and getattr(exc, "name", None) in FORBIDDEN:
        return "'%s' is a Python builtin that gradsh programs do not have" % exc.name
    return getattr(type(exc), "gradsh_hint", None)


def program_frame_of(registry):
    """frame -> (file, line, function, source line) for a frame of program code, else None:
    what anomaly mode's forward trace shows while programs run (the core's show_frames)."""
    def where(frame):
        code = frame.f_code
        if code not in registry:
            return None
        filename, line, _, function, source = _frame(code, frame.f_lasti, frame.f_lineno,
                                                     registry)
        return filename, line, function, (source or "").strip()
    return where


def current_frame(registry):
    """The innermost program frame now running (to locate a warning), or None."""
    f = sys._getframe(1)
    while f is not None:
        if f.f_code in registry:
            return _frame(f.f_code, f.f_lasti, f.f_lineno, registry)
        f = f.f_back
    return None
