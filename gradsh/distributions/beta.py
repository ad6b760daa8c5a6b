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
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None):
        if all(isinstance(c, numbers.Real) for c in (concentration1, concentration0)):
            both = torch.tensor([float(concentration1), float(concentration0)])
        else:
            both = torch.stack(broadcast_all(concentration1, concentration0), -1)
        self._dirichlet = Dirichlet(both, validate_args=validate_args)
        super().__init__(self._dirichlet._batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Beta, _instance)
        batch_shape = torch.Size(batch_shape)
        new._dirichlet = self._dirichlet.expand(batch_shape)
        ExponentialFamily.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    concentration1 = property(lambda self: self._dirichlet.concentration[..., 0])
    concentration0 = property(lambda self: self._dirichlet.concentration[..., 1])

    mean = property(lambda self: self.concentration1 / (self.concentration1
                                                        + self.concentration0))
    mode = property(lambda self: self._dirichlet.mode[..., 0])

    @property
    def variance(self):
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape=()):
        return self._dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob(self, value):
        x = checked(self, value)
        return self._dirichlet.log_prob(torch.stack([x, 1.0 - x], -1))

    def entropy(self):
        return self._dirichlet.entropy()
