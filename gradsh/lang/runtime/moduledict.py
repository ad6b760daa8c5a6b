"""`module._modules` in a .grad program: a live view of an nn.Module's children, never the
module's real dict.

d2l.ai's "Layers and Modules" chapter builds its MySequential with `self._modules[str(idx)] =
module` and runs `for block in self._modules.values()`. The real dict is Module's own state,
which the gate keeps out (a `_` name a torch base class's code sets); the view reads, lists
and deletes its entries, and writes only what `add_module` would take (a str name without '.',
an nn.Module or None: PyTorch's raw dict takes anything and fails later, in forward or repr),
so the dict never holds a value the program could not have registered by `add_module`.
"""

from collections.abc import MutableMapping

from .limits import mapping_args
from .dictviews import Snapshots


class ModuleChildren(Snapshots, MutableMapping):
    """What `module._modules` gives (shown and named as Python's dict, which PyTorch's is)."""

    __slots__ = ("_module",)

    def __init__(self, module):
        self._module = module

    def _real(self):
        return object.__getattribute__(self._module, "_modules")

    def __getitem__(self, name):
        return self._real()[name]

    def __setitem__(self, name, value):
        module_type = _module_base(type(self._module))
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f"module name can't contain \".\", got: {name}")
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        if value is not None and not isinstance(value, module_type):
            raise TypeError(f"{type(value).__name__} is not a Module subclass")
        self._real()[name] = value

    def __delitem__(self, name):
        del self._real()[name]

    def __iter__(self):
        return iter(list(self._real()))

    def __len__(self):
        return len(self._real())

    def update(self, *args, **kwargs):
        """As dict.update: pairs from an iterator are read within the item limit first."""
        if len(args) > 1:
            raise TypeError("update expected at most 1 argument, got %d" % len(args))
        for name, value in dict(*mapping_args(args, "_modules.update()"), **kwargs).items():
            self[name] = value

    def _plain(self):
        return dict(self._real())


ModuleChildren.__name__ = ModuleChildren.__qualname__ = "dict"
ModuleChildren.__module__ = "builtins"

# the methods a program may call on it (sandbox.PYTHON_ALLOWED)
MODULE_CHILDREN_NAMES = frozenset("keys values items get pop setdefault update copy clear".split())


def _module_base(cls):
    """nn.Module itself: the deepest base declaring its own `_` names (subclasses add theirs)."""
    for base in reversed(cls.__mro__):
        if "_gradsh_private_names" in base.__dict__:
            return base
    return object


def is_module_class(cls):
    """Is `cls` gradsh's nn.Module or a subclass (the bases that declare `_modules` theirs)?"""
    return "_modules" in getattr(cls, "_gradsh_private_names", ())


def module_children(module, name):
    """The gate's reader of `module._modules` (name is always '_modules')."""
    return ModuleChildren(module)
