"""torch.distributions.Laplace: density exp(-|x - loc| / scale) / (2 scale). A draw inverts
the CDF at a uniform u in (eps - 1, 1) (one generator draw per value, as PyTorch draws)."""

from .. import _api as torch
from . import constraints
from .distribution import Distribution, checked, take_params

__all__ = ["Laplace"]


class Laplace(Distribution):
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _expand_params = {"loc": 0, "scale": 0}

    def __init__(self, loc, scale, validate_args=None):
        batch = take_params(self, loc=loc, scale=scale)
        super().__init__(batch, validate_args=validate_args)

    mean = property(lambda self: self.loc)
    mode = property(lambda self: self.loc)
    stddev = property(lambda self: (2 ** 0.5) * self.scale)
    variance = property(lambda self: 2 * self.scale.pow(2))

    def rsample(self, sample_shape=torch.Size()):
        dtype = self.loc.dtype
        # u = -1 would be log1p(-1) = -inf: the open end stays one epsilon inside
        u = torch.empty(self._extended_shape(sample_shape), dtype=dtype)
        u = u.uniform_(torch.finfo(dtype).eps - 1, 1)
        return self.loc - self.scale * u.sign() * torch.log1p(-u.abs())

    def log_prob(self, value):
        x = checked(self, value)
        return -torch.log(2 * self.scale) - torch.abs(x - self.loc) / self.scale

    def cdf(self, value):
        d = checked(self, value) - self.loc
        return 0.5 - 0.5 * d.sign() * torch.expm1(-d.abs() / self.scale)

    def icdf(self, value):
        centered = value - 0.5
        return self.loc - self.scale * centered.sign() * torch.log1p(-2 * centered.abs())

    def entropy(self):
        two_b = 2 * self.scale
        return 1 + two_b.log()
