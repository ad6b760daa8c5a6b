"""torch.distributions.GeneralizedPareto(loc, scale, concentration xi): survival function
(1 + xi z)^(-1/xi) for z = (x - loc) / scale (exp(-z) at xi = 0), support [loc, inf) for
xi >= 0 and [loc, loc - scale/xi] for xi < 0. Draws are icdf(torch.rand) (PyTorch's under
manual_seed). As PyTorch 2.13: xi counts as 0 where torch.isclose(xi, tensor(0.0)) holds
(|xi| <= 1e-8), which for float64 parameters makes log_prob and cdf raise PyTorch's
"Double did not match Float" (icdf compares with a zero of xi's dtype); log_prob and cdf do
not mask values outside the support (cdf is nan below loc); mean is nan for xi >= 1,
variance for xi >= 1/2."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, checked, take_params

__all__ = ["GeneralizedPareto"]


class GeneralizedPareto(Distribution):
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive,
                       "concentration": constraints.real}
    has_rsample = True
    _expand_params = {"loc": 0, "scale": 0, "concentration": 0}

    def __init__(self, loc, scale, concentration, validate_args=None):
        batch = take_params(self, loc=loc, scale=scale, concentration=concentration)
        super().__init__(batch, validate_args=validate_args)

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        xi = self.concentration
        upper = torch.where(xi < 0, self.loc - self.scale / xi, math.inf)
        return constraints.interval(self.loc, upper)

    def _near_zero(self):
        """Where xi is taken as 0, and xi with those places set to 1 (so nothing divides by
        zero there and their gradient is 0)."""
        xi = self.concentration
        zero = torch.isclose(xi, torch.tensor(0.0))
        return zero, torch.where(zero, torch.ones_like(xi), xi)

    def _log_survival(self, value):
        zero, xi = self._near_zero()
        z = (value - self.loc) / self.scale
        return torch.where(zero, -z, -torch.log1p(xi * z) / xi)

    def log_prob(self, value):
        value = checked(self, value)
        zero, xi = self._near_zero()
        z = (value - self.loc) / self.scale
        return -self.scale.log() - torch.where(zero, z, (1 / xi + 1) * torch.log1p(xi * z))

    def cdf(self, value):
        value = checked(self, value)
        return torch.exp(torch.log1p(-torch.exp(self._log_survival(value))))

    def icdf(self, value):
        xi = self.concentration
        zero = torch.isclose(xi, torch.zeros_like(xi))  # of xi's dtype here, as PyTorch's
        safe = torch.where(zero, torch.ones_like(xi), xi)
        log_tail = torch.log1p(-value)  # log(1 - u)
        return torch.where(zero, self.loc - self.scale * log_tail,
                           self.loc + self.scale / safe * torch.expm1(-safe * log_tail))

    def rsample(self, sample_shape=torch.Size()):
        u = torch.rand(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        return self.icdf(u)

    @property
    def mean(self):
        xi = self.concentration
        return torch.where(xi < 1, self.loc + self.scale / (1 - xi), math.nan)

    @property
    def variance(self):
        xi = self.concentration
        spread = self.scale.pow(2) / ((1 - xi).pow(2) * (1 - 2 * xi))
        return torch.where(xi < 0.5, spread, math.nan)

    mode = property(lambda self: self.loc)

    def entropy(self):
        return (self.scale.log() + self.concentration + 1).expand(self._batch_shape)
