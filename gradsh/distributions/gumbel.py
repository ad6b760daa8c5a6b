"""torch.distributions.Gumbel(loc, scale): loc - scale * log(-log(u)) for a uniform u in
[tiny, 1 - eps), built as PyTorch builds it (a TransformedDistribution of that Uniform
through log, negation, log, and the affine map loc - scale * x), with its own log_prob."""

import math

from .. import _api as torch
from . import constraints
from .distribution import checked, take_params
from .transformed_distribution import TransformedDistribution
from .transforms import AffineTransform, ExpTransform
from .uniform import Uniform

__all__ = ["Gumbel"]

_EULER = 0.57721566490153286060
_SD_PER_SCALE = math.pi / math.sqrt(6)


class Gumbel(TransformedDistribution):
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    _expand_params = {"loc": 0, "scale": 0}

    def __init__(self, loc, scale, validate_args=None):
        batch = take_params(self, loc=loc, scale=scale)
        info = torch.finfo(self.loc.dtype)
        ends = [torch.full(batch, v, dtype=self.loc.dtype) for v in (info.tiny, 1 - info.eps)]
        log = ExpTransform().inv
        steps = [log, AffineTransform(loc=0, scale=-torch.ones_like(self.scale)), log,
                 AffineTransform(loc=self.loc, scale=-self.scale)]
        super().__init__(Uniform(*ends, validate_args=validate_args), steps,
                         validate_args=validate_args)

    def log_prob(self, value):
        z = (self.loc - checked(self, value)) / self.scale
        return (z - z.exp()) - self.scale.log()

    mean = property(lambda self: self.loc + self.scale * _EULER)
    mode = property(lambda self: self.loc)
    stddev = property(lambda self: _SD_PER_SCALE * self.scale)
    variance = property(lambda self: self.stddev.pow(2))

    def entropy(self):
        return self.scale.log() + (1 + _EULER)
