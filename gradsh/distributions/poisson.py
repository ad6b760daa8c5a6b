"""torch.distributions.Poisson: counts k >= 0 with probability rate^k e^(-rate) / k!. Draws by
torch.poisson (PyTorch's draws under manual_seed); no reparameterized sample."""

from .. import _api as torch
from . import constraints
from .distribution import ExponentialFamily, batch_shape_of, broadcast_all, checked

__all__ = ["Poisson"]


class Poisson(ExponentialFamily):
    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer
    _expand_params = {"rate": 0}

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate)
        super().__init__(batch_shape_of((rate,), self.rate), validate_args=validate_args)

    mean = property(lambda self: self.rate)
    mode = property(lambda self: self.rate.floor())
    variance = property(lambda self: self.rate)

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            return torch.poisson(self.rate.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        k = checked(self, value)
        rate, k = broadcast_all(self.rate, k)
        return k.xlogy(rate) - rate - (k + 1).lgamma()
