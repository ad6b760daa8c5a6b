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

import re
import sys

from ...core import argcheck, callreader
from ...core.callreader import UNKNOWN as _UNKNOWN
from .namespaces import Namespace

# the provider's namespaces whose functions PyTorch's parser reads (their recorded surfaces)
SURFACES = {"torch": "torch", "torch.nn.functional": "F", "torch.linalg": "linalg",
            "torch.special": "special"}
# Python's own refusal of a call's arguments, before the called function ran
_BINDING = re.compile(r"^\S+\(\) (takes|got|missing) ")
# ... and one naming the function by gradsh's own module (Python's message for `**`)
_INTERNAL_NAME = re.compile(r"^gradsh\.\S+\(\) (takes|got|missing|argument after) ")


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
    on purpose: a limit). Python's own refusal naming a function by gradsh's module
    (`gradsh.core.ops.reduce.sum() got multiple values for keyword argument 'dim'`, from
    `**` merged before the call) names it as Python names a builtin: `sum() got ...`."""
    refused = _refusal(exc, registry, types)
    if refused is None and type(exc) is TypeError and len(exc.args) == 1 and \
            type(exc.args[0]) is str and _INTERNAL_NAME.match(exc.args[0]):
        name, rest = exc.args[0].split("() ", 1)
        return TypeError("%s() %s" % (name.rsplit(".", 1)[-1], rest))
    return refused


def _refusal(exc, registry, types):
    if types.refusal is None or not isinstance(exc, Exception) or \
            isinstance(exc, (MemoryError, RecursionError)):
        return None  # not an argument's fault
    # gradsh's own errors stand (a limit), but for an int past int64, which PyTorch's parser
    # refuses before any limit could be met (`tensor_split(t, 2 ** 63)`)
    only_overflow = getattr(type(exc), "gradsh_kind", None) is not None
    program, entry = _call_frames(exc.__traceback__, registry)
    if program is None:
        return None
    if entry is None and not _binding_error(exc):
        # raised by the program's own code; when that code ran inside a call of gradsh's (an
        # argument's __index__ or __float__ that raises), PyTorch's parser, which asks them
        # first, refuses the argument instead: the outer call is read (its refusal is None,
        # and the program's exception stands, when its arguments match: a hook that raises)
        program, entry = _outer_call_frames(exc.__traceback__, registry)
        if program is None:
            return None
    call = _call_at(program, registry)
    if call is None:
        return None
    read = _read_call(call, program.tb_frame, entry and entry.tb_frame, types)
    if read is None:
        return None
    message = types.refusal(*read)
    if message is None or only_overflow and not argcheck.is_overflow(message):
        return None
    return argcheck.as_exception(message)


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


def _outer_call_frames(tb, registry):
    """(the program frame that called into gradsh's code, the first core entry of that call),
    the first such pair of the traceback, or (None, None)."""
    program = None
    while tb is not None:
        if tb.tb_frame.f_code in registry:
            program = tb
        elif program is not None:
            return program, tb
        tb = tb.tb_next
    return None, None


def _call_at(tb, registry):
    """The ast.Call of the program's source at the failing instruction, or None."""
    return callreader.call_at(tb.tb_frame.f_code, tb.tb_lasti, registry.lines)


def _read_call(call, frame, entry, types):
    """(surface, name, args, kwargs) of a call, or None when any part cannot be read."""
    return callreader.read_call(call, frame, entry, _namespace_attribute,
                                lambda receiver: _surface(receiver, types), types.names_of)


def _surface(receiver, types):
    tensor_type = types.expected[0][0] if types.expected else None
    if tensor_type is not None and isinstance(receiver, tensor_type):
        return "Tensor"
    return SURFACES.get(receiver.name) if isinstance(receiver, Namespace) else None


def _namespace_attribute(owner, name):
    if isinstance(owner, Namespace):
        try:
            return owner.get(name)
        except Exception:  # noqa: BLE001 - not a name of the namespace
            return _UNKNOWN
    return _UNKNOWN
