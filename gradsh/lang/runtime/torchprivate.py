"""The private names of torch's objects that learner code reads (branch lang20): an allow-list,
each handed out as a read-only view or a fresh copy, never the object's own state.

PyTorch code and tutorials look inside a module (`len(net._forward_hooks)`, `m._parameters`,
`vars(module)['_modules']`), a composite scheduler (`len(sched._schedulers)`) and nn.init's
fan helper (`init._calculate_fan_in_and_fan_out(w)`). The real dicts are nn.Module's own state,
whose values may be gradsh's functions (the hooks nn.utils registers); the views list their
keys and hand out a value only when the program could hold it anyway: a tensor, a torch
object, the program's own function or object; any other value shows Python's text for it and
nothing else (classdict.Unavailable). Writes go through the public API (`register_*_hook`, the
handle's `remove()`, `register_buffer`), as before; `_modules` keeps its writable view
(moduledict.py).

Branch lang21 made the rest a rule rather than a longer list: any other name starting with one
'_' on a torch object is readable when PyTorch's object of that class has it
(torch_private_names.py, recorded from PyTorch 2.13: `mha._qkv_same_embed_dim`,
`lstm._flat_weights_names`, a pruning hook's `_tensor_name`, a PruningContainer's
`_pruning_methods`, `opt._zero_grad_profile_name`) and its value is data a program may hold:
None, a bool, number, str or bytes, a tensor or another torch object, the program's own object,
or a list, tuple, set or dict of those (handed out as a copy, so no change reaches the object).
A callable, a module object, a host object or a numpy array is refused, and so is every name
PyTorch's object lacks (gradsh's own bookkeeping: a tensor's `_data`, a layer's `_SIZES`).
Writes stay refused."""

from collections import OrderedDict
from collections.abc import Mapping
import functools
import types

from ..importable import PRIVATE_FUNCTIONS
from ..torch_private_names import NAMES as TORCH_PRIVATE_NAMES
from .classdict import Unavailable
from .dictviews import Snapshots

# nn.Module's state dicts a program may read (PyTorch's names), and the dict type each is
MODULE_STATE = {"_parameters": dict, "_buffers": dict, "_forward_hooks": OrderedDict,
                "_forward_pre_hooks": OrderedDict, "_backward_hooks": OrderedDict,
                "_backward_pre_hooks": OrderedDict, "_state_dict_hooks": OrderedDict,
                "_state_dict_pre_hooks": OrderedDict, "_load_state_dict_pre_hooks": OrderedDict,
                "_load_state_dict_post_hooks": OrderedDict}

PRIVATE_FUNCTION_NAMES = frozenset(n for names in PRIVATE_FUNCTIONS.values() for n in names)

# a scheduler's private data (class name in its MRO -> names): lists and numbers, copied
SCHEDULER_DATA = {"ChainedScheduler": ("_schedulers", "_last_lr", "_step_count"),
                  "SequentialLR": ("_schedulers", "_last_lr", "_step_count", "_milestones"),
                  "LRScheduler": ("_last_lr", "_step_count")}


class ModuleState(Snapshots, Mapping):
    """What `module._parameters`, `module._forward_hooks`... give: a read-only view of the
    module's dict of that name, shown as PyTorch's (a dict or an OrderedDict)."""

    __slots__ = ("_module", "_name", "_gate")

    def __init__(self, module, name, gate):
        self._module, self._name, self._gate = module, name, gate

    def __new__(cls, module, name, gate):
        return object.__new__(_OrderedState if MODULE_STATE[name] is OrderedDict else cls)

    def _real(self):
        return object.__getattribute__(self._module, "__dict__").get(self._name) or {}

    def _read_only(self, *args, **kwargs):
        raise TypeError("module.%s is a read-only view in gradsh: change it through the "
                        "module's API (register_buffer, register_parameter, the register_*_hook "
                        "methods and the handle's remove())" % self._name)

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only  # (`m._parameters |= {...}` was Python's "unsupported operand": round 20)

    def __or__(self, other):  # a new dict, as PyTorch's dict gives
        return self._plain().__or__(other)

    def __ror__(self, other):
        return self._plain().__ror__(other)

    def _value(self, value):
        return value if _holdable(self._gate, value) else Unavailable(_text(value))

    def __getitem__(self, key):
        return self._value(self._real()[key])

    def __iter__(self):
        return iter(list(self._real()))

    def __len__(self):
        return len(self._real())

    def __contains__(self, key):
        try:
            return key in self._real()
        except TypeError:
            return False

    def _plain(self):
        return MODULE_STATE[self._name]((k, self._value(v)) for k, v in list(self._real().items()))

    def get(self, key, default=None):
        return self[key] if key in self else default


class _OrderedState(ModuleState):
    """The view of a module's hook dicts, OrderedDicts in PyTorch."""

    __slots__ = ()


ModuleState.__name__ = ModuleState.__qualname__ = "dict"
ModuleState.__module__ = "builtins"
_OrderedState.__name__ = _OrderedState.__qualname__ = "OrderedDict"
_OrderedState.__module__ = "collections"

MODULE_STATE_NAMES = frozenset("keys values items get copy clear pop popitem setdefault "
                               "update".split())


def _holdable(gate, value):
    """May the program hold `value` (it could have got it another way)?"""
    cls = type(value)
    if value is None or gate.provider.owns_type(cls) or cls in gate.program_classes:
        return True
    if cls is types.FunctionType:
        return gate.is_program_function(value)
    if cls is types.MethodType:
        return gate.is_program_function(value.__func__) and (
            type(value.__self__) in gate.program_classes or value.__self__ in gate.program_classes)
    if cls is functools.partial:
        return _holdable(gate, value.func)
    return False


def _text(value):
    try:
        return repr(value)
    except Exception:  # (a gradsh object's repr: only its type's name, then)
        return "<%s object>" % type(value).__name__


def module_state(gate):
    """The gate's reader of `module._parameters`, `module._forward_hooks`..."""
    def load(module, name):
        return ModuleState(module, name, gate)
    return load


def scheduler_names(cls):
    """The private names a scheduler of class `cls` offers (empty for other classes)."""
    for base in cls.__mro__:
        if base.__name__ in SCHEDULER_DATA and base.__module__.startswith("gradsh.core.optim"):
            return SCHEDULER_DATA[base.__name__]
    return ()


def scheduler_data(scheduler, name):
    """`sched._schedulers`, `sched._last_lr`: a copy (a list of the member schedulers, of
    floats), so that the program's changes never reach the scheduler's own state."""
    try:
        value = object.__getattribute__(scheduler, name)
    except AttributeError:
        raise AttributeError("'%s' object has no attribute '%s'"
                             % (type(scheduler).__name__, name)) from None
    return list(value) if isinstance(value, (list, tuple)) else value


@functools.lru_cache(maxsize=None)
def torch_private_names(cls):
    """The names starting with '_' that PyTorch's object of gradsh's class `cls` carries as data
    (the union over its classes, by name: torch_private_names.py)."""
    return frozenset(n for base in cls.__mro__ for n in TORCH_PRIVATE_NAMES.get(base.__name__, ()))


REFUSED = object()
_PLAIN = frozenset((type(None), bool, int, float, complex, str, bytes))
_COPIED = {list: list, tuple: tuple, set: set, frozenset: frozenset}
_DEPTH = 8  # (PyTorch's private data nests two deep at most: a list of lists of names)


def program_data(gate, value, depth=0):
    """`value` as a program may hold it: itself when immutable or a torch or program object, a
    copy of a list, tuple, set or dict of such values; REFUSED for anything else."""
    cls = type(value)
    if cls in _PLAIN or gate.provider.owns_type(cls) or cls in gate.program_classes:
        return value
    if depth >= _DEPTH:
        return REFUSED
    if cls in _COPIED:
        items = [program_data(gate, v, depth + 1) for v in value]
        return REFUSED if any(i is REFUSED for i in items) else _COPIED[cls](items)
    if cls is dict or cls is OrderedDict:
        pairs = [(program_data(gate, k, depth + 1), program_data(gate, v, depth + 1))
                 for k, v in value.items()]
        return REFUSED if any(k is REFUSED or v is REFUSED for k, v in pairs) else cls(pairs)
    if _holdable(gate, value):  # the program's own function (a hook it registered)
        return value
    return REFUSED
