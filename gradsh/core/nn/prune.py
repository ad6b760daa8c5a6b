"""torch.nn.utils.prune: zero out entries of a module's parameter through a mask.

The layout programs see is PyTorch's: pruning `m.weight` moves the parameter to `m.weight_orig`,
stores the mask as the buffer `m.weight_mask`, sets the plain attribute `m.weight = weight_orig *
weight_mask` and registers the pruning method as a forward pre-hook that recomputes it before
every forward. Pruning the same parameter again chains the methods in a PruningContainer (the
new mask is chosen among the entries, or channels, still alive); `remove` makes it permanent.
The entries are chosen as PyTorch chooses them (the k smallest |t|, the k largest of
rand_like(t), the channels of largest Ln norm, a channel score from rand(size) against its
k-th value), so with the same seed the same entries are pruned.
"""

import numbers
from collections.abc import Iterable

from .. import errors
from ..dtypes import read_items
from ..factories import ones_like, rand, rand_like, zeros_like
from ..torchclass import TorchClass
from .utils import parameters_to_vector

__all__ = ["BasePruningMethod", "PruningContainer", "Identity", "RandomUnstructured",
           "L1Unstructured", "RandomStructured", "LnStructured", "CustomFromMask", "identity",
           "random_unstructured", "l1_unstructured", "random_structured", "ln_structured",
           "global_unstructured", "custom_from_mask", "remove", "is_pruned"]


# ---- checks (the messages are PyTorch's) ----

def _checked_amount(amount):
    """`amount` as given, once it is a fraction in [0, 1] or a count >= 0."""
    if not isinstance(amount, numbers.Real):
        raise TypeError(f"Invalid type for amount: {amount}. Must be int or float.")
    whole = isinstance(amount, numbers.Integral)
    share = float(amount)
    if (whole and amount < 0) or (not whole and (share < 0.0 or share > 1.0)):
        raise ValueError(f"amount={amount} should either be a float in the range [0, 1] or a "
                         "non-negative integer")
    return amount


def _how_many(amount, size):
    """The number of entries (or channels) out of `size` that `amount` prunes."""
    k = amount if isinstance(amount, numbers.Integral) else round(amount * size)
    if k > size:
        raise ValueError(f"amount={k} should be smaller than the number of parameters to "
                         f"prune={size}")
    return k


def _channel_count(t, dim):
    """The number of channels along `dim` of a tensor that structured pruning accepts."""
    shape = t.shape
    if len(shape) < 2:
        raise ValueError("Structured pruning can only be applied to multidimensional tensors. "
                         f"Found tensor of shape {shape} with {len(shape)} dims")
    if dim >= t.dim():
        raise IndexError(f"Invalid index {dim} for tensor of size {shape}")
    return shape[dim]


def _checked_scores(t, scores, what):
    """The tensor ranked to choose the entries: `scores` when given (t's shape), else t."""
    if scores is None:
        return t
    if scores.shape != t.shape:
        raise errors.TorchAssertionError(
            f"importance_scores should have the same shape as {what}, "
            f"got {scores.shape} vs {t.shape}")
    return scores


# ---- masks ----

def _along(ndim, axis, index):
    """The subscript that takes `index` on `axis` and everything on the other axes."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


def _zero_ranked(default_mask, k, ranked, largest):
    """default_mask with the k entries of largest (or smallest) rank set to 0; `ranked` is
    called only when something is pruned, so the random generator moves only then."""
    mask = default_mask.clone()
    if k:
        order = ranked().view(-1).topk(k=k, largest=largest)
        mask.view(-1)[order.indices] = 0
    return mask


def _keep_channels(t, dim, keep, default_mask):
    """1 on the channels `keep` of `dim` (an index or a boolean), times default_mask."""
    mask = zeros_like(t)
    mask[_along(t.dim(), dim % t.dim(), keep)] = 1
    return mask * default_mask.to(dtype=mask.dtype)


def _alive(method, t, default_mask):
    """Where a chained method may still prune: the live entries (unstructured), the channels
    with a live entry (structured) or everything (global)."""
    kind = method.PRUNING_TYPE
    if kind == "unstructured":
        return default_mask == 1
    if kind == "global":
        return (slice(None),) * t.dim()
    if kind != "structured":
        raise ValueError(f"Unrecognized PRUNING_TYPE {kind}")
    if not hasattr(method, "dim"):
        raise AttributeError('Pruning methods of PRUNING_TYPE "structured" need to have the '
                             "attribute `dim` defined.")
    ndim = t.dim()
    axis = method.dim if method.dim >= 0 else method.dim + ndim
    if axis < 0:
        raise IndexError(f"Index is out of bounds for tensor with dimensions {ndim}")
    live = default_mask.sum(dim=[d for d in range(ndim) if d != axis]) != 0
    return _along(ndim, axis, live)


# ---- the hooks on a module ----

def _hooks_for(module, name):
    """(key, method) of each pruning method registered on module.<name>."""
    hooks = getattr(module, "_forward_pre_hooks", None)
    if hooks is None:  # not a module: PyTorch's own AttributeError, as its read gives
        raise errors.no_attribute(module, "_forward_pre_hooks")
    return [(key, hook) for key, hook in list(hooks.items())
            if isinstance(hook, BasePruningMethod) and hook._tensor_name == name]


def _chain(module, name, make):
    """Unhook the method already pruning module.<name> (if any) and return what replaces it:
    make()'s method alone, or appended to a container holding the earlier ones."""
    earlier = _hooks_for(module, name)
    for key, _ in earlier:
        del module._forward_pre_hooks[key]
    if len(earlier) > 1:
        raise errors.TorchAssertionError(
            f"Avoid adding multiple pruning hooks to the same tensor {name} of "
            f"module {module}. Use a PruningContainer.")
    method = make()
    method._tensor_name = name
    if not earlier:
        return method
    chain = earlier[0][1]
    if not isinstance(chain, PruningContainer):
        chain = PruningContainer(chain)
    chain.add_pruning_method(method)
    return chain


def _move_parameter(module, old, new):
    param = module._parameters[old]
    module.register_parameter(new, param)
    del module._parameters[old]


def _prune_with(cls, module, name, *args, importance_scores=None, **kwargs):
    """What `cls.apply` does: reparametrize module.<name> with the mask cls chooses."""
    method = _chain(module, name, lambda: cls(*args, **kwargs))
    value = getattr(module, name)
    scores = _checked_scores(value, importance_scores, f"parameter {name} of {module}")
    fresh = not isinstance(method, PruningContainer)
    if fresh:
        _move_parameter(module, name, name + "_orig")
        start = ones_like(value)
    else:
        start = getattr(module, name + "_mask").detach().clone()
    try:
        module.register_buffer(name + "_mask", method.compute_mask(scores, default_mask=start))
        setattr(module, name, method.apply_mask(module))
        module.register_forward_pre_hook(method)
    except Exception:
        if fresh:   # leave the module as it was
            _move_parameter(module, name + "_orig", name)
        raise
    return method


class BasePruningMethod(metaclass=TorchClass):
    """A pruning method: compute_mask(t, default_mask) says which entries to keep; as a forward
    pre-hook it recomputes the pruned tensor from `<name>_orig` and `<name>_mask`."""

    # `_tensor_name`, the parameter's name, is set when the method is applied (PyTorch's
    # methods have no such attribute before: reading it raises AttributeError)

    def __repr__(self):
        cls = type(self)
        where = ("torch.nn.utils.prune" if cls.__module__.startswith("gradsh.")
                 else cls.__module__)
        return f"<{where}.{cls.__qualname__} object at {hex(id(self))}>"

    def __call__(self, module, inputs):
        pruned = self.apply_mask(module)
        setattr(module, self._tensor_name, pruned)

    def compute_mask(self, t, default_mask):
        raise NotImplementedError

    def apply_mask(self, module):
        name = self._tensor_name
        if name is None:
            raise errors.TorchAssertionError(f"Module {module} has to be pruned")
        original = getattr(module, name + "_orig")
        return getattr(module, name + "_mask").to(dtype=original.dtype) * original

    @classmethod
    def apply(cls, module, name, *args, importance_scores=None, **kwargs):
        return _prune_with(cls, module, name, *args, importance_scores=importance_scores,
                           **kwargs)

    def prune(self, t, default_mask=None, importance_scores=None):
        scores = _checked_scores(t, importance_scores, "tensor t")
        start = ones_like(t) if default_mask is None else default_mask
        return t * self.compute_mask(scores, default_mask=start)

    def remove(self, module):
        name = self._tensor_name
        if name is None:
            raise errors.TorchAssertionError(
                f"Module {module} has to be pruned before pruning can be removed")
        final = self.apply_mask(module)
        if hasattr(module, name):
            delattr(module, name)
        param = module._parameters.pop(name + "_orig")
        param.data = final.data
        module._buffers.pop(name + "_mask")
        setattr(module, name, param)


_MISSING = object()


class PruningContainer(BasePruningMethod):
    """The sequence of pruning methods applied to one parameter (iterative pruning)."""

    def __init__(self, *args):
        self._pruning_methods = ()
        if len(args) == 1:   # started from the first method: it names the parameter
            name = getattr(args[0], "_tensor_name", _MISSING)
            if name is _MISSING:  # PyTorch's Python code reads it: its AttributeError
                raise errors.TorchAttributeError(f"'{type(args[0]).__name__}' object has no "
                                                 "attribute '_tensor_name'")
            self._tensor_name = name
        for method in args:
            self.add_pruning_method(method)

    def add_pruning_method(self, method):
        if method is not None:
            if not isinstance(method, BasePruningMethod):
                raise TypeError(f"{type(method)} is not a BasePruningMethod subclass")
            if method._tensor_name != self._tensor_name:
                raise ValueError("Can only add pruning methods acting on the parameter named "
                                 f"'{self._tensor_name}' to PruningContainer {self}. Found "
                                 f"'{method._tensor_name}'")
        self._pruning_methods = (*self._pruning_methods, method)

    def __len__(self):
        return len(self._pruning_methods)

    def __iter__(self):
        return iter(self._pruning_methods)

    def __getitem__(self, idx):
        return self._pruning_methods[idx]

    def compute_mask(self, t, default_mask):
        """The newest method's mask, computed on the entries (unstructured) or channels
        (structured) the earlier masks kept."""
        newest = self._pruning_methods[-1]
        mask = default_mask.to(dtype=t.dtype)
        where = _alive(newest, t, default_mask)
        part = newest.compute_mask(t[where], default_mask=default_mask[where])
        mask[where] = part.to(dtype=mask.dtype)
        return mask


class Identity(BasePruningMethod):
    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t, default_mask):
        return default_mask

    @classmethod
    def apply(cls, module, name):
        return _prune_with(cls, module, name)


class RandomUnstructured(BasePruningMethod):
    PRUNING_TYPE = "unstructured"

    def __init__(self, amount):
        self.amount = _checked_amount(amount)

    def compute_mask(self, t, default_mask):
        k = _how_many(self.amount, t.nelement())
        return _zero_ranked(default_mask, k, lambda: rand_like(t), largest=True)

    @classmethod
    def apply(cls, module, name, amount):
        return _prune_with(cls, module, name, amount=amount)


class L1Unstructured(BasePruningMethod):
    PRUNING_TYPE = "unstructured"

    def __init__(self, amount):
        self.amount = _checked_amount(amount)

    def compute_mask(self, t, default_mask):
        k = _how_many(self.amount, t.nelement())
        return _zero_ranked(default_mask, k, t.abs, largest=False)

    @classmethod
    def apply(cls, module, name, amount, importance_scores=None):
        return _prune_with(cls, module, name, amount=amount, importance_scores=importance_scores)


class RandomStructured(BasePruningMethod):
    PRUNING_TYPE = "structured"

    def __init__(self, amount, dim=-1):
        self.amount = _checked_amount(amount)
        self.dim = dim

    def compute_mask(self, t, default_mask):
        size = _channel_count(t, self.dim)
        k = _how_many(self.amount, size)
        if not k:
            return default_mask
        score = rand(size)
        return _keep_channels(t, self.dim, score > score.kthvalue(k=k).values, default_mask)

    @classmethod
    def apply(cls, module, name, amount, dim=-1):
        return _prune_with(cls, module, name, amount=amount, dim=dim)


class LnStructured(BasePruningMethod):
    PRUNING_TYPE = "structured"

    def __init__(self, amount, n, dim=-1):
        self.amount = _checked_amount(amount)
        self.n = n
        self.dim = dim

    def compute_mask(self, t, default_mask):
        size = _channel_count(t, self.dim)
        k = _how_many(self.amount, size)
        axis = list(range(t.dim()))[self.dim]
        norms = t.norm(p=self.n, dim=[d for d in range(t.dim()) if d != axis])
        strongest = norms.topk(k=size - k, largest=True).indices
        if not k:
            return default_mask
        return _keep_channels(t, self.dim, strongest, default_mask)

    @classmethod
    def apply(cls, module, name, amount, n, dim, importance_scores=None):
        return _prune_with(cls, module, name, amount=amount, n=n, dim=dim,
                           importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    PRUNING_TYPE = "global"

    def __init__(self, mask):
        self.mask = mask

    def compute_mask(self, t, default_mask):
        given = self.mask
        if given.shape != default_mask.shape:
            raise errors.TorchAssertionError(
                f"default_mask shape {default_mask.shape} must match "
                f"self.mask shape {given.shape}")
        return default_mask * given.to(dtype=default_mask.dtype)

    @classmethod
    def apply(cls, module, name, mask):
        return _prune_with(cls, module, name, mask=mask)


# ---- the functional forms: prune in place, return the module ----

def identity(module, name):
    _prune_with(Identity, module, name)
    return module


def random_unstructured(module, name, amount):
    _prune_with(RandomUnstructured, module, name, amount=amount)
    return module


def l1_unstructured(module, name, amount, importance_scores=None):
    _prune_with(L1Unstructured, module, name, amount=amount,
                importance_scores=importance_scores)
    return module


def random_structured(module, name, amount, dim):
    _prune_with(RandomStructured, module, name, amount=amount, dim=dim)
    return module


def ln_structured(module, name, amount, n, dim, importance_scores=None):
    _prune_with(LnStructured, module, name, amount=amount, n=n, dim=dim,
                importance_scores=importance_scores)
    return module


def custom_from_mask(module, name, mask):
    _prune_with(CustomFromMask, module, name, mask=mask)
    return module


def global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs):
    """Prune the given (module, name) pairs together: the method's mask is computed over all
    their entries as one vector, then each pair gets its piece as a custom mask."""
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    # read within the item limit and the reading budget (an endless generator stops there);
    # PyTorch reads parameters twice, so an iterator is empty the second time
    pairs = read_items(parameters, "global_unstructured(): parameters")
    again = () if iter(parameters) is parameters else pairs
    given = {} if importance_scores is None else importance_scores
    if not isinstance(given, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    tensors = [getattr(m, n) for m, n in pairs]
    scores = parameters_to_vector([given.get(pair, t) for pair, t in zip(pairs, tensors)])
    start = parameters_to_vector([getattr(m, n + "_mask", ones_like(t))
                                  for (m, n), t in zip(again, tensors)])
    method = pruning_method(**kwargs)
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError('Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. '
                        f"Found method {pruning_method} of type {method.PRUNING_TYPE}")
    # a container over everything alive: the new mask is chosen among the unpruned entries
    method._tensor_name = "temp"
    joint = PruningContainer(method)
    mask = joint.compute_mask(scores, start)
    offset = 0
    for (m, n), t in zip(pairs, tensors):
        size = t.numel()
        custom_from_mask(m, n, mask=mask[offset:offset + size].view_as(t))
        offset += size


def remove(module, name):
    """Make the pruning of module.<name> permanent: a plain parameter holding the pruned value."""
    for key, method in _hooks_for(module, name):
        method.remove(module)
        del module._forward_pre_hooks[key]
        return module
    raise ValueError(f"Parameter '{name}' of module {module} has to be pruned before pruning "
                     "can be removed")


def is_pruned(module):
    """Does a pruning method hook module or any of its submodules?"""
    return any(isinstance(hook, BasePruningMethod)
               for sub in module.modules() for hook in sub._forward_pre_hooks.values())
