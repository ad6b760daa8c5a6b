"""torch.distributions.Exponential: density rate * exp(-rate * x) on x >= 0; draws by the
generator's exponential_ (so they are PyTorch's under manual_seed), divided by the rate."""

from .. import _api as torch
from . import constraints
from .distribution import ExponentialFamily, checked, take_params

__all__ = ["Exponential"]


class Exponential(ExponentialFamily):
    arg_constraints = {"rate": constraints.positive}
    support = constraints.greater_than_eq(0.0)
    has_rsample = True
    _expand_params = {"rate": 0}

    def __init__(self, rate, validate_args=None):
        batch = take_params(self, rate=rate)
        super().__init__(batch, validate_args=validate_args)

    mean = property(lambda self: self.rate.reciprocal())
    mode = property(lambda self: torch.zeros_like(self.rate))
    stddev = property(lambda self: self.rate.reciprocal())
    variance = property(lambda self: self.rate.pow(-2))

    def rsample(self, sample_shape=torch.Size()):
        unit = torch.empty(self._extended_shape(sample_shape), dtype=self.rate.dtype)
        return unit.exponential_() / self.rate

    def log_prob(self, value):
        x = checked(self, value)
        return self.rate.log() - self.rate * x

    def cdf(self, value):
        return 1 - torch.exp(-self.rate * checked(self, value))

    def icdf(self, value):
        # the quantile: x with 1 - exp(-rate x) = value
        survival_log = torch.log1p(-value)
        return -survival_log / self.rate

    def entropy(self):
        return 1.0 - self.rate.log()
