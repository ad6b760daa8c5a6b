"""torch.distributions.Poisson: counts k >= 0 with probability rate^k e^(-rate) / k!. Draws by
torch.poisson (PyTorch's draws under manual_seed); no reparameterized sample."""

from .. import _api as torch
from . import constraints
from .distribution import ExponentialFamily, broadcast_all, checked, take_params

__all__ = ["Poisson"]


class Poisson(ExponentialFamily):
    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer
    _expand_params = {"rate": 0}

    def __init__(self, rate, validate_args=None):
        super().__init__(take_params(self, rate=rate), validate_args=validate_args)

    mean = property(lambda self: self.rate)
    mode = property(lambda self: self.rate.floor())
    variance = property(lambda self: self.rate)

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            return torch.poisson(self.rate.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        rate, k = broadcast_all(self.rate, checked(self, value))
        # k log(rate) - rate - log(k!), with 0 log 0 = 0 at rate 0
        return k.xlogy(rate) - rate - (k + 1).lgamma()
