"""Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict: modules and parameters kept
under string keys."""

import operator
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from ..dtypes import MAX_SIZE_LENGTH, TooManyItems, read_each
from ..errors import TorchAssertionError
from ..tensor import Tensor
from .module import Module, _addindent, _typename
from .parameter import Parameter, is_parameter


def _renumbered(owner, modules):
    """owner's submodules replaced by `modules` under the keys "0", "1", ..."""
    slots = owner._modules
    slots.clear()
    slots.update(zip(map(str, range(len(modules))), modules))


def _drop(owner, idx):
    """del owner[idx] of a Sequential or ModuleList (an index or a slice): the modules left are
    renumbered from 0, as PyTorch does."""
    keys = list(owner._modules)
    doomed = keys[idx] if isinstance(idx, slice) else [keys[_index(idx, len(keys))]]
    for key in doomed:
        delattr(owner, key)
    _renumbered(owner, list(owner._modules.values()))


def _shift_in(owner, index, module):
    """PyTorch's insert: each numbered key from the end down to index + 1 takes the module of
    the key below it, then `index` takes the new module. Keys that are not numbers, or a
    negative index, meet a missing key part-way (PyTorch's KeyError, its moves kept)."""
    slots = owner._modules
    for to in reversed(range(index + 1, len(slots) + 1)):
        slots[str(to)] = slots[str(to - 1)]
    slots[str(index)] = module


def _numbered_append(owner, module):
    owner.add_module(str(len(owner._modules)), module)
    return owner


def _each_module(owner):
    """owner's modules in order, read live as PyTorch reads its plain dict: one added or removed
    meanwhile (`s += s`) is that dict's error, not OrderedDict's."""
    slots = owner._modules
    size = len(slots)
    for module in list(slots.values()):
        yield module
        if len(slots) != size:
            raise RuntimeError("dictionary changed size during iteration")


def _popped(owner, key):
    taken = owner[key]
    del owner[key]
    return taken


def _index(idx, n):
    idx = operator.index(idx)
    if not -n <= idx < n:
        raise IndexError(f"index {idx} is out of range")
    return idx % n


def _shown(cls):
    """str(cls) as PyTorch's: its layers live in torch.nn.modules.<file>."""
    module = cls.__module__
    if module.startswith("gradsh.core.nn."):
        module = "torch.nn.modules." + module.rpartition(".")[2]
    elif module == "builtins":
        return f"<class '{cls.__qualname__}'>"
    return f"<class '{module}.{cls.__qualname__}'>"


def _check_sequential(other):
    if not isinstance(other, Sequential):
        raise ValueError("add operator supports only objects of Sequential class, but "
                         f"{_shown(type(other))} is given.")


_CONTAINER_DEPRECATED = ("`nn.Container` is deprecated. All of its functionality is now "
                         "implemented in `nn.Module`. Subclass that instead.")


class Container(Module):
    """A Module whose keyword arguments become its submodules; deprecated as PyTorch's
    `@deprecated` class is (a FutureWarning when made, or when a subclass is defined)."""

    def __init__(self, **kwargs):
        if type(self) is Container:
            warnings.warn(_CONTAINER_DEPRECATED, FutureWarning, stacklevel=2)
        super().__init__()
        for name in kwargs:
            self.add_module(name, kwargs[name])

    def __init_subclass__(cls, **kwargs):
        warnings.warn(_CONTAINER_DEPRECATED, FutureWarning, stacklevel=2)
        super().__init_subclass__(**kwargs)


class Sequential(Module):
    """Modules called in order, each on the previous one's output."""

    def __init__(self, *args):
        super().__init__()
        named = len(args) == 1 and isinstance(args[0], OrderedDict)
        for name, module in args[0].items() if named else zip(map(str, range(len(args))), args):
            self.add_module(name, module)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[_index(idx, len(self))]

    def __setitem__(self, idx, module):
        setattr(self, list(self._modules)[_index(idx, len(self))], module)

    __delitem__ = _drop
    __iter__ = _each_module
    pop = _popped
    append = _numbered_append

    def __len__(self):
        return len(self._modules)

    def __add__(self, other):
        """A new Sequential of this one's layers, then other's (a Sequential only), numbered."""
        _check_sequential(other)
        return Sequential(*self, *other)

    def __iadd__(self, other):
        _check_sequential(other)
        for module in _each_module(other):  # read live: `s += s` fails as PyTorch's does
            _numbered_append(self, module)
        return self

    def __mul__(self, other):
        """A new Sequential of this one's layers `other` times over (the same modules)."""
        self._check_factor(other)
        return Sequential(*[*self] * other)

    __rmul__ = __mul__

    def __imul__(self, other):
        self._check_factor(other)
        n = len(self)
        for k in range(n, n * other):  # copies of the numbered keys: a named one raises here
            self.add_module(str(k), self._modules[str(k % n)])
        return self

    def _check_factor(self, other):
        if not isinstance(other, int):
            raise TypeError(f"unsupported operand type(s) for *: {_shown(type(self))} and "
                            f"{_shown(type(other))}")
        if other <= 0:
            raise ValueError(f"Non-positive multiplication factor {other} for "
                             f"{_shown(type(self))}")
        if len(self) * other > MAX_SIZE_LENGTH:  # (a program's huge factor: gradsh's limit)
            raise TooManyItems(f"a Sequential of more than {MAX_SIZE_LENGTH} modules: above "
                               "gradsh's limit of items in a tuple")

    def extend(self, sequential):
        for layer in read_each(sequential, "Sequential.extend()"):  # an endless one stops
            _numbered_append(self, layer)
        return self

    def insert(self, index, module):
        """module at index, the later ones moved up by one key (PyTorch's moves)."""
        if not isinstance(module, Module):
            raise TorchAssertionError(f"module should be of type: {_shown(Module)}")
        n = len(self._modules)
        if index > n or index < -n:
            raise IndexError(f"Index out of range: {index}")
        _shift_in(self, index + n if index < 0 else index, module)
        return self

    def forward(self, input):
        out = input
        for layer in self._modules.values():
            out = layer(out)
        return out


class ModuleList(Module):
    """A list of modules, registered so that parameters() sees them."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(_index(idx, len(self)))]

    def __setitem__(self, idx, module):
        setattr(self, str(_index(idx, len(self))), module)

    __delitem__ = _drop
    __iter__ = _each_module
    pop = _popped
    append = _numbered_append

    def __len__(self):
        return len(self._modules)

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        """A new ModuleList of this list's modules, then other's (any iterable of modules)."""
        joined = ModuleList(self)
        for module in other:
            _numbered_append(joined, module)
        return joined

    def extend(self, modules):
        _check_iterable("ModuleList", modules)
        for module in read_each(modules, "ModuleList.extend()"):  # an endless one stops
            _numbered_append(self, module)
        return self

    def insert(self, index, module):
        """PyTorch's moves of the numbered keys, whatever the index (a negative one meets a
        missing key); a non-module is refused, where PyTorch stores it (docs/nn.md)."""
        if not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        _shift_in(self, index, module)

    def __repr__(self):
        # PyTorch groups runs of equal consecutive reprs: "(0-2): 3 x Linear(...)".
        reprs = [repr(m) for m in self._modules.values()]
        if not reprs:
            return self._get_name() + "()"
        lines = []
        start = 0
        for i in range(1, len(reprs) + 1):
            if i == len(reprs) or reprs[i] != reprs[start]:
                key = f"({start})" if i - start == 1 else f"({start}-{i - 1}): {i - start} x"
                sep = ": " if i - start == 1 else " "
                lines.append(key + sep + _addindent(reprs[start], 2))
                start = i
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """A dict of modules, registered in insertion order."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    pop = _popped

    def clear(self):
        self._modules.clear()

    def update(self, modules):
        if isinstance(modules, Mapping):
            items = modules.items()
        elif isinstance(modules, Iterable):
            items = _checked_pairs(modules, "ModuleDict")
        else:
            raise TypeError("ModuleDict.update should be called with an iterable of key/value "
                            f"pairs, but got {type(modules).__name__}")
        for key, m in items:
            self[key] = m


def _check_iterable(name, values, refused=()):
    """PyTorch's refusal of extend() given what is not an iterable (or a refused type)."""
    if not isinstance(values, Iterable) or isinstance(values, refused):
        raise TypeError(f"{name}.extend should be called with an iterable, but got "
                        f"{type(values).__name__}")

class ParameterList(Module):
    _gradsh_private_names = Module._gradsh_private_names | {"_size"}

    """A list of parameters (tensors given to it become Parameters)."""

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return ParameterList(list(self)[idx])
        return getattr(self, str(_index(idx, self._size)))

    def __setitem__(self, idx, param):
        idx = _index(idx, self._size)
        if isinstance(param, Tensor) and not is_parameter(param):
            param = Parameter(param)
        setattr(self, str(idx), param)

    def __len__(self):
        return self._size

    def __iter__(self):
        return (self[i] for i in range(self._size))

    def __iadd__(self, params):
        return self.extend(params)

    def append(self, value):
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values):
        _check_iterable("ParameterList", values, Tensor)  # (a tensor is iterable: refused)
        for v in read_each(values, "ParameterList.extend()"):  # an endless one stops
            self.append(v)
        return self

    def extra_repr(self):
        # its own items, not iter(self): a program's object given as `self` may never end
        return _entries_repr(((i, self[i]) for i in range(self._size)),
                             lambda p: "torch." + _short(p))


def _short(p):
    return repr(p.dtype).replace("torch.", "")


def _entries_repr(items, type_name):
    """ParameterList's / ParameterDict's extra_repr: one line per entry, a tensor by its kind,
    type_name(tensor) and size."""
    lines = []
    for key, p in items:
        if isinstance(p, Tensor):
            size = "x".join(str(s) for s in p.shape)
            kind = "Parameter" if is_parameter(p) else "Tensor"
            lines.append(f"  ({key}): {kind} containing: [{type_name(p)} of size {size}]")
        else:
            lines.append(f"  ({key}): Object of type: {type(p).__name__}")
    return "\n".join(lines)


class ParameterDict(Module):
    _gradsh_private_names = Module._gradsh_private_names | {"_keys"}

    """A dict of parameters under string keys (tensors given to it become Parameters); a plain
    dict given to it or to update() is taken in sorted key order, as PyTorch does."""

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _attr(key):
        if not isinstance(key, str):
            raise TypeError("Index given to ParameterDict cannot be used as a key as it is not a "
                            f"string (type is '{type(key).__name__}'). Open an issue on github if "
                            "you need non-string keys.")
        return key

    def __getitem__(self, key):
        return getattr(self, self._attr(key))

    def __setitem__(self, key, value):
        name = self._attr(key)
        self._keys[key] = None
        if isinstance(value, Tensor) and not is_parameter(value):
            value = Parameter(value)
        setattr(self, name, value)

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, self._attr(key))

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def keys(self):
        return self._keys.keys()

    # (keys are strings once stored: read as attributes directly)
    def items(self):
        return ((name, getattr(self, name)) for name in self._keys)

    def values(self):
        return (getattr(self, name) for name in self._keys)

    # `key in self._keys`, not `key in self`: a program's object given as `self` would be
    # searched item by item, for ever when its __getitem__ never raises (round 8)
    def get(self, key, default=None):
        return self[key] if key in self._keys else default

    def setdefault(self, key, default=None):
        if key not in self._keys:
            self[key] = default
        return self[key]

    pop = _popped

    def copy(self):
        """A new ParameterDict holding the same objects (the Parameters are not copied)."""
        return ParameterDict(OrderedDict(self.items()))

    def fromkeys(self, keys, default=None):
        """A new ParameterDict with each of keys holding default (an instance method in
        PyTorch: called on the class, its first argument is taken as `self`)."""
        return ParameterDict((k, default) for k in keys)

    def __or__(self, other):
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other):
        merged = other.copy()
        merged.update(self)
        return merged

    def __ior__(self, other):
        self.update(other)
        return self

    def popitem(self):
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")  # PyTorch's OrderedDict's words
        k = next(reversed(self._keys))
        return k, self.pop(k)

    def clear(self):
        for k in list(self._keys):
            del self[k]

    def update(self, parameters):
        for key, value in _update_pairs(parameters):
            self[key] = value

    def extra_repr(self):
        return _entries_repr(self.items(), lambda p: p.type())


def _update_pairs(parameters):
    """What ParameterDict.update reads: an OrderedDict or ParameterDict in its own order, any
    other mapping sorted by key, else an iterable of (key, value) pairs."""
    if isinstance(parameters, (OrderedDict, ParameterDict)):
        return parameters.items()
    if isinstance(parameters, Mapping):
        return sorted(parameters.items())
    if isinstance(parameters, Iterable):
        return _checked_pairs(parameters, "ParameterDict")
    raise TypeError("ParametersDict.update should be called with an iterable of key/value "
                    f"pairs, but got {type(parameters).__name__}")


def _checked_pairs(items, owner):
    """The (key, value) pairs of an iterable given to owner's update, each checked to be a pair
    with PyTorch's messages (its TypeError reads "isint", without a space); an endless
    iterable stops at gradsh's item limit."""
    for n, item in enumerate(read_each(items, owner + ".update()")):
        if not isinstance(item, Iterable):
            raise TypeError(f"{owner} update sequence element #{n} should be Iterable; is"
                            f"{type(item).__name__}")
        pair = tuple(read_each(item, owner + ".update()"))
        if len(pair) != 2:
            raise ValueError(f"{owner} update sequence element #{n} has length {len(pair)}; "
                             "2 is required")
        yield pair
