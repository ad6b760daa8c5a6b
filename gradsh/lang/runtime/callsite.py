"""PyTorch's TypeError for a call of torch that failed on its arguments (issues 15 and 16).

When a call of a core function fails, the failure path reads the call back: the program's
source at the failing instruction gives the function's name, how it was reached (torch.X,
F.X, torch.linalg.X or a tensor's method) and how each argument was passed (positionally or by
keyword); each argument's value is its literal, the program's variable it names, or what the
called function received (its frame's locals). The provider's `refusal` (core/argcheck.py) then
says whether PyTorch's signatures take those arguments, and if not, in PyTorch's words.
Nothing runs on calls that succeed, and no program code runs here (no attribute of a program's
object is read, no __index__ is called).
"""

import ast
import itertools
import re
import sys

from .namespaces import Namespace

# the provider's namespaces whose functions PyTorch's parser reads (their recorded surfaces)
SURFACES = {"torch": "torch", "torch.nn.functional": "F", "torch.linalg": "linalg"}
# Python's own refusal of a call's arguments, before the called function ran
_BINDING = re.compile(r"^\S+\(\) (takes|got|missing) ")
_UNKNOWN = object()
_HAS_POSITIONS = hasattr((lambda: 0).__code__, "co_positions")


def make_retype(state, registry, types):
    """`.retype()`, which every try body's inner handler calls (compiler.try_except): when the
    exception being handled is a call's refusal of its arguments, PyTorch's TypeError replaces
    it (with its traceback), so the program's `except TypeError` sees what PyTorch raises."""

    def retype():
        exc = sys.exc_info()[1]
        if registry is None or exc is None:
            return
        tb = exc.__traceback__
        if tb is not None and tb.tb_next is None and type(exc) is not TypeError:
            return  # raised on the program's own line (d[k], a raise): no call of the core's
        refused = pytorch_refusal(exc, registry, types)
        if refused is not None:
            state.retyped = (refused, exc.__context__)
            raise refused.with_traceback(exc.__traceback__)
    return retype


def pytorch_refusal(exc, registry, types):
    """The TypeError PyTorch raises for the call that raised `exc`, or None (the arguments
    match one of PyTorch's signatures, the call cannot be read back, or exc is gradsh's own
    on purpose: a limit)."""
    if types.refusal is None or not isinstance(exc, Exception) or \
            isinstance(exc, (MemoryError, RecursionError)) or \
            getattr(type(exc), "gradsh_kind", None) is not None:
        return None  # not an argument's fault, or a limit
    program, entry = _call_frames(exc.__traceback__, registry)
    if program is None:
        return None
    if entry is None and not _binding_error(exc):
        return None  # raised by the program's own code
    call = _call_at(program, registry)
    if call is None:
        return None
    read = _read_call(call, program.tb_frame, entry and entry.tb_frame, types)
    if read is None:
        return None
    message = types.refusal(*read)
    return None if message is None else TypeError(message)


def _binding_error(exc):
    """Is exc Python's refusal of a call's arguments? (Its message is read from its args, not
    by str(): a program's TypeError(obj) would run obj.__str__.)"""
    return type(exc) is TypeError and len(exc.args) == 1 and type(exc.args[0]) is str \
        and _BINDING.match(exc.args[0]) is not None


def _call_frames(tb, registry):
    """(the last program frame's traceback entry, the first core entry after it or None)."""
    program = entry = None
    while tb is not None:
        if tb.tb_frame.f_code in registry:
            program, entry = tb, None
        elif entry is None and program is not None:
            entry = tb
        tb = tb.tb_next
    return program, entry


def _call_at(tb, registry):
    """The ast.Call of the program's source at the failing instruction, or None."""
    code = tb.tb_frame.f_code
    if not _HAS_POSITIONS or tb.tb_lasti < 0:
        return None
    position = next(itertools.islice(code.co_positions(), tb.tb_lasti // 2, None), None)
    if position is None or None in position:
        return None
    line, end_line, col, end_col = position
    if end_line < line:
        return None
    lines = registry.lines(code)[line - 1:end_line]
    if not lines or len(lines) != end_line - line + 1:
        return None
    lines[-1] = lines[-1][:end_col]
    lines[0] = lines[0][col:]
    try:
        node = ast.parse("(" + "\n".join(lines) + ")", mode="eval").body
    except (SyntaxError, ValueError):
        return None
    return node if isinstance(node, ast.Call) else None


def _read_call(call, frame, entry, types):
    """(surface, name, args, kwargs) of a call, or None when any part cannot be read."""
    if not isinstance(call.func, ast.Attribute) or any(
            isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords):
        return None
    name = call.func.attr
    entry_is_callee = entry is not None and (
        entry.f_code.co_name == name or name in types.names_of(entry.f_code))
    receiver = _value(call.func.value, frame, types)
    if receiver is _UNKNOWN and entry_is_callee and entry.f_code.co_argcount and \
            not isinstance(call.func.value, ast.Name):  # `self.w.sum(...)`: the called self
        receiver = entry.f_locals.get(entry.f_code.co_varnames[0], _UNKNOWN)
    surface = _surface(receiver, types)
    if surface is None:
        return None
    method = surface == "Tensor"
    args = [_value(a, frame, types) for a in call.args]
    kwargs = {k.arg: _value(k.value, frame, types) for k in call.keywords}
    if entry_is_callee:
        args = [_positional(entry, i + method) if a is _UNKNOWN else a
                for i, a in enumerate(args)]
        kwargs = {k: _keyword(entry, k) if v is _UNKNOWN else v for k, v in kwargs.items()}
    if any(a is _UNKNOWN for a in args) or any(v is _UNKNOWN for v in kwargs.values()):
        return None
    return surface, name, args, kwargs


def _surface(receiver, types):
    tensor_type = types.expected[0][0] if types.expected else None
    if tensor_type is not None and isinstance(receiver, tensor_type):
        return "Tensor"
    return SURFACES.get(receiver.name) if isinstance(receiver, Namespace) else None


def _value(node, frame, types):
    """The value of a literal, of a name the program bound, or of a namespace's attribute
    (torch.nn.functional); _UNKNOWN for anything else (reading it could run program code)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) and \
            isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if node.id in scope:
                return scope[node.id]
        return _UNKNOWN
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_value(e, frame, types) for e in node.elts]
        if any(i is _UNKNOWN for i in items) or any(isinstance(e, ast.Starred)
                                                     for e in node.elts):
            return _UNKNOWN
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Attribute):
        owner = _value(node.value, frame, types)
        if isinstance(owner, Namespace):
            try:
                return owner.get(node.attr)
            except Exception:  # noqa: BLE001 - not a name of the namespace
                return _UNKNOWN
    return _UNKNOWN


def _positional(entry, index):
    """The value the called function received as its index-th positional argument."""
    code, values = entry.f_code, entry.f_locals
    if index < code.co_argcount:
        return values.get(code.co_varnames[index], _UNKNOWN)
    if code.co_flags & 0x04:  # *args
        extra = values.get(code.co_varnames[code.co_argcount + code.co_kwonlyargcount], ())
        if index - code.co_argcount < len(extra):
            return extra[index - code.co_argcount]
    return _UNKNOWN


def _keyword(entry, name):
    code, values = entry.f_code, entry.f_locals
    count = code.co_argcount + code.co_kwonlyargcount
    if name in code.co_varnames[:count]:
        return values.get(name, _UNKNOWN)
    if code.co_flags & 0x08:  # **kwargs
        extra = values.get(code.co_varnames[count + bool(code.co_flags & 0x04)], {})
        if isinstance(extra, dict) and name in extra:
            return extra[name]
    return _UNKNOWN
