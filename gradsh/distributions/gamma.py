"""torch.distributions.Gamma(concentration, rate): density x^(c-1) e^(-rate x) rate^c / Gamma(c).
Draws divide a standard gamma draw (standard_gamma: PyTorch's Marsaglia-Tsang draws, with an
implicit reparameterization gradient for the concentration) by the rate."""

from .. import _api as torch
from ..core.ops.sampling import standard_gamma
from . import constraints
from .distribution import ExponentialFamily, checked, take_params

__all__ = ["Gamma"]


class Gamma(ExponentialFamily):
    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.greater_than_eq(0.0)
    has_rsample = True
    _expand_params = {"concentration": 0, "rate": 0}

    def __init__(self, concentration, rate, validate_args=None):
        batch = take_params(self, concentration=concentration, rate=rate)
        super().__init__(batch, validate_args=validate_args)

    mean = property(lambda self: self.concentration / self.rate)
    mode = property(lambda self: ((self.concentration - 1) / self.rate).clamp(min=0))
    variance = property(lambda self: self.concentration / self.rate.pow(2))

    def rsample(self, sample_shape=torch.Size()):
        full = self._extended_shape(sample_shape)
        draw = standard_gamma(self.concentration.expand(full)) / self.rate.expand(full)
        # a draw that underflowed to 0 is raised to the smallest normal number, outside the graph
        draw.detach().clamp_(min=torch.finfo(draw.dtype).tiny)
        return draw

    def log_prob(self, value):
        x = checked(self, torch.as_tensor(value, dtype=self.rate.dtype))
        c, r = self.concentration, self.rate
        return torch.xlogy(c, r) + torch.xlogy(c - 1, x) - r * x - torch.lgamma(c)

    def cdf(self, value):
        x = checked(self, value)
        return torch.special.gammainc(self.concentration, self.rate * x)

    def entropy(self):
        c = self.concentration
        return c - torch.log(self.rate) + torch.lgamma(c) + (1.0 - c) * torch.digamma(c)
