"""torch.distributions.Cauchy: the ratio of two standard normals, shifted by loc and scaled;
no mean or variance. Draws by the generator's cauchy_ (PyTorch's under manual_seed)."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, checked, take_params

__all__ = ["Cauchy"]

_LOG_PI = math.log(math.pi)
_LOG_4PI = math.log(4 * math.pi)


class Cauchy(Distribution):
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _expand_params = {"loc": 0, "scale": 0}

    def __init__(self, loc, scale, validate_args=None):
        batch = take_params(self, loc=loc, scale=scale)
        super().__init__(batch, validate_args=validate_args)

    def _filled(self, value):
        return torch.full(self._extended_shape(), value, dtype=self.loc.dtype)

    mean = property(lambda self: self._filled(math.nan))
    mode = property(lambda self: self.loc)
    variance = property(lambda self: self._filled(math.inf))

    def rsample(self, sample_shape=torch.Size()):
        standard = torch.empty(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        return self.loc + standard.cauchy_() * self.scale

    def _z(self, value):
        return (checked(self, value) - self.loc) / self.scale

    def log_prob(self, value):
        return -_LOG_PI - self.scale.log() - self._z(value).pow(2).log1p()

    def cdf(self, value):
        return torch.atan(self._z(value)) / math.pi + 0.5

    def icdf(self, value):
        standard = torch.tan(math.pi * (value - 0.5))
        return standard * self.scale + self.loc

    def entropy(self):
        return _LOG_4PI + self.scale.log()
