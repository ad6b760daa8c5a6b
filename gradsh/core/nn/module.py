"""nn.Module: parameters, buffers and sub-modules registered by attribute assignment, as PyTorch.

A module keeps three ordered dicts (`_parameters`, `_buffers`, `_modules`); assigning a
Parameter, a Module or (through register_buffer) a buffer to an attribute puts it there, and
attribute lookup falls back to them. Everything that walks a model (parameters(), state_dict(),
repr, train()) walks these dicts in insertion order, which is what makes names and printing
match PyTorch's.
"""

from ..torchclass import TorchClass

import abc
import functools
import inspect
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from ..dtypes import dtype as dtype_class
from ..dtypes import bfloat16, float16, float32, float64
from ..errors import TorchAssertionError, TorchAttributeError
from ..device import check as check_device, device as device_class
from ..factories import empty, empty_like
from ..grad_mode import no_grad
from ..hooks import RemovableHandle
from ..layout import check_format
from .. import overrides
from ..tensor import Tensor
from .parameter import Parameter, buffer_persistence, is_parameter
from .backward_hook import BackwardHook


_EXTRA_STATE = "_extra_state"
_NEVER_CALLED = ("Reached a code path in Module.{}_extra_state() that should never be called. "
                 "Please file an issue at https://github.com/pytorch/pytorch/issues/new?"
                 "template=bug-report.yml to report this bug.")


# hooks on every module's calls (torch.nn.modules.module.register_module_*_hook): they run
# before each module's own hooks of the same kind, as PyTorch's global hooks
_global_forward_pre_hooks = OrderedDict()
_global_forward_hooks = OrderedDict()
_global_backward_hooks = OrderedDict()
_global_backward_pre_hooks = OrderedDict()
_global_flags = {"with_kwargs": set(), "always_call": set()}


def reset_global_hooks():
    """Forget every hook the register_module_* functions added (a program's hooks do not
    outlive it: the shell's :reset, a new program in the same process)."""
    for hooks in (_global_forward_pre_hooks, _global_forward_hooks, _global_backward_hooks,
                  _global_backward_pre_hooks):
        hooks.clear()
    for ids in _global_flags.values():
        ids.clear()


def register_module_forward_pre_hook(hook):
    """hook(module, args) before every module's forward; it may return new args."""
    return Module._add_hook(_global_forward_pre_hooks, hook, False)


def register_module_forward_hook(hook, *, with_kwargs=False, always_call=False):
    """hook(module, args, output) (with_kwargs: hook(module, args, kwargs, output)) after every
    module's forward; it may return a new output."""
    handle = Module._add_hook(_global_forward_hooks, hook, False)
    if with_kwargs:
        _global_flags["with_kwargs"].add(handle.id)
    if always_call:
        _global_flags["always_call"].add(handle.id)
    return handle


def register_module_full_backward_hook(hook):
    """hook(module, grad_input, grad_output) for every module, before each module's own."""
    return Module._add_hook(_global_backward_hooks, hook, False)


def register_module_full_backward_pre_hook(hook):
    """hook(module, grad_output) for every module, before each module's own."""
    return Module._add_hook(_global_backward_pre_hooks, hook, False)


def _any_global_hooks():
    return bool(_global_forward_pre_hooks or _global_forward_hooks or _global_backward_hooks
                or _global_backward_pre_hooks)


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _tensors_in(value):
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _tensors_in(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tensors_in(v)]
    return []


def _more_nodes_than_one(args, out, node):
    """PyTorch's test of whether the forward recorded more than the one node a legacy backward
    hook sees: an output made by another node, or the inputs' grad_fns (None for a leaf) not
    exactly that node's edges (so a leaf input, whose edge is its AccumulateGrad, warns too)."""
    if any(t.grad_fn is not node for t in _tensors_in(out)):
        return True
    inputs = {id(t.grad_fn) for t in _tensors_in(args) if t.requires_grad}
    return inputs != {id(n) for n, _ in node.next_functions}


def _addindent(text, spaces):
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def _abc_init(cls):
    """ABCMeta's set-up of a class: CPython's C helper, else the names still abstract."""
    init = getattr(abc, "_abc_init", None)
    if init is not None:
        return init(cls)
    names = {n for base in cls.__mro__ for n in getattr(base, "__abstractmethods__", ())}
    names.update(vars(cls))
    cls.__abstractmethods__ = frozenset(
        n for n in names if getattr(getattr(cls, n, None), "__isabstractmethod__", False))
    return None


class ModuleClass(TorchClass, abc.ABCMeta):
    """nn.Module's metaclass: TorchClass (the class prints as PyTorch's) and ABCMeta, so that
    `class Encoder(nn.Module, ABC)` is a class, as in PyTorch (whose Module's metaclass is
    `type`, which ABCMeta derives from; TorchClass alone would be a metaclass conflict). A
    Module subclass with an @abstractmethod left cannot be made, as under PyTorch with ABC.
    isinstance() and issubclass() are type's, as PyTorch's (ABCMeta's, in Python, cost a
    frame on every check in Module's __setattr__; nothing registers virtual subclasses), and
    ABCMeta's bookkeeping (`_abc_impl`, `__abstractmethods__`) is made only for a class under
    an ABC, as Python makes it there: a plain Module subclass's __dict__ is PyTorch's."""

    __instancecheck__ = type.__instancecheck__
    __subclasscheck__ = type.__subclasscheck__

    def __call__(cls, *args, **kwargs):
        # nn.Linear(2, 3, device='meta'): the module made with 'meta' as the default device,
        # so its parameters are meta tensors and nothing is drawn (as PyTorch's)
        d = kwargs.get("device")
        if d is not None and check_device(d):
            with device_class("meta"):
                return type.__call__(cls, *args, **kwargs)
        return type.__call__(cls, *args, **kwargs)

    @property
    def __signature__(cls):
        """A module class's signature is its __init__'s without `self`, as PyTorch's
        (`Linear(in_features, out_features, bias=True, device=None, dtype=None)`): inspect
        would otherwise read `(*args, **kwargs)` from this metaclass's __call__ (help(nn.Linear),
        Shift-Tab in a notebook)."""
        init = inspect.signature(cls.__init__)
        return init.replace(parameters=list(init.parameters.values())[1:])

    def __new__(mcls, name, bases, namespace, /, **kwargs):
        cls = type.__new__(mcls, name, bases, namespace, **kwargs)
        if any(isinstance(base, abc.ABCMeta) and not isinstance(base, ModuleClass)
               for base in cls.__mro__[1:]):
            _abc_init(cls)  # what ABCMeta.__new__ does: the abstract methods left
        return cls


class Module(metaclass=ModuleClass):
    """Base class of every layer and model."""

    training: bool
    _version = 1
    call_super_init = False
    # the instance attributes starting with '_' that Module's own code sets (PyTorch's names):
    # a .grad program's subclass may use other '_' names for its own state (gradsh/lang's gate)
    _gradsh_private_names = frozenset(("_parameters", "_buffers", "_non_persistent_buffers_set",
                                       "_modules", "_forward_hooks", "_forward_pre_hooks",
                                       "_backward_hooks", "_backward_pre_hooks",
                                       "_forward_pre_hooks_with_kwargs",
                                       "_forward_hooks_with_kwargs",
                                       "_forward_hooks_always_called"))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        overrides.layer_defined(cls)  # __torch_function__ in a layer loaded late (core/overrides.py)

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument but "
                            f"{len(args) + 1} were given")
        d = self.__dict__
        d["training"] = True
        # plain dicts as PyTorch's (ModuleDict.keys() shows dict_keys); the hooks' OrderedDicts
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = {}
        d["_forward_hooks"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()
        d["_backward_hooks"] = OrderedDict()
        d["_backward_pre_hooks"] = OrderedDict()
        # handle ids of the hooks registered with_kwargs / always_call (PyTorch's names and
        # types: a program reads them, branch lang21)
        d["_forward_pre_hooks_with_kwargs"] = OrderedDict()
        d["_forward_hooks_with_kwargs"] = OrderedDict()
        d["_forward_hooks_always_called"] = OrderedDict()

    # ----- registration ------------------------------------------------------------------
    def _check_init(self):
        if "_parameters" not in self.__dict__:
            raise TorchAttributeError("cannot assign module before Module.__init__() call")

    def register_parameter(self, name, param):
        if "_parameters" not in self.__dict__:
            raise TorchAttributeError("cannot assign parameter before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"parameter name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError('parameter name can\'t contain "."')
        if name == "":
            raise KeyError('parameter name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not is_parameter(param):
            raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        if "_buffers" not in self.__dict__:
            raise TorchAttributeError("cannot assign buffer before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"buffer name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError('buffer name can\'t contain "."')
        if name == "":
            raise KeyError('buffer name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if is_parameter(value):
            if params is None:
                raise TorchAttributeError("cannot assign parameters before Module.__init__() call")
            _remove_from(self, name, d, "_buffers", "_modules", "_non_persistent_buffers_set")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
        elif (persistent := buffer_persistence(value)) is not None:
            if "_buffers" not in d:
                raise TorchAttributeError("cannot assign buffer before Module.__init__() call")
            _remove_from(self, name, d, "_parameters", "_modules")
            self.register_buffer(name, value, persistent)
        elif isinstance(value, Module):
            if "_modules" not in d:
                raise TorchAttributeError("cannot assign module before Module.__init__() call")
            _remove_from(self, name, d, "_parameters", "_buffers", "_non_persistent_buffers_set")
            d["_modules"][name] = value
        elif "_modules" in d and name in d["_modules"]:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            d["_modules"][name] = value
        elif "_buffers" in d and name in d["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(torch.nn.Buffer, torch.Tensor or None expected)")
            d["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                del d[store][name]
                d["_non_persistent_buffers_set"].discard(name)
                return
        try:
            object.__delattr__(self, name)
        except AttributeError:  # Python's words, as PyTorch's Module meets them: no bug of ours
            raise TorchAttributeError(
                f"'{type(self).__name__}' object has no attribute '{name}'") from None

    def __dir__(self):
        keys = set(dir(type(self))) | set(self.__dict__)
        keys |= set(self._parameters) | set(self._buffers) | set(self._modules)
        return sorted(k for k in keys if not k[0].isdigit())

    # ----- calling -----------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  '"forward" function')

    def __call__(self, *args, **kwargs):
        legacy = self.__dict__.get("_legacy_backward_hooks")
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                or self._backward_pre_hooks or legacy or _any_global_hooks()):
            return self.forward(*args, **kwargs)
        # PyTorch's order: forward pre-hooks, the inputs' backward hook, forward, forward
        # hooks, the outputs' backward hook
        args, kwargs = self._run_forward_pre_hooks(args, kwargs)
        backward_hook = None
        hooks = [*_global_backward_hooks.values(), *self._backward_hooks.values()]
        pre_hooks = [*_global_backward_pre_hooks.values(), *self._backward_pre_hooks.values()]
        if hooks or pre_hooks:
            backward_hook = BackwardHook(self, hooks, pre_hooks)
            args = backward_hook.setup_input_hook(args)
        called = set()
        try:
            out = self.forward(*args, **kwargs)
            out = self._run_forward_hooks(args, kwargs, out, called)
        except Exception:
            self._run_always_called_hooks(args, kwargs, called)
            raise
        if backward_hook is not None:
            out = backward_hook.setup_output_hook(out)
        if legacy:
            self._attach_legacy_backward_hooks(args, out, legacy)
        return out

    def _attach_legacy_backward_hooks(self, args, out, hooks):
        """register_backward_hook's hooks: on the node that made the output (the first tensor
        of a tuple or dict), called with that node's gradients (PyTorch's legacy hooks, which
        see only the module's last operation; PyTorch warns when the forward made more)."""
        var = out
        while not isinstance(var, Tensor):
            if isinstance(var, dict):
                var = next(v for v in var.values() if isinstance(v, Tensor))
            else:
                var = var[0]
        node = var.grad_fn
        if node is None:
            return
        if _more_nodes_than_one(args, out, node):
            warnings.warn("Using a non-full backward hook when the forward contains multiple "
                          "autograd Nodes is deprecated and will be removed in future versions. "
                          "This hook will be missing some grad_input. Please use "
                          "register_full_backward_hook to get the documented behavior.",
                          FutureWarning, stacklevel=3)
        for hook in hooks.values():
            node.register_hook(functools.partial(hook, self))

    def _run_forward_pre_hooks(self, args, kwargs):
        with_kwargs = self.__dict__.get("_forward_pre_hooks_with_kwargs", {})
        for key, hook in [*_global_forward_pre_hooks.items(), *self._forward_pre_hooks.items()]:
            if key in with_kwargs:
                new = hook(self, args, kwargs)
                if new is None:
                    continue
                if not (isinstance(new, tuple) and len(new) == 2):
                    raise RuntimeError("forward pre-hook must return None or a tuple of "
                                       f"(new_args, new_kwargs), but got {new}.")
                args, kwargs = new
            else:
                new = hook(self, args)
                if new is not None:
                    args = new if isinstance(new, tuple) else (new,)
        return args, kwargs

    def _run_forward_hooks(self, args, kwargs, out, called):
        for key, hook in [*_global_forward_hooks.items(), *self._forward_hooks.items()]:
            called.add(key)
            new = self._call_forward_hook(key, hook, args, kwargs, out)
            if new is not None:
                out = new
        return out

    def _call_forward_hook(self, key, hook, args, kwargs, out):
        if key in self.__dict__.get("_forward_hooks_with_kwargs", ()) \
                or key in _global_flags["with_kwargs"]:
            return hook(self, args, kwargs, out)
        return hook(self, args, out)

    def _run_always_called_hooks(self, args, kwargs, called):
        """After forward raised: the always_call hooks not yet run, with output None (an error
        of theirs is a warning, as in PyTorch)."""
        always = self.__dict__.get("_forward_hooks_always_called", ())
        out = None
        for key, hook in [*_global_forward_hooks.items(), *self._forward_hooks.items()]:
            if key not in always and key not in _global_flags["always_call"] or key in called:
                continue
            try:
                new = self._call_forward_hook(key, hook, args, kwargs, out)
            except Exception as error:  # noqa: BLE001 - PyTorch warns and goes on
                warnings.warn("forward hook with ``always_call=True`` raised an exception that "
                              f"was silenced as another error was raised in forward: {error}")
                continue
            if new is not None:
                out = new

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        handle = self._add_hook(self._forward_pre_hooks, hook, prepend)
        if with_kwargs:
            self._hook_flags("_forward_pre_hooks_with_kwargs")[handle.id] = True
        return handle

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        handle = self._add_hook(self._forward_hooks, hook, prepend)
        if with_kwargs:
            self._hook_flags("_forward_hooks_with_kwargs")[handle.id] = True
        if always_call:
            self._hook_flags("_forward_hooks_always_called")[handle.id] = True
        return handle

    def _hook_flags(self, name):
        return self.__dict__.setdefault(name, {})

    def register_full_backward_hook(self, hook, prepend=False):
        """hook(module, grad_input, grad_output), when the gradients with respect to the
        module's inputs are computed; it may return a new grad_input."""
        self._backward_hook_kind(True)
        return self._add_hook(self._backward_hooks, hook, prepend)

    def register_backward_hook(self, hook):
        """The legacy hook(module, grad_input, grad_output) on the node of the module's last
        operation (its grad_input are that node's: PyTorch deprecates it for
        register_full_backward_hook)."""
        self._backward_hook_kind(False)
        return self._add_hook(self.__dict__.setdefault("_legacy_backward_hooks", OrderedDict()),
                              hook, False)

    def _backward_hook_kind(self, full):
        """A module takes full backward hooks or legacy ones, for good once one is registered
        (removing it does not change that), as PyTorch's does."""
        kind = self.__dict__.setdefault("_is_full_backward_hook", full)
        if kind is not full:
            raise RuntimeError("Cannot use both regular backward hooks and full backward hooks "
                               "on a single Module. Please use only one of them.")

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """hook(module, grad_output), when the gradients of the module's outputs arrive; it may
        return a new grad_output."""
        return self._add_hook(self._backward_pre_hooks, hook, prepend)

    @staticmethod
    def _add_hook(hooks, hook, prepend):
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    # ----- walking -----------------------------------------------------------------------
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self):
        for _, m in self.named_children():
            yield m

    def _named_members(self, store, prefix, recurse, remove_duplicate=True):
        seen = set()
        mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse \
            else [(prefix, self)]
        for mod_prefix, mod in mods:
            for name, v in getattr(mod, store).items():
                if v is None or id(v) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(v))
                yield mod_prefix + ("." if mod_prefix else "") + name, v

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def get_submodule(self, target):
        mod = self
        if target == "":
            return mod
        for item in target.split("."):
            if item in mod._modules:
                mod = mod._modules[item]
                continue
            if not hasattr(mod, item):
                raise TorchAttributeError(f"{mod._get_name()} has no attribute `{item}`")
            # a parameter, buffer or plain attribute on the path
            raise TorchAttributeError(f"`{item}` is not an nn.Module")
        return mod

    def get_parameter(self, target):
        return self._get_member(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target):
        return self._get_member(target, "_buffers", "a buffer")

    def _get_member(self, target, table, what):
        """The parameter or buffer at a dotted path, with PyTorch's two AttributeErrors (a
        parameter slot holding None is not a parameter; a buffer slot holding None is a
        buffer, read as None)."""
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if not hasattr(mod, name):
            raise TorchAttributeError(f"{mod._get_name()} has no attribute `{name}`")
        members = getattr(mod, table)
        if name not in members or (table == "_parameters" and members[name] is None):
            raise TorchAttributeError(f"`{name}` is not {what}")
        return members[name]

    def set_submodule(self, target, module, strict=False):
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        atoms = target.split(".")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        parent = self if len(atoms) == 1 else self.get_submodule(".".join(atoms[:-1]))
        if strict and not hasattr(parent, atoms[-1]):
            raise TorchAttributeError(f"{parent._get_name()} has no attribute `{atoms[-1]}`")
        if hasattr(parent, atoms[-1]) and not isinstance(getattr(parent, atoms[-1]), Module):
            raise TorchAttributeError(f"`{atoms[-1]}` is not an nn.Module")
        setattr(parent, atoms[-1], module)

    # a subclass that defines these keeps extra state under "<prefix>_extra_state"
    def get_extra_state(self):
        raise RuntimeError(_NEVER_CALLED.format("get"))

    def set_extra_state(self, state):
        raise RuntimeError(_NEVER_CALLED.format("set"))

    def _has_own(self, name):
        return getattr(type(self), name) is not getattr(Module, name)

    # ----- state -------------------------------------------------------------------------
    def train(self, mode=True):
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for m in self.children():
            m.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    g = p.grad
                    if g.grad_fn is not None:
                        g.detach_()
                    else:
                        g.requires_grad_(False)
                    g.zero_()

    def apply(self, fn):
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def _apply_to_tensors(self, fn, recurse=True):
        for m in self.children() if recurse else ():
            m._apply_to_tensors(fn)
        with no_grad():
            for name, p in self._parameters.items():
                if p is not None:
                    # PyTorch swaps the data of the Parameter (and of its grad) in place: the
                    # objects an optimizer or a program holds stay the module's
                    new = fn(p)
                    if new is not p:
                        p.data = new
                    if p.grad is not None:
                        new = fn(p.grad)
                        if new is not p.grad:
                            p.grad.data = new
            for name, b in self._buffers.items():
                if b is not None:
                    self._buffers[name] = fn(b)
        return self

    def float(self):
        return self._apply_to_tensors(lambda t: t.to(float32) if t.is_floating_point() else t)

    def double(self):
        return self._apply_to_tensors(lambda t: t.to(float64) if t.is_floating_point() else t)

    def type(self, dst_type):
        """Every parameter and buffer cast to dst_type, integer buffers too (PyTorch's)."""
        return self._apply_to_tensors(lambda t: t.type(dst_type))

    def half(self):
        return self._apply_to_tensors(lambda t: t.to(float16) if t.is_floating_point() else t)

    def bfloat16(self):
        return self._apply_to_tensors(lambda t: t.to(bfloat16) if t.is_floating_point() else t)

    def to(self, *args, **kwargs):
        # the arguments are Tensor.to's (PyTorch parses them with the same signatures): an
        # empty tensor's to() gives PyTorch's TypeError for any other combination
        empty(0).to(*args, **{k: v for k, v in kwargs.items() if k != "memory_format"})
        check_format(kwargs.get("memory_format"), "to")
        dtype = kwargs.get("dtype")
        for a in args:
            if isinstance(a, dtype_class):
                dtype = a
            elif isinstance(a, Tensor):
                dtype = a.dtype
        fmt = kwargs.get("memory_format")
        if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got "
                            f"desired dtype={dtype}")
        dev = kwargs.get("device")
        for a in args:
            if isinstance(a, (str, device_class)):
                dev = a
        dev = None if dev is None else device_class(dev)
        if dtype is None and fmt is None and dev is None:
            return self

        def convert(t):
            if dev is not None and dev != t.device:
                if t.is_meta:  # (PyTorch's words, with what to do instead)
                    raise NotImplementedError(
                        "Cannot copy out of meta tensor; no data! Please use "
                        "torch.nn.Module.to_empty() instead of torch.nn.Module.to() when "
                        "moving module from meta to a different device.")
                t = t.to(dev)
            # a memory format applies to the 4-d and 5-d tensors only (PyTorch's Module.to)
            if fmt is not None and t.dim() in (4, 5):
                t = t.to(memory_format=fmt)
            return t.to(dtype) if dtype is not None and t.is_floating_point() else t
        return self._apply_to_tensors(convert)

    def cpu(self):
        return self

    def share_memory(self):
        """share_memory_() of every parameter and buffer (gradsh runs one process: the
        tensors are only marked shared)."""
        return self._apply_to_tensors(lambda t: t.share_memory_())

    def to_empty(self, *, device, recurse=True):
        """Every parameter and buffer replaced by an uninitialized tensor of its shape and
        dtype on `device` (the CPU), as after construction on the meta device."""
        check_device(device)
        return self._apply_to_tensors(lambda t: empty_like(t, device=device), recurse)

    def cuda(self, device=None):
        """Each parameter and buffer's .cuda(): PyTorch's error on a machine without CUDA once
        there is a tensor to move (a module without any is returned as it is)."""
        return self._apply_to_tensors(lambda t: t.cuda(device))

    def register_state_dict_pre_hook(self, hook):
        """hook(module, prefix, keep_vars) before the module's state_dict() saves anything."""
        return self._add_hook(self._hook_dict("_state_dict_pre_hooks"), hook, False)

    def register_state_dict_post_hook(self, hook):
        """hook(module, state_dict, prefix, local_metadata) once the module's state_dict()
        has saved its own entries and its children's; it may change state_dict in place."""
        return self._add_hook(self._hook_dict("_state_dict_hooks"), hook, False)

    def register_load_state_dict_pre_hook(self, hook):
        """hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs) before load_state_dict reads the module's own entries (it
        may rename keys of the loader's copy of the checkpoint)."""
        return self._add_hook(self._hook_dict("_load_state_dict_pre_hooks"), hook, False)

    def register_load_state_dict_post_hook(self, hook):
        """hook(module, incompatible_keys) after load_state_dict has read every entry, before
        it raises for strict: clearing incompatible_keys' lists in place forgives them."""
        return self._add_hook(self._hook_dict("_load_state_dict_post_hooks"), hook, False)

    def _hook_dict(self, name):
        return self.__dict__.setdefault(name, OrderedDict())

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        for hook in list(self.__dict__.get("_state_dict_pre_hooks", {}).values()):
            hook(self, prefix, keep_vars)
        if destination is None:
            destination = OrderedDict()
            # each module's version by its path (PyTorch's `_metadata`): a loader tells an old
            # checkpoint, whose missing entries it fills, from one with entries deleted
            destination._metadata = OrderedDict()
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = {"version": self._version}
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars else b.detach()
        if self._has_own("get_extra_state"):
            destination[prefix + _EXTRA_STATE] = self.get_extra_state()
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination=destination, prefix=prefix + name + ".",
                             keep_vars=keep_vars)
        post = self.__dict__.get("_state_dict_hooks")
        if post:
            metadata = getattr(destination, "_metadata", {}).get(prefix[:-1], {})
            for hook in list(post.values()):
                hook(self, destination, prefix, metadata)
        return destination

    def _upgrade_state(self, state_dict, prefix, version):
        """Fill in, in the loader's copy of a checkpoint written by an older version of this
        module (or one without versions: a plain dict), what that version did not save."""

    def load_state_dict(self, state_dict, strict=True, assign=False):
        missing, unexpected, errors = [], [], []
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        versions = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)  # the caller's dict stays as it was

        def load(module, prefix):
            metadata = {} if versions is None else versions.get(prefix[:-1], {})
            # (PyTorch's hooks are told strict=True whatever the caller asked: the strictness
            # applies once everything is read)
            for hook in list(module.__dict__.get("_load_state_dict_pre_hooks", {}).values()):
                hook(module, state_dict, prefix, metadata, True, missing, unexpected, errors)
            version = metadata.get("version")
            module._upgrade_state(state_dict, prefix, version)
            local = [(n, p) for n, p in module._parameters.items() if p is not None]
            local += [(n, b) for n, b in module._buffers.items()
                      if b is not None and n not in module._non_persistent_buffers_set]
            for name, target in local:
                key = prefix + name
                if key not in state_dict:
                    missing.append(key)
                    continue
                value = state_dict[key]
                if not isinstance(value, Tensor):
                    errors.append(f'While copying the parameter named "{key}", expected '
                                  "torch.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(value)}")
                    continue
                if tuple(value.shape) != tuple(target.shape):
                    errors.append(f"size mismatch for {key}: copying a param with shape "
                                  f"{value.shape} from checkpoint, the shape in current model is "
                                  f"{target.shape}.")
                    continue
                if assign:  # the checkpoint's tensor itself (a parameter keeps requires_grad)
                    if name in module._parameters:
                        if not is_parameter(value):
                            value = Parameter(value, target.requires_grad)
                        else:
                            value.requires_grad_(target.requires_grad)
                        module._parameters[name] = value
                    else:
                        module._buffers[name] = value
                    continue
                with no_grad():
                    target.copy_(value)
            if module._has_own("set_extra_state"):
                if prefix + _EXTRA_STATE in state_dict:
                    module.set_extra_state(state_dict[prefix + _EXTRA_STATE])
                else:
                    missing.append(prefix + _EXTRA_STATE)
            # the entries under this prefix that neither this module nor a child takes, found
            # as each module loads (so a hook of a later module sees them)
            own = {prefix + name for name, _ in local}
            if module._has_own("set_extra_state"):
                own.add(prefix + _EXTRA_STATE)
            # (a key of another type fails as PyTorch's: `'int' object has no attribute
            # 'startswith'`; `found` keeps the test of a key already listed constant-time)
            for key in state_dict:
                if key.startswith(prefix) and key not in own and key not in found \
                        and key[len(prefix):].split(".", 1)[0] not in module._modules:
                    unexpected.append(key)
                    found.add(key)
            for name, m in module._modules.items():
                if m is not None:
                    load(m, prefix + name + ".")
            # a module's post-hooks run once it and its children are read (children first)
            post = module.__dict__.get("_load_state_dict_post_hooks")
            for hook in list(post.values()) if post else ():
                if hook(module, _IncompatibleKeys(missing, unexpected)) is not None:
                    raise TorchAssertionError(  # PyTorch's assert
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                        "expected to return new values, if incompatible_keys need to be "
                        "modified, it should be done inplace.")

        found = set()
        load(self, "")
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected)))
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing)))
        if errors:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                self._get_name(), "\n\t".join(errors)))
        return _IncompatibleKeys(missing, unexpected)

    # ----- printing ----------------------------------------------------------------------
    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({key}): " + _addindent(repr(m), 2) for key, m in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"

    def __setstate__(self, state):
        self.__dict__.update(state)


def _remove_from(module, name, d, *stores):
    for store in stores:
        s = d.get(store)
        if s is None:
            continue
        if isinstance(s, set):
            s.discard(name)
        elif name in s:
            del s[name]
    d.pop(name, None)


def _typename(obj):
    if isinstance(obj, Tensor):
        return "torch." + obj.dtype._legacy if hasattr(obj.dtype, "_legacy") else "Tensor"
    return type(obj).__name__
