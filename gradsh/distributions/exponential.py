"""torch.distributions.Exponential: density rate * exp(-rate * x) on x >= 0; draws by the
generator's exponential_ (so they are PyTorch's under manual_seed), divided by the rate."""

from .. import _api as torch
from . import constraints
from .distribution import ExponentialFamily, batch_shape_of, broadcast_all, checked

__all__ = ["Exponential"]


class Exponential(ExponentialFamily):
    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _expand_params = {"rate": 0}

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate)
        super().__init__(batch_shape_of((rate,), self.rate), validate_args=validate_args)

    mean = property(lambda self: self.rate.reciprocal())
    mode = property(lambda self: torch.zeros_like(self.rate))
    stddev = property(lambda self: self.rate.reciprocal())
    variance = property(lambda self: self.rate.pow(-2))

    def rsample(self, sample_shape=torch.Size()):
        shape = self._extended_shape(sample_shape)
        return torch.empty(shape, dtype=self.rate.dtype).exponential_() / self.rate

    def log_prob(self, value):
        x = checked(self, value)
        return self.rate.log() - self.rate * x

    def cdf(self, value):
        return 1 - torch.exp(-self.rate * checked(self, value))

    def icdf(self, value):
        return -torch.log1p(-value) / self.rate

    def entropy(self):
        return 1.0 - torch.log(self.rate)
