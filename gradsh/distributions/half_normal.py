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


class HalfNormal(TransformedDistribution):
    arg_constraints = {"scale": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, scale, validate_args=None):
        base = Normal(0, scale, validate_args=False)
        super().__init__(base, AbsTransform(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(HalfNormal, _instance)
        return super().expand(batch_shape, _instance=new)

    scale = property(lambda self: self.base_dist.scale)
    mean = property(lambda self: self.scale * math.sqrt(2 / math.pi))
    mode = property(lambda self: torch.zeros_like(self.scale))
    variance = property(lambda self: self.scale.pow(2) * (1 - 2 / math.pi))

    def log_prob(self, value):
        x = checked(self, value)
        lp = self.base_dist.log_prob(x) + math.log(2)
        return torch.where(x >= 0, lp, -math.inf)

    def cdf(self, value):
        return 2 * self.base_dist.cdf(checked(self, value)) - 1

    def icdf(self, prob):
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self):
        return self.base_dist.entropy() - math.log(2)
