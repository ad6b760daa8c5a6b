"""torch.distributions.ContinuousBernoulli (Loaiza-Ganem and Cunningham, 2019): density
C(p) p^x (1 - p)^(1 - x) on [0, 1], with normalizer C(p) = 2 atanh(1 - 2p) / (1 - 2p). Near
p = 1/2 the closed forms cancel, so inside `lims` (0.499, 0.501 by default) the normalizer,
mean and variance are their Taylor expansions in (p - 1/2)^2, and cdf/icdf the uniform's.
probs are kept one machine epsilon inside (0, 1) (before validation, as PyTorch). Draws are
icdf of torch.rand (PyTorch's under manual_seed)."""

import math

from .. import _api as torch
from . import constraints
from .bernoulli import BinaryParameter, one_parameter
from .distribution import (ExponentialFamily, batch_shape_of, broadcast_all, checked, clamp_probs,
                           lazy_property, logits_to_probs)

__all__ = ["ContinuousBernoulli"]


class ContinuousBernoulli(BinaryParameter, ExponentialFamily):
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.unit_interval
    has_rsample = True
    _expand_params = {"probs": 0, "logits": 0}
    _expand_copy = ("_given", "_lims")

    def __init__(self, probs=None, logits=None, lims=(0.499, 0.501), validate_args=None):
        name, given = one_parameter(probs, logits)
        (value,) = broadcast_all(given)
        self.__dict__[name] = clamp_probs(value) if name == "probs" else value
        self._given, self._lims = name, lims
        super().__init__(batch_shape_of((given,), value), validate_args=validate_args)

    @lazy_property
    def probs(self):  # (kept inside (0, 1), unlike Bernoulli's)
        return clamp_probs(logits_to_probs(self.logits, is_binary=True))

    def _outside(self):
        """Where p is far enough from 1/2 for the closed forms."""
        p = self.probs
        return (p <= self._lims[0]) | (p >= self._lims[1])

    def _cut_probs(self):
        """p where the closed forms hold, a harmless stand-in inside lims (keeps their
        gradients finite where torch.where discards them)."""
        return torch.where(self._outside(), self.probs, self._lims[0] * torch.ones_like(self.probs))

    def _log_normalizer(self):
        p = self._cut_probs()
        below = p <= 0.5
        # log |1 - 2p| on whichever side keeps its argument accurate
        log_gap = torch.where(below, torch.log1p(-2 * torch.where(below, p, torch.zeros_like(p))),
                              torch.log(2 * torch.where(p >= 0.5, p, torch.ones_like(p)) - 1))
        closed = torch.log(torch.abs(torch.log1p(-p) - torch.log(p))) - log_gap
        x = torch.pow(self.probs - 0.5, 2)
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return torch.where(self._outside(), closed, taylor)

    @property
    def mean(self):
        p = self._cut_probs()
        closed = p / (2.0 * p - 1.0) + 1.0 / (torch.log1p(-p) - torch.log(p))
        d = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * torch.pow(d, 2)) * d
        return torch.where(self._outside(), closed, taylor)

    @property
    def variance(self):
        p = self._cut_probs()
        closed = (p * (p - 1.0) / torch.pow(1.0 - 2.0 * p, 2)
                  + 1.0 / torch.pow(torch.log1p(-p) - torch.log(p), 2))
        x = torch.pow(self.probs - 0.5, 2)
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return torch.where(self._outside(), closed, taylor)

    def rsample(self, sample_shape=torch.Size()):
        u = torch.rand(self._extended_shape(sample_shape), dtype=self.probs.dtype)
        return self.icdf(u)

    def log_prob(self, value):
        value = checked(self, value)
        logits, value = broadcast_all(self.logits, value)
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        return -bce(logits, value, reduction="none") + self._log_normalizer()

    def cdf(self, value):
        value = checked(self, value)
        p = self._cut_probs()
        closed = (torch.pow(p, value) * torch.pow(1.0 - p, 1.0 - value) + p - 1.0) / (2.0 * p - 1.0)
        unbounded = torch.where(self._outside(), closed, value)
        return torch.where(value <= 0.0, torch.zeros_like(value),
                           torch.where(value >= 1.0, torch.ones_like(value), unbounded))

    def icdf(self, value):
        p = self._cut_probs()
        closed = ((torch.log1p(-p + value * (2.0 * p - 1.0)) - torch.log1p(-p))
                  / (torch.log(p) - torch.log1p(-p)))
        return torch.where(self._outside(), closed, value)

    def entropy(self):
        log_q, log_p = torch.log1p(-self.probs), torch.log(self.probs)
        return self.mean * (log_q - log_p) - self._log_normalizer() - log_q
