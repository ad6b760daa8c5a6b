"""torch.distributions.Bernoulli: 1 with probability `probs`, else 0; given by probs or by
logits (the other is derived on first read)."""

import math

from .. import _api as torch
from . import constraints
from .distribution import (ExponentialFamily, batch_shape_of, broadcast_all, lazy_property,
                           logits_to_probs, probs_to_logits)

__all__ = ["Bernoulli"]


def one_parameter(probs, logits):
    """The name and value of whichever of probs/logits was given (exactly one must be)."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
    return ("probs", probs) if logits is None else ("logits", logits)


class BinaryParameter:
    """The probs/logits pair of a two-outcome family (Bernoulli, NegativeBinomial, the relaxed
    Bernoulli): the one given is kept under its name (`_given`), the other derived on first
    read."""

    _param = property(lambda self: self.__dict__[self._given])
    param_shape = property(lambda self: self._param.size())

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)


class Bernoulli(BinaryParameter, ExponentialFamily):
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True
    _expand_params = {"probs": 0, "logits": 0}
    _expand_copy = ("_given",)

    def __init__(self, probs=None, logits=None, validate_args=None):
        name, given = one_parameter(probs, logits)
        (self.__dict__[name],) = broadcast_all(given)
        self._given = name
        super().__init__(batch_shape_of((given,), self._param), validate_args=validate_args)


    mean = property(lambda self: self.probs)
    variance = property(lambda self: self.probs * (1 - self.probs))

    @property
    def mode(self):
        p = self.probs
        out = (p >= 0.5).to(p)
        out[p == 0.5] = math.nan  # both outcomes equally likely
        return out

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            return torch.bernoulli(self.probs.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        # log p(x) = -BCE(logits, x), stable for large |logits|
        logits, x = broadcast_all(self.logits, value)
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        return -bce(logits, x, reduction="none")

    def entropy(self):
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        return bce(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand=True):
        outcomes = torch.arange(2, dtype=self._param.dtype)
        return _outcomes_over_batch(outcomes, self._batch_shape, expand)


def _outcomes_over_batch(outcomes, batch_shape, expand):
    """The outcomes along a new first dim, broadcast (or expanded) over the batch shape."""
    shaped = outcomes.view((-1,) + (1,) * len(batch_shape))
    return shaped.expand((-1,) + tuple(batch_shape)) if expand else shaped
