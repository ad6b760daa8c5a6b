"""torch.distributions.Normal: the Gaussian of mean `loc` and standard deviation `scale`.
The float operations run in PyTorch's order, so the last digits match its output."""

import math

from .. import _api as torch
from . import constraints
from .distribution import ExponentialFamily, batch_shape_of, broadcast_all, standard_normal

__all__ = ["Normal"]

_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))
_ENTROPY_CONSTANT = 0.5 + 0.5 * math.log(2 * math.pi)
_SQRT2 = math.sqrt(2)


class Normal(ExponentialFamily):
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _expand_params = {"loc": 0, "scale": 0}

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(batch_shape_of((loc, scale), self.loc), validate_args=validate_args)

    mean = property(lambda self: self.loc)
    mode = property(lambda self: self.loc)
    stddev = property(lambda self: self.scale)
    variance = property(lambda self: self.scale.pow(2))

    def _checked(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return value

    def sample(self, sample_shape=torch.Size()):
        shape = self._extended_shape(sample_shape)
        with torch.no_grad():
            return torch.normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape=torch.Size()):
        noise = standard_normal(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        return self.loc + noise * self.scale

    def log_prob(self, value):
        x = self._checked(value)
        sq_dist = (x - self.loc) ** 2
        return -sq_dist / (2 * self.scale ** 2) - self.scale.log() - _LOG_SQRT_2PI

    def cdf(self, value):
        z = (self._checked(value) - self.loc) * self.scale.reciprocal()
        return 0.5 * (1 + torch.erf(z / _SQRT2))

    def icdf(self, value):
        return self.loc + self.scale * torch.erfinv(2 * value - 1) * _SQRT2

    def entropy(self):
        return _ENTROPY_CONSTANT + torch.log(self.scale)
