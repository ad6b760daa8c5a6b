"""What `torch` and `math` are inside a program: read-only views of public APIs, never modules.

The shipped provider of `torch` is the gradsh package; tests may inject PyTorch itself.
A sub-package becomes a nested namespace (`torch.nn.functional`); the gradsh internals
(core, lang, cli), raw-numpy doors and file I/O are left out.
"""

import contextlib
import functools
import importlib
import importlib.util
import math
import operator
import sys
import weakref
from types import FunctionType

from ..importable import PRIVATE_BASES, PRIVATE_FUNCTIONS
from .argtypes import ArgumentTypes
from .builtinfns import torch_builtin
from .limits import int_like, shown_as_kind
from .nesting import bounded, reading
from .torch_builtins import SHOWN

__all__ = ["Namespace", "Provider", "math_namespace", "UnavailableError"]


# Names a program never reaches through `torch`, with the reason it is told.
EXCLUDED = {
    "core": "it is gradsh's implementation, not part of torch's API",
    "lang": "it is gradsh's implementation, not part of torch's API",
    "cli": "it is gradsh's implementation, not part of torch's API",
    "grammar": "it is gradsh's implementation, not part of torch's API",
    "from_file": "gradsh programs cannot read files",
    "frombuffer": "raw buffers are not available in gradsh",
    "hub": "torch.hub is not part of gradsh",
    "multiprocessing": "torch.multiprocessing is not part of gradsh",
    "distributed": "torch.distributed is not part of gradsh",
    "storage": "storages are not available in gradsh",
    "UntypedStorage": "storages are not available in gradsh",
    "TypedStorage": "storages are not available in gradsh",
    "ops": "torch.ops is not part of gradsh",
    "library": "torch.library is not part of gradsh",
    "serialization": "gradsh programs cannot read or write files",
    "fx": "torch.fx is not part of gradsh",
    "export": "torch.export is not part of gradsh",
    "package": "torch.package is not part of gradsh",
}


# torch's functions a program gets in a version of their own: torch.save and torch.load read and
# write the run's in-memory files (gradsh/serialization.py), never the host's
PROGRAM_VERSIONS = {"save": ("serialization", "program_save"),
                    "load": ("serialization", "program_load"),
                    # the program's numpy arrays (lang/runtime/numpymodule.py)
                    "from_numpy": ("lang.runtime.namespaces", "from_numpy")}
PROGRAM_VERSION_MISSING = {"save": "gradsh programs cannot write files",
                           "load": "gradsh programs cannot read files",
                           "from_numpy": "numpy arrays are not available here"}


def from_numpy(array):
    """Creates a Tensor from a numpy.ndarray: the tensor shares the array's memory (a program's
    numpy array: lang/runtime/numpymodule.py, loaded by the first call, not at start-up, since
    every torch name is a program's builtin)."""
    from .numpymodule import from_numpy as sharing
    return sharing(array)


@shown_as_kind
class UnavailableError(AttributeError):
    """A name that exists but is deliberately not offered to programs."""

    gradsh_kind = "AttributeError"


@shown_as_kind
class MissingNameError(AttributeError):
    """`torch.nothing`: the message Python gives for a module without that attribute."""

    gradsh_kind = "AttributeError"


class Namespace:
    """The members of one module, looked up on demand; a program cannot change it."""

    __slots__ = ("_name", "_module", "_excluded", "_owns_module", "_cache", "_consts",
                 "_first_use")

    def __init__(self, name, module, excluded=None, owns_module=None, first_use=()):
        self._name = name
        self._module = module
        self._excluded = excluded or {}
        self._owns_module = owns_module or (lambda module: False)
        self._cache = {}
        self._consts = {}
        self._first_use = first_use  # functions whose op module is not loaded until read

    def _const(self, name):
        """The module's `__all__`, `SETTABLE` or `_TORCH_HOMES` (module_paths.py; None when it
        has none), read once: on the gradsh package a missing one is one or two exceptions (its
        __getattr__ and the API's) for each of the some 650 names a session's builtins resolve
        at start-up."""
        try:
            return self._consts[name]
        except KeyError:
            value = self._consts[name] = getattr(self._module, name, None)
            return value

    def __reduce_ex__(self, protocol):
        """copy.copy(torch) and copy.deepcopy(math) fail as a Python module's copy does (a copy
        would hold the module gradsh wraps)."""
        raise TypeError("cannot pickle 'module' object")

    def get(self, attr):
        """The member `attr`, or AttributeError with the message a program sees."""
        try:
            return self._cache[attr]
        except KeyError:
            pass
        value = self._resolve(attr)
        if attr not in (self._const("SETTABLE") or ()):
            self._cache[attr] = value   # (a flag is read afresh: cudnn.flags() changes it too)
        return value

    def _exclusion(self, attr):
        """Why `attr` is not offered here (None: it is)."""
        return self._excluded.get(attr)

    def _resolve(self, attr):
        if attr == "__version__":
            # `print(torch.__version__)`, a tutorial's first line: the PyTorch release whose
            # behaviour the provider gives (gradsh's PYTORCH_VERSION; PyTorch's own version)
            if self._name == "torch.version":  # (torch.version.__version__: the same string)
                root = sys.modules.get(self._module.__name__.partition(".")[0])
                return str(getattr(root, "PYTORCH_VERSION", None) or self._module.__version__)
            if self._name != "torch":
                raise MissingNameError("module '%s' has no attribute '%s'" % (self._name, attr))
            return str(getattr(self._module, "PYTORCH_VERSION", None) or self._module.__version__)
        if attr == "_assert" and self._name == "torch":
            # torch._assert(condition, message): PyTorch documents it (Python's assert as a
            # function, symbolically traceable); torch's alone, as __version__
            return self._module._assert
        if attr in PRIVATE_BASES and self._name.startswith("torch."):
            return self._private_base(attr)
        if attr.startswith("_") and attr not in PRIVATE_FUNCTIONS.get(self._name, ()):
            raise UnavailableError("'%s' is not accessible: gradsh never gives access to names "
                                   "starting with '_'" % attr)
        reason = self._exclusion(attr)
        if reason is None and self._name == "torch" and attr in PROGRAM_VERSIONS:
            where, name = PROGRAM_VERSIONS[attr]
            try:
                module = importlib.import_module(self._module.__name__ + "." + where)
                value = getattr(module, name)
            except (ImportError, AttributeError):
                reason = PROGRAM_VERSION_MISSING[attr]
            else:
                shown = SHOWN.get(self._name, {}).get(attr)   # torch.from_numpy: a builtin
                return value if shown is None else torch_builtin(value, shown)
        if reason is not None:
            raise UnavailableError("%s.%s is not available in gradsh: %s"
                                   % (self._name, attr, reason))
        public = self._const("__all__")
        if public is not None and attr not in public and attr not in _swept(self._module):
            # a module that declares its API offers only that (not the helpers it imported)
            raise MissingNameError("module '%s' has no attribute '%s'" % (self._name, attr),
                                   name=attr, obj=self)
        if attr in _lazy_submodules(self._module):
            # not imported yet: the namespace imports it when a member is asked for (a
            # program's builtins name torch.nn, torch.autograd... without the cost)
            value = _LazySubmodule(self._module.__name__ + "." + attr)
            return Namespace(self._name + "." + attr, value, self._excluded, self._owns_module)
        try:
            value = getattr(self._module, attr)
        except AttributeError:
            raise MissingNameError("module '%s' has no attribute '%s'" % (self._name, attr),
                                   name=attr, obj=self) from None
        if _is_module(value):
            if not self._owns_module(value):
                raise MissingNameError("module '%s' has no attribute '%s'" % (self._name, attr))
            return Namespace(self._name + "." + attr, value, self._excluded, self._owns_module)
        shown = SHOWN.get(self._name, {}).get(attr)
        if shown is None and type(value) is FunctionType:
            # a longer path's function is shown as at its home (gradsh/module_paths.py)
            home = (self._const("_TORCH_HOMES") or {}).get(attr)
            shown = SHOWN.get(home, {}).get(attr) or self._shown_as_torchs(attr, value)
        if shown is not None and type(value) is FunctionType:
            return torch_builtin(value, shown)  # a builtin in PyTorch: shown as PyTorch shows it
        return value

    def _shown_as_torchs(self, attr, value):
        """torch.functional.istft is torch.istft: shown (and wrapped) once, as torch's."""
        if attr not in SHOWN.get("torch", {}) or not self._name.startswith("torch."):
            return None
        root = sys.modules.get(getattr(self._module, "__name__", "").partition(".")[0])
        return SHOWN["torch"][attr] if getattr(root, attr, None) is value else None

    def _private_base(self, attr):
        """`_Loss` of torch.nn.modules.loss: a class a program subclasses, where the module has
        it (importable.PRIVATE_BASES); any other value of that name stays refused."""
        value = getattr(self._module, attr, None)
        if isinstance(value, type) and not _is_module(value):
            return value
        if value is None:
            raise MissingNameError("module '%s' has no attribute '%s'" % (self._name, attr),
                                   name=attr, obj=self)
        raise UnavailableError("'%s' is not accessible: gradsh never gives access to names "
                               "starting with '_'" % attr)

    def submodule(self, attr):
        """The loaded submodule `attr` when the package's attribute of that name is something
        else (torch.autograd.gradcheck is the function; importing the name gives the module)."""
        module = sys.modules.get("%s.%s" % (getattr(self._module, "__name__", ""), attr))
        if attr.startswith("_") or module is None or not self._owns_module(module):
            return None
        return Namespace(self._name + "." + attr, module, self._excluded, self._owns_module)

    def assign(self, attr, value):
        """`torch.backends.cudnn.benchmark = False`: a flag its module lists in SETTABLE (checked
        by the module's check_flag), set for the whole process as in PyTorch. False for any
        other name: the gate refuses it (the namespace is read-only)."""
        module = self._module
        if isinstance(module, _LazySubmodule):
            module = importlib.import_module(module.__dict__["_lazy_name"])
        if attr not in (getattr(module, "SETTABLE", None) or ()):
            return False
        module.check_flag(attr, value)
        setattr(module, attr, value)
        return True

    def names(self):
        """The public names a program can use (for completion and `dir`-like listings)."""
        out = []
        lazy = set(_lazy_submodules(self._module))
        if _is_module(self._module):
            lazy.update(self._module.__dict__.get("_LAZY_NAMES", ()))
        lazy.update(self._first_use)
        for attr in getattr(self._module, "__all__", None) or dir(self._module):
            if attr.startswith("_") or self._exclusion(attr) is not None:
                continue
            if attr in lazy:
                out.append(attr)
                continue
            value = getattr(self._module, attr, None)
            if _is_module(value) and not self._owns_module(value):
                continue
            out.append(attr)
        return out

    @property
    def name(self):
        return self._name

    def __repr__(self):
        return "<module '%s'>" % self._name


# a program sees a module's class as Python's: `type(torch)` prints <class 'module'>, and
# messages name it so ("'module' object is not callable")
Namespace.__name__ = Namespace.__qualname__ = "module"


def _is_module(value):
    """A Python module (not a Namespace, whose class Python's name is given above)."""
    return type(value).__name__ == "module" and type(value) is not Namespace


def _lazy_submodules(module):
    """The submodules a gradsh package imports on first use (its `_SUBMODULES`; gradsh/_lazy.py):
    the package's own by construction, so they are offered without importing them first."""
    return module.__dict__.get("_SUBMODULES", ()) if _is_module(module) else ()


def _swept(module):
    """The submodules of PyTorch's paths a gradsh package offers beyond its API (`_SWEPT`:
    torch.nn.modules.loss, torch.distributions.half_normal; gradsh/module_paths.py), read
    through the package's __getattr__."""
    return getattr(module, "_SWEPT", None) or ()


class _LazySubmodule:
    """A package's submodule, imported when one of its members is first read."""

    def __init__(self, name):
        self.__dict__["_lazy_name"] = name

    def __getattr__(self, attr):
        return getattr(importlib.import_module(self.__dict__["_lazy_name"]), attr)

    def __dir__(self):
        return dir(importlib.import_module(self.__dict__["_lazy_name"]))



class LeafChanges:
    """The leaves whose .grad backward runs changed, latest change last (the engine tells it of
    each change: engine.subscribe). One entry per live leaf, so a long training loop keeps it
    small; `count` moves on with each change, so a statement can ask what changed since."""

    def __init__(self):
        self.changes = 0
        self.entries = {}  # id(leaf) -> (number of its latest change, weakref)

    def note(self, t):
        self.changes += 1
        key = id(t)
        entry = self.entries.pop(key, None)
        ref = entry[1] if entry is not None and entry[1]() is t else weakref.ref(
            t, lambda r, key=key: self._forget(key, r))
        self.entries[key] = (self.changes, ref)  # (re)inserted: it moves after the others

    def _forget(self, key, ref):
        entry = self.entries.get(key)
        if entry is not None and entry[1] is ref:
            del self.entries[key]

    def count(self):
        return self.changes

    def since(self, count):
        """Leaves changed after `count`, in the order of their latest change."""
        out = []
        for n, ref in list(self.entries.values()):
            if n > count:
                t = ref()
                if t is not None:
                    out.append(t)
        return out


_CHANGES = {}


def _leaf_changes(engine):
    """The process's LeafChanges for an engine, subscribed once."""
    changes = _CHANGES.get(engine.__name__)
    if changes is None:
        changes = _CHANGES[engine.__name__] = LeafChanges()
        engine.subscribe(changes.note)
    return changes

class Provider:
    """Where `torch` comes from: the gradsh package (shipped) or PyTorch (tests only)."""

    def __init__(self, module_name="gradsh"):
        self.module = importlib.import_module(module_name)
        self.root = module_name
        self.excluded = dict(EXCLUDED)
        try:  # torch names whose op module loads on first use: a session resolves them when a
            # program names them (Session._compile), not at its start (gradsh/core/ops_index.py)
            first_use = set(importlib.import_module(module_name + ".core.ops_index").FUNCTIONS)
        except (ImportError, AttributeError):
            first_use = set()
        # ... and the package's names defined in a sub-package (torch.vmap, torch.save): not
        # imported for the builtins either
        first_use.update(self.module.__dict__.get("_LAZY_NAMES", ()))
        # ... and the op functions the API layers when first read (gradsh/_api.py): resolving
        # them all at a session's start would layer them all
        try:
            first_use.update(importlib.import_module(module_name + "._api")._LAYERED_ON_READ)
        except (ImportError, AttributeError):
            pass
        self.first_use = frozenset(first_use)
        self.torch = Namespace("torch", self.module, self.excluded, self.owns_module,
                               self.first_use)
        self.tensor_type = getattr(self.module, "Tensor")
        self._epoch = self._touched = None
        try:
            changes = _leaf_changes(importlib.import_module(module_name + ".core.engine"))
            self._epoch, self._touched = changes.count, changes.since
        except (ImportError, AttributeError):
            pass
        try:  # what anomaly mode's forward trace shows of each frame (a program's own lines)
            self.show_frames = importlib.import_module(module_name + ".core.ops.base").show_frames
        except (ImportError, AttributeError):
            self.show_frames = lambda where: None
        try:
            memory = importlib.import_module(module_name + ".core.memory")
            self.describe_memory_error = memory.describe_memory_error
        except (ImportError, AttributeError):
            self.describe_memory_error = lambda exc: None
        try:  # a run's in-memory files (torch.save/torch.load in a program)
            files = importlib.import_module(module_name + ".program_files")
            self.new_files, self.program_files = files.MemoryFiles, files.program_files
        except (ImportError, AttributeError):
            self.new_files, self.program_files = (lambda: None), (
                lambda files: contextlib.nullcontext())
        # classes whose instances are provider values: the package's classes, and the autograd
        # node classes (PyTorch's are made in C++ and only registered as torch.autograd.graph.Node)
        self._type_cache = {}
        self._public_names = None
        graph = getattr(getattr(self.module, "autograd", None), "graph", None)
        node = getattr(graph, "Node", None)
        self._node_type = node if isinstance(node, type) else None
        self._names_of = None
        try:  # PyTorch's names of types in messages ('torch.dtype')
            type_name = importlib.import_module(module_name + ".core.errors").type_name
        except (ImportError, AttributeError):
            type_name = None
        self.argument_types = ArgumentTypes(
            [(self.tensor_type, "Tensor")] + [
                (getattr(self.module, n), "torch." + n) for n in ("dtype", "device", "Generator")
                if isinstance(getattr(self.module, n, None), type)],
            type_name, self.names_of, self._refusal())

    def reset_settings(self):
        """A fresh process's switches (threads, determinism...: gradsh/core/settings.py; the
        print options; the once-a-process warnings already given; the default device; the global
        module hooks; distributions' argument checks, the biject_to/transform_to registries and
        register_kl's table), when the provider has them loaded: a program's changes do not
        outlive it."""
        settings = sys.modules.get(self.root + ".core.settings")
        if settings is not None and hasattr(settings, "reset"):
            settings.reset()
        errors = sys.modules.get(self.root + ".core.errors")  # PyTorch's once-a-process warnings
        if errors is not None and hasattr(errors, "reset_warned_once"):
            errors.reset_warned_once()
        printing = sys.modules.get(self.root + ".core.printing")  # torch.set_printoptions
        if printing is not None and hasattr(printing, "reset"):
            printing.reset()
        device = sys.modules.get(self.root + ".core.device")  # torch.set_default_device
        if device is not None and hasattr(device, "set_default_device"):
            device.set_default_device(None)
        module = sys.modules.get(self.root + ".core.nn.module")  # register_module_*_hook
        if module is not None and hasattr(module, "reset_global_hooks"):
            module.reset_global_hooks()
        optimizer = sys.modules.get(self.root + ".core.optim.optimizer")  # register_optimizer_*
        if optimizer is not None and hasattr(optimizer, "reset_global_hooks"):
            optimizer.reset_global_hooks()
        dist = sys.modules.get(self.root + ".distributions.distribution")
        if dist is not None and hasattr(dist, "Distribution"):  # set_default_validate_args
            dist.Distribution._validate_args = True
        if dist is not None and hasattr(dist, "reset_class_tables"):  # d.arg_constraints[k] = v
            dist.reset_class_tables()
        transforms = sys.modules.get(self.root + ".distributions.transforms")
        if transforms is not None and hasattr(transforms, "reset_shared"):  # identity_transform
            transforms.reset_shared()
        cudnn = sys.modules.get(self.root + ".backends.cudnn")  # cudnn.benchmark = ...
        if cudnn is not None and hasattr(cudnn, "reset"):
            cudnn.reset()
        registries = sys.modules.get(self.root + ".distributions.constraint_registry")
        if registries is not None and hasattr(registries, "reset_registries"):  # .register
            registries.reset_registries()
        kl = sys.modules.get(self.root + ".distributions.kl")  # register_kl
        if kl is not None and hasattr(kl, "reset_registry"):
            kl.reset_registry()
        random = sys.modules.get(self.root + ".core.random")  # the default generator's seed
        if random is not None and hasattr(random, "reset_program_seed"):
            random.reset_program_seed()
        # --- hostile20 --- a dual level a program entered and left open (fwAD.enter_dual_level)
        forward_ad = sys.modules.get(self.root + ".autograd.forward_ad")
        if forward_ad is not None and getattr(forward_ad, "_level", [None])[0] is not None:
            forward_ad.exit_dual_level()

    def generator_mark(self):
        """A token of the default generator's state before a run (None if not made yet)."""
        random = sys.modules.get(self.root + ".core.random")
        return random.program_began() if hasattr(random, "program_began") else None

    def generator_used(self, before):
        """After a run: note the state it left if it moved the default generator."""
        random = sys.modules.get(self.root + ".core.random")
        if hasattr(random, "program_ended"):
            random.program_ended(before)

    def _refusal(self):
        """The provider's check of arguments against PyTorch's signatures, imported on the first
        failure (not at start-up), or None when the provider has none (PyTorch itself)."""
        path = self.root + ".core.argcheck"
        try:
            if importlib.util.find_spec(path) is None:
                return None
        except (ImportError, ValueError):
            return None

        def refusal(surface, name, args, kwargs):
            return importlib.import_module(path).refusal(surface, name, args, kwargs)
        return refusal

    @functools.cached_property
    def parameter_type(self):
        """nn.Parameter, loaded on first use (not at start-up: it loads torch.nn). A program's
        type(p) shows nn.Parameter, as PyTorch's does."""
        return getattr(getattr(self.module, "nn", None), "Parameter", None)

    def names_of(self, code):
        """The public names of the provider's functions and Tensor methods with this code
        (an op's aliases: torch.inner and torch.vdot are dot's), made on first use."""
        if self._names_of is None:
            self._names_of = {}
            owners = [(n, getattr(self.module, n, None)) for n in dir(self.module)]
            owners += [(n, getattr(self.tensor_type, n, None)) for n in dir(self.tensor_type)]
            for name, fn in owners:
                for one in (fn, getattr(fn, "__wrapped__", None)):  # a wrapper and its op
                    fn_code = getattr(one, "__code__", None)
                    if fn_code is not None and not name.startswith("_"):
                        self._names_of.setdefault(fn_code, []).append(name)
        return self._names_of.get(code, ())

    def owns_module(self, module):
        name = getattr(module, "__name__", "")
        if not name.startswith(self.root + "."):
            return False
        first = name[len(self.root) + 1:].split(".")[0]
        return first not in self.excluded

    def owns_type(self, cls):
        """Is `cls` a class of the provider (Tensor, dtype, Size, Node subclasses...)?"""
        try:
            return self._type_cache[cls]
        except KeyError:
            pass
        owned = self._node_type is not None and issubclass(cls, self._node_type)
        for base in () if owned else cls.__mro__:
            module = getattr(base, "__module__", "") or ""
            if module == self.root or module.startswith(self.root + "."):
                owned = not module.startswith((self.root + ".lang", self.root + ".cli"))
                break
        self._type_cache[cls] = owned
        return owned

    def is_module_type(self, cls):
        """Is `cls` one of the provider's nn.Module classes (nn.Linear, nn.Sequential...)?
        Without nn imported yet, no value can be a module: nothing is imported to answer."""
        nn = sys.modules.get(self.root + ".nn")
        module = getattr(nn, "Module", None)
        return isinstance(module, type) and issubclass(cls, module)

    def is_node_type(self, cls):
        """Is `cls` an autograd node class (AddBackward0...)?"""
        return self._node_type is not None and isinstance(cls, type) \
            and issubclass(cls, self._node_type)

    def backward_epoch(self):
        return self._epoch() if self._epoch is not None else None

    def touched_leaves(self, since):
        return self._touched(since) if self._touched is not None else []

    def public_names(self):
        """The names of `torch` a program can use (listed once per process: each session's
        builtins start from them)."""
        if self._public_names is None:
            self._public_names = tuple(self.torch.names())
        return self._public_names


_LIMITED = {"factorial": 10_000, "comb": 100_000, "perm": 100_000}


# math.prod and math.lcm take one number at a time: each step costs time in proportion to the
# running result's size. lcm's steps (a gcd each) are slow enough that besides the result's size
# (MAX_INT_BITS) the sum of those sizes over the steps is bounded too (a second or so of work):
# math.lcm(*range(1, 10**6)) would take minutes.
MAX_LCM_BIT_STEPS = 500_000_000


def _stepwise(name, step, out, numbers, budget=None):
    from .limits import MAX_INT_BITS, LimitError
    work = 0
    for x in numbers:
        if type(out) is int and type(x) is int:
            bits = out.bit_length()
            work += bits
            if budget is not None and work > budget:
                raise LimitError("math.%s() of these numbers would take too long (gradsh's limit "
                                 "on big-integer work)" % name)
            if name == "prod" and bits + x.bit_length() > MAX_INT_BITS:
                raise LimitError("math.prod() would make an integer of more than %d bits "
                                 "(gradsh's limit)" % MAX_INT_BITS)
        out = step(out, x)
        if type(out) is int and out.bit_length() > MAX_INT_BITS:
            raise LimitError("math.%s() would make an integer of more than %d bits (gradsh's "
                             "limit)" % (name, MAX_INT_BITS))
    return out


def _prod(iterable, *, start=1):
    """math.prod, refusing integers beyond gradsh's size limit as it goes (math.prod(range(1,
    10**6)) is a number of millions of digits, computed for minutes)."""
    return _stepwise("prod", operator.mul, start, bounded(iterable, "math.prod()"))


def _lcm(*integers):
    """math.lcm, within the same limits (each step's result is at most the product of two
    numbers within the limit)."""
    return _stepwise("lcm", math.lcm, math.lcm(), [int_like(x) for x in integers],
                     MAX_LCM_BIT_STEPS)


def _result_bits(name, n, rest):
    """An upper bound of the bits of math.perm(n, k)'s result (lgamma: no big numbers)."""
    if name != "perm" or not isinstance(n, int) or n < 2:
        return 0
    k = rest[0] if rest and isinstance(rest[0], int) and 0 <= rest[0] <= n else n
    return (math.lgamma(n + 1) - math.lgamma(n - k + 1)) / math.log(2)


def _limited(fn, limit):
    def checked(n, *rest):
        from .limits import MAX_INT_BITS, LimitError
        n, rest = int_like(n), tuple(int_like(x) for x in rest)
        if isinstance(n, int) and n > limit:
            raise LimitError("math.%s(n) is limited to n <= %d in gradsh" % (fn.__name__, limit))
        if _result_bits(fn.__name__, n, rest) > MAX_INT_BITS:
            raise LimitError("math.%s() would make an integer of more than %d bits (gradsh's "
                             "limit)" % (fn.__name__, MAX_INT_BITS))
        return fn(n, *rest)
    checked.__name__ = fn.__name__
    checked.__doc__ = fn.__doc__
    return checked


_CHECKED_BY_STEPS = {"prod": _prod, "lcm": _lcm,
                     "fsum": reading(math.fsum, "math.fsum()")}  # reads in C


class _MathModule:
    """math's functions and constants; the few that can run for minutes get a size limit."""


def math_namespace():
    module = _MathModule()
    for attr in dir(math):
        if not attr.startswith("_"):
            value = getattr(math, attr)
            if attr in _LIMITED:
                value = _limited(value, _LIMITED[attr])
            elif attr in _CHECKED_BY_STEPS:
                checked = _CHECKED_BY_STEPS[attr]
                checked.__doc__ = value.__doc__
                value = checked
            setattr(module, attr, value)
    return Namespace("math", module)
