"""torch.distributions.VonMises: the circular normal on [-pi, pi), density
exp(k cos(x - loc)) / (2 pi I0(k)). Draws by Best and Fisher's (1979) rejection sampler in
float64, three uniforms per round per element until every element has accepted (PyTorch's
stream use under manual_seed); log I0 and log I1 by the polynomial approximations of
Abramowitz and Stegun 9.8.1-9.8.4, as PyTorch evaluates them (so densities agree to the
digit, approximation error included)."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, checked, lazy_property, take_params

__all__ = ["VonMises"]

# Abramowitz & Stegun 9.8.1/9.8.3 (in (x / 3.75)^2, below 3.75) and 9.8.2/9.8.4 (in 3.75 / x,
# times sqrt(x) exp(-x), above), lowest power first
_SMALL = {0: [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813],
          1: [0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411]}
_LARGE = {0: [0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706,
              0.02635537, -0.01647633, 0.00392377],
          1: [0.39894228, -0.03988024, -0.00362018, 0.00163801, -0.01031555, 0.02282967,
              -0.02895312, 0.01787654, -0.00420059]}


def _horner(y, coefficients):
    out = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        out = c + y * out
    return out


def log_bessel_i(x, order):
    """log I_order(x) for x > 0, order 0 or 1, by A&S's polynomials (relative error < 2e-7)."""
    y = x / 3.75
    small = _horner(y * y, _SMALL[order])
    if order == 1:
        small = x.abs() * small
    large = x - 0.5 * x.log() + _horner(3.75 / x, _LARGE[order]).log()
    return torch.where(x < 3.75, small.log(), large)


class VonMises(Distribution):
    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real
    has_rsample = False
    _expand_params = {"loc": 0, "concentration": 0}

    def __init__(self, loc, concentration, validate_args=None):
        batch = take_params(self, loc=loc, concentration=concentration)
        super().__init__(batch, validate_args=validate_args)

    def log_prob(self, value):
        value = checked(self, value)
        out = self.concentration * torch.cos(value - self.loc)
        return out - math.log(2 * math.pi) - log_bessel_i(self.concentration, 0)

    @lazy_property
    def _proposal_r(self):
        """Best and Fisher's r = (1 + rho^2) / (2 rho), in float64; 1/k + k for tiny k, where
        the closed form cancels."""
        k = self.concentration.double()
        tau = 1 + (1 + 4 * k.pow(2)).sqrt()
        rho = (tau - (2 * tau).sqrt()) / (2 * k)
        return torch.where(k < 1e-5, 1 / k + k, (1 + rho.pow(2)) / (2 * rho))

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            shape = self._extended_shape(sample_shape)
            k, r = self.concentration.double(), self._proposal_r
            angle = torch.zeros(shape, dtype=torch.float64)
            done = torch.zeros(shape, dtype=torch.bool)
            while not done.all():
                u1, u2, u3 = torch.rand((3,) + tuple(shape), dtype=torch.float64).unbind()
                z = torch.cos(math.pi * u1)
                f = (1 + r * z) / (r + z)
                c = k * (r - f)
                accept = ((c * (2 - c) - u2) > 0) | ((c / u2).log() + 1 - c >= 0)
                if accept.any():
                    angle = torch.where(accept, (u3 - 0.5).sign() * f.acos(), angle)
                    done = done | accept
            wrapped = (angle + math.pi + self.loc.double()) % (2 * math.pi) - math.pi
            return wrapped.to(self.loc.dtype)

    mean = property(lambda self: self.loc)
    mode = property(lambda self: self.loc)

    @lazy_property
    def variance(self):
        k = self.concentration
        return 1 - (log_bessel_i(k, 1) - log_bessel_i(k, 0)).exp()
