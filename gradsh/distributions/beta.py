"""torch.distributions.Beta(concentration1, concentration0) on [0, 1]: the first coordinate
of a two-entry Dirichlet, which carries the parameters, draws and densities (so the repr
shows no parameters, as PyTorch's does)."""

import numbers

from .. import _api as torch
from . import constraints
from .dirichlet import Dirichlet
from .distribution import ExponentialFamily, broadcast_all, checked

__all__ = ["Beta"]


class Beta(ExponentialFamily):
    arg_constraints = {"concentration1": constraints.positive,
                       "concentration0": constraints.positive}
    support = constraints.interval(0.0, 1.0)
    has_rsample = True
    _expand_params = {}
    _expand_inner = ("_dirichlet",)

    def __init__(self, concentration1, concentration0, validate_args=None):
        pair = (concentration1, concentration0)
        if all(isinstance(c, numbers.Real) for c in pair):
            both = torch.tensor([float(c) for c in pair])  # default dtype, batch shape ()
        else:
            both = torch.stack(broadcast_all(*pair), -1)
        self._dirichlet = Dirichlet(both, validate_args=validate_args)
        super().__init__(both.shape[:-1], validate_args=validate_args)

    concentration1 = property(lambda self: self._dirichlet.concentration[..., 0])
    concentration0 = property(lambda self: self._dirichlet.concentration[..., 1])

    def _pair_sum(self):
        return self._dirichlet.concentration.sum(-1)

    mean = property(lambda self: self.concentration1 / self._pair_sum())
    mode = property(lambda self: self._dirichlet.mode[..., 0])

    @property
    def variance(self):
        n = self._pair_sum()
        return self.concentration1 * self.concentration0 / (n.pow(2) * (n + 1))

    def rsample(self, sample_shape=()):
        return self._dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob(self, value):
        x = checked(self, value)
        return self._dirichlet.log_prob(torch.stack([x, 1.0 - x], -1))

    def entropy(self):
        return self._dirichlet.entropy()
