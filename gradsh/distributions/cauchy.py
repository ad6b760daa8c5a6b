"""torch.distributions.Cauchy: the ratio of two standard normals, shifted by loc and scaled;
no mean or variance. Draws by the generator's cauchy_ (PyTorch's under manual_seed)."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, batch_shape_of, broadcast_all, checked

__all__ = ["Cauchy"]


class Cauchy(Distribution):
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _expand_params = {"loc": 0, "scale": 0}

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(batch_shape_of((loc, scale), self.loc), validate_args=validate_args)

    def _filled(self, value):
        return torch.full(self._extended_shape(), value, dtype=self.loc.dtype)

    mean = property(lambda self: self._filled(math.nan))
    mode = property(lambda self: self.loc)
    variance = property(lambda self: self._filled(math.inf))

    def rsample(self, sample_shape=torch.Size()):
        shape = self._extended_shape(sample_shape)
        return self.loc + torch.empty(shape, dtype=self.loc.dtype).cauchy_() * self.scale

    def log_prob(self, value):
        z = (checked(self, value) - self.loc) / self.scale
        return -math.log(math.pi) - self.scale.log() - z.pow(2).log1p()

    def cdf(self, value):
        z = (checked(self, value) - self.loc) / self.scale
        return torch.atan(z) / math.pi + 0.5

    def icdf(self, value):
        return torch.tan(math.pi * (value - 0.5)) * self.scale + self.loc

    def entropy(self):
        return math.log(4 * math.pi) + self.scale.log()
