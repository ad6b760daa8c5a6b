"""`vars(obj)` and `obj.__dict__` for an instance of a program's own class: a live view of the
attributes a program may name on that instance, never the instance's real dict.

Python hands out the real dict, which under a torch base class holds the base's own state
(nn.Module's `_parameters`, `_modules`, hook dicts) and whose keys may be anything. The view
lists, reads, writes and deletes the names `obj.name` in the program's text could (the gate's
rules: no name starting with `__`, a `_` name only when it is the program's own), writes
into the instance as Python's `obj.__dict__[name] = v` does (no `__setattr__`, no property
runs), and reads its arguments and builds its text within gradsh's limits. A class's, a
function's, a module's or torch's `__dict__` are refused (they are the way to Python's and
gradsh's internals), except torch's own nn.Module instances (branch lang20): a read-only view
of their public names as `m.name` reads them (a value the gate refuses shows as text only)
and the state views of torchprivate.py.
"""

from collections.abc import MutableMapping

from .limits import check_text_size, mapping_args
from . import comparing
from .classdict import Unavailable
from .moduledict import is_module_class
from .torchprivate import MODULE_STATE
from .dictviews import Snapshots

_MODULE_VIEWS = frozenset(MODULE_STATE) | {"_modules"}


_SHOWING = set()  # the instances whose dict is being shown (a dict inside itself shows {...})


class InstanceDict(Snapshots, MutableMapping):
    """What `vars(obj)` gives for an instance of a program's class (shown as Python's dict)."""

    __slots__ = ("_obj", "_gate")

    def __init__(self, obj, gate):
        self._obj, self._gate = obj, gate

    def _real(self):
        return object.__getattribute__(self._obj, "__dict__")

    def _visible(self, name):
        return type(name) is str and not name.startswith("__") \
            and (self._gate.allows(self._obj, name) or self._module_state(name))

    def _module_state(self, name):
        """nn.Module's state a program may read by name (`_modules`, `_parameters`, the hook
        dicts: their views, torchprivate.py), listed as PyTorch's vars(module) lists them."""
        return name in _MODULE_VIEWS and is_module_class(type(self._obj))

    def _get(self, real, name):
        if self._module_state(name):
            return self._gate.load_once(self._obj, name)
        if type(self._obj) not in self._gate.program_classes:
            try:  # torch's values: as `m.name` gives them
                return self._gate.load_once(self._obj, name)
            except AttributeError:
                return Unavailable("<%s object>" % type(real[name]).__name__)
        return real[name]

    def _writable(self, name):
        if type(name) is not str:
            raise TypeError("an instance's __dict__ takes attribute names (str) in gradsh, not "
                            "'%s'" % type(name).__name__)
        if type(self._obj) not in self._gate.program_classes:
            raise TypeError("vars() of torch's %s is read-only in gradsh: set its attributes "
                            "with `module.%s = value` (nn.Module's __setattr__ sorts them)"
                            % (type(self._obj).__name__, name))
        if name.startswith("__") or self._gate._decide_store(type(self._obj), name) is not True:
            raise AttributeError("'%s' cannot be written through __dict__ in gradsh: it is not "
                                 "a name the program may set on '%s' objects"
                                 % (name, type(self._obj).__name__))
        return name

    def __getitem__(self, name):
        real = self._real()
        if name in real and self._visible(name):
            return self._get(real, name)
        raise KeyError(name)

    def __setitem__(self, name, value):
        self._real()[self._writable(name)] = value

    def __delitem__(self, name):
        real = self._real()
        if name not in real or not self._visible(name):
            raise KeyError(name)
        del real[self._writable(name)]

    def __iter__(self):
        return iter([name for name in list(self._real()) if self._visible(name)])

    def __len__(self):
        return sum(1 for name in list(self._real()) if self._visible(name))

    def update(self, *args, **kwargs):
        """As dict.update: pairs from an iterator are read within the item limit first."""
        if len(args) > 1:
            raise TypeError("update expected at most 1 argument, got %d" % len(args))
        for name, value in dict(*mapping_args(args, "__dict__.update()"), **kwargs).items():
            self[name] = value

    def _plain(self):
        real = self._real()
        return {name: self._get(real, name) for name in list(real) if self._visible(name)}

    def popitem(self):
        """As dict.popitem: the last attribute set."""
        names = list(self)
        if not names:
            raise KeyError("popitem(): dictionary is empty")
        return names[-1], self.pop(names[-1])

    def __eq__(self, other):
        if isinstance(other, InstanceDict):
            other = other._plain()
        if not isinstance(other, dict):
            return NotImplemented
        mine = self._plain()
        comparing.check_pair(mine, other, "'=='")
        return mine == other

    __hash__ = None

    def __repr__(self):
        key = id(self._obj)
        if key in _SHOWING:  # the dict holds itself (`self.me = vars(self)`): as Python shows it
            return "{...}"
        plain = self._plain()
        check_text_size(plain, "repr()")
        _SHOWING.add(key)
        try:
            return repr(plain)
        finally:
            _SHOWING.discard(key)


# messages and type() name it as Python names an instance's __dict__
InstanceDict.__name__ = InstanceDict.__qualname__ = "dict"
InstanceDict.__module__ = "builtins"

# the methods a program may call on it (sandbox.PYTHON_ALLOWED)
INSTANCE_DICT_NAMES = frozenset("keys values items get pop popitem setdefault update copy "
                                "clear".split())


def instance_dict(gate, obj):
    """`obj.__dict__` / `vars(obj)`: the view for an instance of a program class; refused
    for every other object."""
    if type(obj) in gate.program_classes:
        try:
            object.__getattribute__(obj, "__dict__")
        except AttributeError:  # @dataclass(slots=True)
            raise TypeError("vars() argument must have __dict__ attribute") from None
        return InstanceDict(obj, gate)
    if is_module_class(type(obj)):
        # torch's own nn.Module: its names as vars(module) lists them, read-only
        return InstanceDict(obj, gate)
    if not hasattr(obj, "__dict__"):
        raise TypeError("vars() argument must have __dict__ attribute")
    raise TypeError("vars() and __dict__ are available in gradsh for instances of the "
                    "program's own classes only, not for %s (a class's, a function's, a "
                    "module's or torch's dict would reach Python's and gradsh's internals)"
                    % _what(obj))


def _what(obj):
    if isinstance(obj, type):
        return "a class"
    return "'%s' objects" % type(obj).__name__
