"""PyTorch's argument errors under `import gradsh as torch` (issues 15 and 16).

A Python program offers no hook on the exceptions it catches, so the translation sits in the
API's own functions: `install` gives each public function and Tensor method a handler for the
exceptions leaving it (core/guarded.py: an exception-table entry, nothing runs on success).
When an exception leaves the function the program called (its caller is not gradsh's own
code), the handler reads the call back from the program's source (core/callreader.py) and,
if PyTorch's signatures refuse the arguments (core/argcheck.py), raises PyTorch's TypeError
in place of gradsh's. `.grad` programs get the same translation from their own runtime
(lang/runtime/callsite.py), which this one leaves alone.
"""

import builtins
import linecache
import sys
import types

from . import argcheck, callreader, errors, guarded
from .tensor import Tensor

_PACKAGE = __name__.partition(".")[0]
# the modules whose functions PyTorch's parser reads, by their surfaces in signatures.txt
SURFACES = {_PACKAGE: "torch", _PACKAGE + ".nn.functional": "F", _PACKAGE + ".linalg": "linalg",
            _PACKAGE + ".special": "special"}
_PYTHON_BUILTINS = builtins.__dict__
_NAMES = {}  # code object -> the public names of the functions with that code


def _surface(receiver):
    if isinstance(receiver, Tensor):
        return "Tensor"
    if isinstance(receiver, types.ModuleType):
        return SURFACES.get(receiver.__name__)
    return None


def _attribute(owner, name):
    """A module of gradsh's by its attribute (torch.nn.functional); nothing else is read."""
    if isinstance(owner, types.ModuleType) and owner.__name__.partition(".")[0] == _PACKAGE:
        value = getattr(owner, name, callreader.UNKNOWN)
        return value if isinstance(value, types.ModuleType) else callreader.UNKNOWN
    return callreader.UNKNOWN


def _names_of(code):
    return _NAMES.get(code, ())


def _is_program(frame):
    """Is frame the program's (not gradsh's own code, not a .grad program, which has its own
    builtins and its own translation)?"""
    return frame is not None and frame.f_builtins is _PYTHON_BUILTINS and \
        frame.f_globals.get("__name__", "").partition(".")[0] != _PACKAGE


def translate():
    """The handler of every installed function: PyTorch's TypeError in place of the exception
    being handled, when the program called this function with arguments PyTorch refuses."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, Exception) or isinstance(exc, (MemoryError, RecursionError)):
        return
    entry = sys._getframe(1)
    caller = entry.f_back
    if not _is_program(caller):
        return  # an inner call: the function the program called translates
    message = _refusal(caller, entry)
    # gradsh's own errors (a limit) stand, but for an int past int64: PyTorch's parser
    # refuses it before any limit could be met
    if getattr(type(exc), "gradsh_kind", None) is not None and not argcheck.is_overflow(message):
        return
    if message is not None:
        raise argcheck.as_exception(message) from None


def _refusal(caller, entry):
    call = callreader.call_at(caller.f_code, caller.f_lasti, lambda code: linecache.getlines(
        code.co_filename, caller.f_globals))
    if call is None:
        return None
    read = callreader.read_call(call, caller, entry, _attribute, _surface, _names_of)
    return None if read is None else argcheck.refusal(*read)


# False in a process that runs only .grad programs (the command's file, -c and pipe paths, which
# turn it off before the API loads): they have their own translation and no Python program
# can run there, so the handlers would never act, and adding them is about a tenth of the
# pipe's start-up (some 2,000 functions' code rewritten).
_installing = [True]


def programs_only():
    """Say that this process runs .grad programs only: `install` does nothing from now on."""
    _installing[0] = False


def install(functions):
    """Give each of {public name: function} the handler (a function twice is installed once)."""
    if not _installing[0]:
        return
    for name, fn in functions.items():
        code = getattr(fn, "__code__", None)
        if code is None or getattr(fn, "__module__", "").partition(".")[0] != _PACKAGE:
            continue
        before = fn.__code__
        guarded.guard(fn, translate)
        if before in errors.REFLECTED_CODES:  # a reflected operator's code, known by identity
            errors.REFLECTED_CODES.add(fn.__code__)
        if before in errors.WRAPPER_CODES:  # an op's wrapper (errors.warn looks past it)
            errors.WRAPPER_CODES.add(fn.__code__)
        names = _NAMES.setdefault(fn.__code__, ())
        if name not in names:
            _NAMES[fn.__code__] = names + (name,)


def public_functions(namespace):
    """{name: function} of a namespace's public functions (not dunders: `hasattr` and
    operators fail there on purpose, and operators are no calls to read back; not private
    ones, which other code may swap: Tensor._make)."""
    return {n: f for n, f in namespace.items()
            if isinstance(f, types.FunctionType) and not n.startswith("_")}
