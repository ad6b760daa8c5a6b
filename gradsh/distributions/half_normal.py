"""torch.distributions.HalfNormal(scale): |x| for x ~ Normal(0, scale), built as a
TransformedDistribution through AbsTransform (so isinstance and the repr are PyTorch's)."""

import math

from .. import _api as torch
from . import constraints
from .distribution import checked
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import AbsTransform

__all__ = ["HalfNormal"]

_LOG2 = math.log(2)


class HalfNormal(TransformedDistribution):
    arg_constraints = {"scale": constraints.positive}
    support = constraints.greater_than_eq(0.0)
    has_rsample = True
    _expand_params = {}

    def __init__(self, scale, validate_args=None):
        folded = Normal(0, scale, validate_args=False)
        super().__init__(folded, AbsTransform(), validate_args=validate_args)

    scale = property(lambda self: self.base_dist.scale)
    mean = property(lambda self: self.scale * math.sqrt(2 / math.pi))
    mode = property(lambda self: torch.zeros_like(self.scale))
    variance = property(lambda self: self.scale.pow(2) * (1 - 2 / math.pi))

    def log_prob(self, value):
        x = checked(self, value)
        # both signs fold onto x: twice the normal density, none below 0
        return torch.where(x >= 0, self.base_dist.log_prob(x) + _LOG2, -math.inf)

    def cdf(self, value):
        return 2 * self.base_dist.cdf(checked(self, value)) - 1

    def icdf(self, prob):
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self):
        return self.base_dist.entropy() - _LOG2
