"""The base every gradsh distribution builds on: shapes, argument and sample validation, a
generic expand() driven by each class's parameter table, and the probability helpers the
discrete distributions share. Messages and formulas are PyTorch's (recorded by running it)."""

import numbers
import warnings

from .. import _api as torch
from ..core.torchclass import TorchClass
from . import constraints

__all__ = ["Distribution"]


class lazy_property:
    """A parameter derived from another on first read (under enable_grad, so it stays in the
    graph even when first read inside no_grad), then kept in the instance's __dict__."""

    def __init__(self, compute):
        self.compute = compute
        self.__name__ = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner, name):
        self.__name__ = name  # the attribute's name, also for a lambda

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        with torch.enable_grad():
            obj.__dict__[self.__name__] = found = self.compute(obj)
        return found


def broadcast_all(*values):
    """Tensors of one common shape; plain numbers become tensors of the first tensor's dtype
    (or the default dtype when there is none)."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if len(tensors) + sum(isinstance(v, numbers.Number) for v in values) < len(values):
        raise ValueError("Input arguments must all be instances of Number, torch.Tensor or "
                         "objects implementing __torch_function__.")
    dtype = tensors[0].dtype if tensors else torch.get_default_dtype()
    made = [v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=dtype) for v in values]
    return torch.broadcast_tensors(*made)


def batch_shape_of(args, tensor):
    """Size() when every argument was a plain number, else the broadcast tensor's size."""
    if all(isinstance(a, numbers.Number) for a in args):
        return torch.Size()
    return tensor.size()


def take_params(dist, **given):
    """Broadcast the given parameters together and set them on dist under their names;
    returns the batch shape they make (() when all were plain numbers)."""
    tensors = broadcast_all(*given.values())
    for name, t in zip(given, tensors):
        setattr(dist, name, t)
    return batch_shape_of(tuple(given.values()), tensors[0])


def checked(dist, value):
    """value, after the support and shape checks when the distribution validates."""
    if dist._validate_args:
        dist._validate_sample(value)
    return value


def standard_normal(shape, dtype):
    return torch.empty(shape, dtype=dtype).normal_()


def sum_last_dims(t, ndims):
    """Sum over the ndims rightmost dimensions (ndims == 0 leaves t as it is)."""
    return t.reshape(t.shape[:-ndims] + (-1,)).sum(-1) if ndims else t


def logits_to_probs(logits, is_binary=False):
    return torch.sigmoid(logits) if is_binary else torch.nn.functional.softmax(logits, dim=-1)


def clamp_probs(p):
    """Probabilities kept one machine epsilon inside (0, 1)."""
    eps = torch.finfo(p.dtype).eps
    return p.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary=False):
    # probabilities are kept one machine epsilon away from 0 and 1 so the logs stay finite
    eps = torch.finfo(probs.dtype).eps
    p = probs.clamp(min=eps, max=1 - eps)
    return torch.log(p) - torch.log1p(-p) if is_binary else torch.log(p)


def _holds(verdict):
    return bool(verdict.all() if isinstance(verdict, torch.Tensor) else verdict)


def _not_yet_computed(obj, name):
    return name not in obj.__dict__ and isinstance(getattr(type(obj), name, None), lazy_property)


def _described(name, value):
    return f"{name} ({type(value).__name__} of shape {tuple(value.shape)})"


_PACKAGE = __name__.partition(".")[0]
_ARG_CONSTRAINTS = {}  # a library distribution class -> its arg_constraints as imported


def reset_class_tables():
    """Each library distribution's `arg_constraints` as imported: the table is a class's dict,
    which a program can change (`d.arg_constraints["x"] = 1` breaks every later Normal, as in
    PyTorch), and a change must not outlive the program into the next session."""
    for cls, table in _ARG_CONSTRAINTS.items():
        current = cls.__dict__["arg_constraints"]
        current.clear()  # (no comparison: a program's value there would run its __eq__)
        current.update(table)


class Distribution(metaclass=TorchClass):
    """A probability distribution over tensors of shape batch_shape + event_shape.

    Subclasses list in `_expand_params` each parameter attribute with the number of trailing
    (event) dimensions it keeps when the batch shape is expanded; `_expand_copy` names plain
    attributes a copy shares, `_expand_inner` distributions it holds (expanded in turn). The
    generic expand() reads the three."""

    has_rsample = False
    has_enumerate_support = False
    _validate_args = True
    _expand_params = None  # a distribution without the table has no expand (as PyTorch)
    _expand_copy = ()
    _expand_inner = ()  # attributes holding distributions, expanded along

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("arg_constraints")
        if type(table) is dict and cls.__module__.partition(".")[0] == _PACKAGE:
            _ARG_CONSTRAINTS[cls] = dict(table)  # as imported (reset_class_tables)

    @staticmethod
    def set_default_validate_args(value):
        if value is not True and value is not False:
            raise ValueError
        Distribution._validate_args = value

    def __init__(self, batch_shape=torch.Size(), event_shape=torch.Size(), validate_args=None):
        self._batch_shape, self._event_shape = batch_shape, event_shape
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            self._check_arguments()

    def _check_arguments(self):
        try:
            table = self.arg_constraints
        except NotImplementedError:
            table = {}
            warnings.warn(f"{type(self)} does not define `arg_constraints`. Please set "
                          "`arg_constraints = {}` or initialize the distribution with "
                          "`validate_args=False` to turn off validation.", stacklevel=3)
        for name, constraint in table.items():
            if constraints.is_dependent(constraint) or _not_yet_computed(self, name):
                continue
            value = getattr(self, name)
            if not _holds(constraint.check(value)):
                raise ValueError(f"Expected parameter {_described(name, value)} of distribution "
                                 f"{self!r} to satisfy the constraint {constraint!r}, but found "
                                 f"invalid values:\n{value}")

    batch_shape = property(lambda self: self._batch_shape)
    event_shape = property(lambda self: self._event_shape)

    @property
    def arg_constraints(self):
        raise NotImplementedError

    @property
    def support(self):
        raise NotImplementedError

    @property
    def mean(self):
        raise NotImplementedError

    @property
    def mode(self):
        raise NotImplementedError(f"{type(self)} does not implement mode")

    @property
    def variance(self):
        raise NotImplementedError

    @property
    def stddev(self):
        return self.variance.sqrt()

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=torch.Size()):
        raise NotImplementedError

    def sample_n(self, n):
        warnings.warn("`sample_n(n)` will be deprecated. Use `sample((n,))` instead.",
                      FutureWarning, stacklevel=2)
        return self.sample(torch.Size((n,)))

    def log_prob(self, value):
        raise NotImplementedError

    def cdf(self, value):
        raise NotImplementedError

    def icdf(self, value):
        raise NotImplementedError

    def enumerate_support(self, expand=True):
        raise NotImplementedError

    def entropy(self):
        raise NotImplementedError

    def perplexity(self):
        return torch.exp(self.entropy())

    def expand(self, batch_shape, _instance=None):
        if self._expand_params is None:
            raise NotImplementedError
        owner = next(c for c in type(self).__mro__ if "_expand_params" in c.__dict__)
        new = self._get_checked_instance(owner, _instance)
        batch_shape = torch.Size(batch_shape)
        for name, event_dims in self._expand_params.items():
            if name in self.__dict__:
                value = getattr(self, name)
                tail = value.shape[value.dim() - event_dims:] if event_dims else ()
                setattr(new, name, value.expand(batch_shape + tail))
        for name in self._expand_copy:
            setattr(new, name, getattr(self, name))
        for name in self._expand_inner:
            # an inner distribution keeps the batch dims it has beyond ours (event dims here)
            inner = getattr(self, name)
            extra = inner.batch_shape[len(self._batch_shape):]
            setattr(new, name, inner.expand(batch_shape + extra))
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _extended_shape(self, sample_shape=torch.Size()):
        return torch.Size(tuple(sample_shape)) + self._batch_shape + self._event_shape

    def _validate_sample(self, value):
        if not isinstance(value, torch.Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        got, event = value.size(), self._event_shape
        if got[len(got) - len(event):] != event:
            raise ValueError(f"The right-most size of value must match event_shape: "
                             f"{got} vs {event}.")
        want = self._batch_shape + event
        if any(a != b and 1 not in (a, b) for a, b in zip(got[::-1], want[::-1])):
            raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: "
                             f"{got} vs {want}.")
        support = self.support
        if not _holds(support.check(value)):
            raise ValueError(f"Expected value argument ({type(value).__name__} of shape "
                             f"{tuple(value.shape)}) to be within the support ({support!r}) of "
                             f"the distribution {self!r}, but found invalid values:\n{value}")

    def _get_checked_instance(self, cls, _instance=None):
        if _instance is not None:
            return _instance
        if type(self).__init__ != cls.__init__:
            raise NotImplementedError(
                f"Subclass {type(self).__name__} of {cls.__name__} that defines a custom "
                "__init__ method must also define a custom .expand() method.")
        return type(self).__new__(type(self))

    def __repr__(self):
        def shown(t):
            return t if t.numel() == 1 else t.size()
        given = [(k, self.__dict__[k]) for k in self.arg_constraints if k in self.__dict__]
        return f"{type(self).__name__}({', '.join(f'{k}: {shown(v)}' for k, v in given)})"


class ExponentialFamily(Distribution):
    """The family Normal and Bernoulli belong to (kl_divergence dispatches on it)."""
