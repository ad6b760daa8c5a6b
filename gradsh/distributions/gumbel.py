"""torch.distributions.Gumbel(loc, scale): loc - scale * log(-log(u)) for a uniform u in
[tiny, 1 - eps), built as PyTorch builds it (a TransformedDistribution of that Uniform
through log, negation, log, and the affine map loc - scale * x), with its own log_prob."""

import math

from .. import _api as torch
from . import constraints
from .distribution import batch_shape_of, broadcast_all, checked
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .uniform import Uniform

__all__ = ["Gumbel"]

_EULER = 0.57721566490153286060


class Gumbel(TransformedDistribution):
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        info = torch.finfo(self.loc.dtype)
        shape = batch_shape_of((loc, scale), self.loc)
        base = Uniform(torch.full(shape, info.tiny, dtype=self.loc.dtype),
                       torch.full(shape, 1 - info.eps, dtype=self.loc.dtype),
                       validate_args=validate_args)
        log = ExpTransform().inv
        steps = [log, AffineTransform(loc=0, scale=-torch.ones_like(self.scale)), log,
                 AffineTransform(loc=self.loc, scale=-self.scale)]
        super().__init__(base, steps, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Gumbel, _instance)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        return super().expand(batch_shape, _instance=new)

    def log_prob(self, value):
        z = (self.loc - checked(self, value)) / self.scale
        return (z - z.exp()) - self.scale.log()

    mean = property(lambda self: self.loc + self.scale * _EULER)
    mode = property(lambda self: self.loc)
    stddev = property(lambda self: (math.pi / math.sqrt(6)) * self.scale)
    variance = property(lambda self: self.stddev.pow(2))

    def entropy(self):
        return self.scale.log() + (1 + _EULER)
