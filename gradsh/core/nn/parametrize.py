"""torch.nn.utils.parametrize: a parameter or buffer computed by a module from the original.

The layout programs see is PyTorch's: `register_parametrization(m, "weight", P())` moves
`m.weight` into `m.parametrizations.weight.original` (a ParametrizationList, itself a ModuleList
of the parametrizations), gives m a class of its own, `Parametrized<Class>` (so the property
added is this module's alone), and that class a property `weight` that runs the
parametrizations on every read (or once per `cached()` block) and their `right_inverse` on
assignment. Names in named_parameters()/state_dict() follow: `parametrizations.weight.original`
(`original0`, `original1`... when right_inverse returns several tensors).

Tensor.set_ is not in gradsh: an original takes a new value's array in place (the same tensor
object, its version bumped), which is what PyTorch's set_ shows a program.
"""

from contextlib import contextmanager

from ..errors import TorchAssertionError
from ..grad_mode import no_grad
from ..tensor import Tensor
from .container import ModuleDict, ModuleList
from .parameter import Parameter, is_parameter

__all__ = ["cached", "ParametrizationList", "register_parametrization", "is_parametrized",
           "remove_parametrizations", "type_before_parametrizations",
           "transfer_parametrizations_and_params"]

# PyTorch prints the injected classes under the module that makes them
_CLASS_MODULE = "torch.nn.utils.parametrize"
_SEQUENCE = (list, tuple)


class _Cache:
    """The values computed inside (nested) `cached()` blocks, keyed by (module id, name)."""
    depth = 0
    values = {}


@contextmanager
def cached():
    """Inside this block, each parametrized tensor is computed once, on its first read."""
    _Cache.depth += 1
    try:
        yield
    finally:
        _Cache.depth -= 1
        if _Cache.depth == 0:
            _Cache.values = {}


def _register(module, name, x):
    """x as module.<name>: a parameter if it is one, else a buffer."""
    (module.register_parameter if is_parameter(x) else module.register_buffer)(name, x)


def _assign_in_place(dest, src):
    """dest.set_(src): the same tensor object now holds src's values."""
    dest._data = src._data
    dest._vc[0] += 1


def _type_name(x):
    return type(x).__name__


def _invert(parametrizations, value, lenient):
    """Run the right_inverse of each parametrization, last registered first. Lenient (at
    registration) skips the ones without one or that raise NotImplementedError."""
    for p in reversed(parametrizations):  # (as PyTorch: an endless iterable is not reversible)
        inverse = getattr(p, "right_inverse", None)
        if inverse is None:
            if lenient:
                continue
            raise RuntimeError(f"parametrization {_type_name(p)} does not implement "
                               "right_inverse.")
        try:
            value = inverse(value)
        except NotImplementedError:
            if not lenient:
                raise
    return value


def _check_registered(z, shape, dtype):
    """The first parametrization's output on the original keeps its dtype and shape."""
    if not isinstance(z, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {_type_name(z)}.")
    for what, before, after in (("dtype", dtype, z.dtype), ("shape", shape, z.shape)):
        if before != after:
            raise ValueError(
                f"Registering a parametrization may not change the {what} of the tensor, "
                "unless `unsafe` flag is enabled.\n"
                f"unparametrized {what}: {before}\n"
                f"parametrized {what}: {after}")


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, and its original (`original`, or `original0`,
    `original1`... when the first right_inverse returns several tensors)."""

    def __init__(self, modules, original, unsafe=False):
        if len(modules) == 0:
            raise ValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        shape, dtype = original.shape, original.dtype
        with no_grad():
            stored = _invert(self, original, lenient=True)
        self.is_tensor = isinstance(stored, Tensor)
        if not self.is_tensor and not isinstance(stored, _SEQUENCE):
            raise ValueError("'right_inverse' must return a Tensor or a Sequence of tensors "
                             f"(list, tuple...). Got {_type_name(stored)}")
        self.ntensors = 1 if self.is_tensor else len(stored)
        if self.is_tensor:
            self._store_one(original, stored)
        else:
            self._store_many(original, stored)
        if not unsafe:
            _check_registered(self(), shape, dtype)

    def _store_one(self, original, stored):
        if stored.dtype != original.dtype:
            raise ValueError(
                "When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                f"original.dtype: {original.dtype}\n"
                f"right_inverse(original).dtype: {stored.dtype}")
        with no_grad():
            _assign_in_place(original, stored)
        _register(self, "original", original)

    def _store_many(self, original, stored):
        wants_grad = original.requires_grad
        for i, part in enumerate(stored):
            if not isinstance(part, Tensor):
                raise ValueError(
                    "'right_inverse' must return a Tensor or a Sequence of tensors "
                    f"(list, tuple...). Got element {i} of the sequence with type "
                    f"{_type_name(part)}.")
            if is_parameter(original):
                part = Parameter(part, wants_grad)
            part.requires_grad_(wants_grad)
            _register(self, f"original{i}", part)

    def _originals(self):
        if self.is_tensor:
            return (self.original,)
        return tuple(getattr(self, f"original{i}") for i in range(self.ntensors))

    def right_inverse(self, value):
        """Run the parametrizations' right_inverse, last registered first, and store the
        result in the original(s)."""
        with no_grad():
            value = _invert(self, value, lenient=False)
            if self.is_tensor:
                target = self.original
                if not isinstance(value, Tensor):
                    raise ValueError("`right_inverse` should return a tensor. Got "
                                     f"{_type_name(value)}")
                if value.dtype != target.dtype:
                    raise ValueError(f"The tensor returned by `right_inverse` has dtype "
                                     f"{value.dtype} while `original` has dtype "
                                     f"{target.dtype}")
                _assign_in_place(target, value)
                return
            if not isinstance(value, _SEQUENCE):
                raise ValueError("'right_inverse' must return a sequence of tensors. "
                                 f"Got {_type_name(value)}.")
            if len(value) != self.ntensors:
                raise ValueError("'right_inverse' must return a sequence of tensors of "
                                 f"length {self.ntensors}. Got a sequence of length "
                                 f"{len(value)}.")
            for i, (target, new) in enumerate(zip(self._originals(), value)):
                if not isinstance(new, Tensor):
                    raise ValueError("'right_inverse' must return a sequence of tensors "
                                     "or reference-type opaques. Got element "
                                     f"{i} of type {_type_name(new)}.")
                if new.dtype != target.dtype:
                    raise ValueError(f"Tensor {i} returned by `right_inverse` has dtype "
                                     f"{new.dtype} while `original{i}` has dtype "
                                     f"{target.dtype}")
                _assign_in_place(target, new)

    def forward(self):
        first, *rest = self
        out = first(*self._originals())
        for p in rest:
            out = p(out)
        return out


def _refuse_pickle(self):
    raise RuntimeError(
        "Serialization of parametrized modules is only supported through state_dict(). "
        "See:\nhttps://pytorch.org/tutorials/beginner/saving_loading_models.html"
        "#saving-loading-a-general-checkpoint-for-inference-and-or-resuming-training")


def _give_own_class(module):
    """Give `module` a class of its own, `Parametrized<Class>`, to hold its properties."""
    base = type(module)
    # (gradsh's sandbox treats a class made from a program's class as the program's)
    namespace = {"__getstate__": _refuse_pickle, "__module__": _CLASS_MODULE,
                 "__gradsh_derived_from__": base}
    module.__class__ = type(base)(f"Parametrized{base.__name__}", (base,), namespace)


def _add_property(module, name):
    """The property module.<name>: computed on read, inverted on assignment."""
    if hasattr(module, name):
        raise TorchAssertionError(f"Module already has an attribute named '{name}'")
    key = (id(module), name)

    def read(self):
        plist = self.parametrizations[name]
        if not _Cache.depth:
            return plist()
        if _Cache.values.get(key) is None:
            _Cache.values[key] = plist()
        return _Cache.values[key]

    def write(self, value):
        self.parametrizations[name].right_inverse(value)

    write.program_assigns = True  # a .grad program may assign it (lang's sandbox)
    setattr(type(module), name, property(read, write))


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    """Make `module.<tensor_name>` the output of `parametrization` applied to the original
    (a further parametrization of the same name is applied after the ones before)."""
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        if not unsafe:
            _check_appended(module, tensor_name, parametrization)
        plist = module.parametrizations[tensor_name]
        plist.append(parametrization)
        plist.unsafe = plist.unsafe or unsafe
        return module
    if tensor_name not in module._parameters and tensor_name not in module._buffers:
        raise ValueError(f"Module '{module}' does not have a parameter, a buffer, or a "
                         f"parametrized element with name '{tensor_name}'")
    plist = ParametrizationList([parametrization], getattr(module, tensor_name), unsafe=unsafe)
    delattr(module, tensor_name)
    first = not is_parametrized(module)
    if first:
        _give_own_class(module)
        module.parametrizations = ModuleDict()
    _add_property(module, tensor_name)
    module.parametrizations[tensor_name] = plist
    return module


def _check_appended(module, name, parametrization):
    """A parametrization added after others keeps the tensor's dtype and shape, and so does
    its right_inverse when it has one."""
    y = getattr(module, name)
    x = parametrization(y)
    if not isinstance(x, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {_type_name(x)}.")
    for what in ("dtype", "shape"):
        if getattr(x, what) != getattr(y, what):
            raise ValueError(
                f"Registering a parametrization may not change the {what} of the tensor, unless "
                "the `unsafe` flag is enabled.\n"
                f"module.{name}.{what}: {getattr(y, what)}\n"
                f"parametrization(module.{name}).{what}: {getattr(x, what)}")
    inverse = getattr(parametrization, "right_inverse", None)
    if inverse is None:
        return
    try:
        z = inverse(x)
    except NotImplementedError:
        return
    if not isinstance(z, Tensor):
        raise ValueError("parametrization.right_inverse must return a tensor. Got: "
                         f"{_type_name(z)}")
    for what in ("dtype", "shape"):
        if getattr(z, what) != getattr(y, what):
            raise ValueError(
                f"The tensor returned by parametrization.right_inverse must have the same "
                f"{what} as module.{name}, unless the `unsafe` flag is enabled.\n"
                f"module.{name}.{what}: {getattr(y, what)}\n"
                f"returned {what}: {getattr(z, what)}")


def _parametrizations_of(module):
    """module.parametrizations when it is the ModuleDict registration made, else None."""
    # (read from the module's own tables: any other value there means none)
    modules = getattr(module, "__dict__", {}).get("_modules", {})
    found = modules.get("parametrizations") if isinstance(modules, dict) else None
    return found if isinstance(found, ModuleDict) else None


def is_parametrized(module, tensor_name=None):
    """Has `module` a parametrization (on `tensor_name`, when given)?"""
    found = _parametrizations_of(module)
    if found is None:
        return False
    return len(found) > 0 if tensor_name is None else tensor_name in found


def remove_parametrizations(module, tensor_name, leave_parametrized=True):
    """Undo register_parametrization: the tensor becomes a parameter (or buffer) again,
    holding its current parametrized value (leave_parametrized) or the original."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    plist = module.parametrizations[tensor_name]
    if plist.is_tensor:
        restored = plist.original
        if leave_parametrized:
            with no_grad():
                _assign_in_place(restored, getattr(module, tensor_name))
    elif leave_parametrized:
        value = getattr(module, tensor_name)
        restored = Parameter(value) if value.requires_grad else value
    else:
        raise ValueError("Cannot leave unparametrized (`leave_parametrized=False`) a "
                         "tensor that is parametrized in terms of a sequence of tensors.")
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    _register(module, tensor_name, restored)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module).__bases__[0]   # the class _give_own_class replaced
    return module


def type_before_parametrizations(module):
    """The module's class before any parametrization was registered on it."""
    cls = type(module)
    return cls.__bases__[0] if is_parametrized(module) else cls


def transfer_parametrizations_and_params(from_module, to_module, tensor_name=None):
    """Register from_module's parametrizations (of `tensor_name`, or all) on to_module, with
    the same originals."""
    if not is_parametrized(from_module):
        return to_module
    names = [tensor_name] if tensor_name is not None else list(from_module.parametrizations)
    for name in names:
        source = from_module.parametrizations[name]
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name)))
        for p in source:
            register_parametrization(to_module, name, p)
        target = to_module.parametrizations[name]
        if hasattr(source, "original"):
            target.original = source.original
            continue
        i = 0
        while hasattr(source, f"original{i}"):
            setattr(target, f"original{i}", getattr(source, f"original{i}"))
            i += 1
    return to_module
