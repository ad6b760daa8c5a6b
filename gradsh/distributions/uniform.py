"""torch.distributions.Uniform on [low, high): density 1 / (high - low) inside, 0 outside."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, batch_shape_of, broadcast_all

__all__ = ["Uniform"]


class Uniform(Distribution):
    has_rsample = True
    _expand_params = {"low": 0, "high": 0}

    def __init__(self, low, high, validate_args=None):
        self.low, self.high = broadcast_all(low, high)
        super().__init__(batch_shape_of((low, high), self.low), validate_args=validate_args)

    @property
    def arg_constraints(self):
        # each bound is checked against the other
        return {"low": constraints.less_than(self.high),
                "high": constraints.greater_than(self.low)}

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        return constraints.interval(self.low, self.high)

    def _width(self):
        return self.high - self.low

    mean = property(lambda self: (self.high + self.low) / 2)
    mode = property(lambda self: math.nan * self.high)  # every point is a mode
    stddev = property(lambda self: self._width() / 12 ** 0.5)
    variance = property(lambda self: self._width().pow(2) / 12)

    def rsample(self, sample_shape=torch.Size()):
        u = torch.rand(self._extended_shape(sample_shape), dtype=self.low.dtype)
        return self.low + u * self._width()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        # log(1) or log(0) times the indicator of [low, high), minus log of the width
        inside = (value >= self.low).type_as(self.low) * (value < self.high).type_as(self.low)
        return torch.log(inside) - torch.log(self._width())

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / self._width()).clamp(min=0, max=1)

    def icdf(self, value):
        return value * self._width() + self.low

    def entropy(self):
        return torch.log(self._width())
