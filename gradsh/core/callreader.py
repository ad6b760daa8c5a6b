"""Reading a failed call back from its source (the failure path of argument errors only).

A frame's instruction has a source position (3.11's co_positions); the source there, parsed,
is the call as written: the called name, its receiver, how each argument was passed. A value
is read only where reading runs no code of the program: a literal, a name the frame bound, an
attribute its caller's `attribute` allows, or what the called function received (its frame's
locals). Used by `.grad` programs (lang/runtime/callsite.py) and `import gradsh as torch`
(core/library_errors.py).
"""

import ast
import itertools
import operator

UNKNOWN = object()
_HAS_POSITIONS = hasattr((lambda: 0).__code__, "co_positions")


def call_at(code, lasti, lines_of):
    """The ast.Call at instruction offset `lasti` of `code` (its source lines: lines_of(code)),
    or None."""
    if not _HAS_POSITIONS or lasti < 0:
        return None
    position = next(itertools.islice(code.co_positions(), lasti // 2, None), None)
    if position is None or None in position:
        return None
    line, end_line, col, end_col = position
    if end_line < line:
        return None
    lines = list(lines_of(code)[line - 1:end_line])
    if not lines or len(lines) != end_line - line + 1:
        return None
    lines[-1] = lines[-1][:end_col]
    lines[0] = lines[0][col:]
    try:
        node = ast.parse("(" + "\n".join(lines) + ")", mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Python's parser recurses in C per dot of `import torch.x.x...` (10**5 dots): such a
        # statement is no call to read
        return None
    return node if isinstance(node, ast.Call) else None


def value(node, frame, attribute):
    """The value of a literal, a name the frame bound, a list or tuple of those, or
    attribute(owner, name) of one; UNKNOWN for anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)) and \
            isinstance(node.operand, (ast.Constant, ast.BinOp)):
        operand = value(node.operand, frame, attribute)
        if type(operand) not in (int, float):
            return UNKNOWN
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        return _folded(node, frame, attribute)
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if node.id in scope:
                return scope[node.id]
        return UNKNOWN
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [value(e, frame, attribute) for e in node.elts]
        if any(i is UNKNOWN for i in items) or any(isinstance(e, ast.Starred)
                                                    for e in node.elts):
            return UNKNOWN
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Attribute):
        owner = value(node.value, frame, attribute)
        return UNKNOWN if owner is UNKNOWN else attribute(owner, node.attr)
    return UNKNOWN


# int arithmetic of literals a call may spell out (`2 ** 63`, `-2 ** 63 - 1`), folded as Python's
# compiler folds it: small operands only, so reading a call never computes a huge number
_FOLDED = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Pow: operator.pow}


def _folded(node, frame, attribute):
    fold = _FOLDED.get(type(node.op))
    if fold is None:
        return UNKNOWN
    a, b = value(node.left, frame, attribute), value(node.right, frame, attribute)
    if type(a) is not int or type(b) is not int or a.bit_length() > 256 or b.bit_length() > 256:
        return UNKNOWN
    if fold is operator.pow and not (0 <= b <= 256 and abs(a) <= 1 << 16):
        return UNKNOWN
    return fold(a, b)


def read_call(call, frame, entry, attribute, surface_of, names_of):
    """(surface, name, args, kwargs) of the call `call` made in `frame`, or None when any part
    cannot be read. entry: the called function's frame, or None; attribute: see `value`;
    surface_of(receiver): 'Tensor', 'torch', 'F', 'linalg' or None; names_of(code): the
    public names of a function whose code that is (aliases)."""
    if not isinstance(call.func, ast.Attribute) or any(
            isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords):
        return None
    name = call.func.attr
    entry_is_callee = entry is not None and (
        entry.f_code.co_name == name or name in names_of(entry.f_code))
    receiver = value(call.func.value, frame, attribute)
    if receiver is UNKNOWN and entry_is_callee and not isinstance(call.func.value, ast.Name):
        # `self.w.sum(...)`: the called self (the first of *args in a number-slot wrapper,
        # core/number_slots.py)
        receiver = positional(entry, 0)
    surface = surface_of(receiver)
    if surface is None:
        return None
    method = surface == "Tensor"
    args = [value(a, frame, attribute) for a in call.args]
    kwargs = {k.arg: value(k.value, frame, attribute) for k in call.keywords}
    if entry_is_callee:
        args = [positional(entry, i + method) if a is UNKNOWN else a
                for i, a in enumerate(args)]
        kwargs = {k: keyword(entry, k) if v is UNKNOWN else v for k, v in kwargs.items()}
    if any(a is UNKNOWN for a in args) or any(v is UNKNOWN for v in kwargs.values()):
        return None
    return surface, name, args, kwargs


def positional(entry, index):
    """The value the called function received as its index-th positional argument."""
    code, values = entry.f_code, entry.f_locals
    if index < code.co_argcount:
        return values.get(code.co_varnames[index], UNKNOWN)
    if code.co_flags & 0x04:  # *args
        extra = values.get(code.co_varnames[code.co_argcount + code.co_kwonlyargcount], ())
        if index - code.co_argcount < len(extra):
            return extra[index - code.co_argcount]
    return UNKNOWN


def keyword(entry, name):
    code, values = entry.f_code, entry.f_locals
    count = code.co_argcount + code.co_kwonlyargcount
    if name in code.co_varnames[:count]:
        return values.get(name, UNKNOWN)
    if code.co_flags & 0x08:  # **kwargs
        extra = values.get(code.co_varnames[count + bool(code.co_flags & 0x04)], {})
        if isinstance(extra, dict) and name in extra:
            return extra[name]
    return UNKNOWN
