"""Distributions PyTorch builds by pushing a simpler one through transforms, each a
TransformedDistribution (so isinstance, the repr and the draws are PyTorch's under manual_seed):
Pareto (Exponential, exp, scale), Weibull (Exponential, power 1/k, scale), HalfCauchy (|Cauchy|),
InverseGamma (Gamma, power -1), Kumaraswamy (Uniform, power 1/b, 1 - u, power 1/a) and
LogisticNormal (Normal, stick-breaking onto the simplex)."""

import math

from .. import _api as torch
from . import constraints
from .cauchy import Cauchy
from .distribution import broadcast_all, checked
from .exponential import Exponential
from .gamma import Gamma
from .independent import Independent
from .normal import Normal
from .transformed_distribution import TransformedDistribution
from .transforms import (AbsTransform, AffineTransform, ExpTransform, PowerTransform,
                         StickBreakingTransform)
from .uniform import Uniform

__all__ = ["HalfCauchy", "InverseGamma", "Kumaraswamy", "LogisticNormal", "Pareto", "Weibull"]

_EULER = 0.57721566490153286060


class Pareto(TransformedDistribution):
    """Density alpha scale^alpha / x^(alpha + 1) for x >= scale."""
    arg_constraints = {"alpha": constraints.positive, "scale": constraints.positive}
    has_rsample = True
    _expand_params = {"scale": 0, "alpha": 0}

    def __init__(self, scale, alpha, validate_args=None):
        self.scale, self.alpha = broadcast_all(scale, alpha)
        steps = [ExpTransform(), AffineTransform(loc=0, scale=self.scale)]
        super().__init__(Exponential(self.alpha), steps, validate_args=validate_args)

    support = constraints.dependent_property(lambda self: constraints.greater_than_eq(self.scale))

    @property
    def mean(self):
        a = self.alpha.clamp(min=1)  # infinite for alpha <= 1
        return a * self.scale / (a - 1)

    mode = property(lambda self: self.scale)

    @property
    def variance(self):
        a = self.alpha.clamp(min=2)  # infinite for alpha <= 2
        return self.scale.pow(2) * a / ((a - 1).pow(2) * (a - 2))

    def entropy(self):
        return (self.scale / self.alpha).log() + (1 + self.alpha.reciprocal())


class Weibull(TransformedDistribution):
    """Density (k / s) (x / s)^(k - 1) exp(-(x / s)^k) for x > 0 (s the scale, k the
    concentration)."""
    arg_constraints = {"scale": constraints.positive, "concentration": constraints.positive}
    support = constraints.positive
    has_rsample = True
    _expand_params = {"scale": 0, "concentration": 0, "concentration_reciprocal": 0}

    def __init__(self, scale, concentration, validate_args=None):
        self.scale, self.concentration = broadcast_all(scale, concentration)
        self.concentration_reciprocal = self.concentration.reciprocal()
        base = Exponential(torch.ones_like(self.scale), validate_args=validate_args)
        steps = [PowerTransform(exponent=self.concentration_reciprocal),
                 AffineTransform(loc=0, scale=self.scale)]
        super().__init__(base, steps, validate_args=validate_args)

    @property
    def mean(self):
        return self.scale * torch.exp(torch.lgamma(1 + self.concentration_reciprocal))

    @property
    def mode(self):
        k = self.concentration
        return self.scale * ((k - 1) / k) ** k.reciprocal()

    @property
    def variance(self):
        g2 = torch.exp(torch.lgamma(1 + 2 * self.concentration_reciprocal))
        g1 = torch.exp(torch.lgamma(1 + self.concentration_reciprocal))
        return self.scale.pow(2) * (g2 - g1.pow(2))

    def entropy(self):
        k = self.concentration
        return _EULER * (1 - self.concentration_reciprocal) + torch.log(self.scale / k) + 1


class HalfCauchy(TransformedDistribution):
    """|x| for x ~ Cauchy(0, scale)."""
    arg_constraints = {"scale": constraints.positive}
    support = constraints.greater_than_eq(0.0)
    has_rsample = True
    _expand_params = {}

    def __init__(self, scale, validate_args=None):
        super().__init__(Cauchy(0, scale, validate_args=False), AbsTransform(),
                         validate_args=validate_args)

    scale = property(lambda self: self.base_dist.scale)
    mean = property(lambda self: torch.full(self._extended_shape(), math.inf,
                                            dtype=self.scale.dtype))
    mode = property(lambda self: torch.zeros_like(self.scale))
    variance = property(lambda self: self.base_dist.variance)

    def log_prob(self, value):
        x = torch.as_tensor(checked(self, value), dtype=self.base_dist.scale.dtype)
        # both signs fold onto x: twice the Cauchy density, none below 0
        density = self.base_dist.log_prob(x) + math.log(2)
        return torch.where(x >= 0, density, -math.inf)

    def cdf(self, value):
        return 2 * self.base_dist.cdf(checked(self, value)) - 1

    def icdf(self, prob):
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self):
        return self.base_dist.entropy() - math.log(2)


class InverseGamma(TransformedDistribution):
    """1 / x for x ~ Gamma(concentration, rate)."""
    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.positive
    has_rsample = True
    _expand_params = {}

    def __init__(self, concentration, rate, validate_args=None):
        base = Gamma(concentration, rate, validate_args=validate_args)
        neg_one = -base.rate.new_ones(())
        super().__init__(base, PowerTransform(neg_one), validate_args=validate_args)

    concentration = property(lambda self: self.base_dist.concentration)
    rate = property(lambda self: self.base_dist.rate)

    @property
    def mean(self):
        out = self.rate / (self.concentration - 1)
        return torch.where(self.concentration > 1, out, math.inf)

    mode = property(lambda self: self.rate / (self.concentration + 1))

    @property
    def variance(self):
        a = self.concentration
        out = self.rate.square() / ((a - 1).square() * (a - 2))
        return torch.where(a > 2, out, math.inf)

    def entropy(self):
        a = self.concentration
        return a + self.rate.log() + torch.lgamma(a) - (1 + a) * torch.digamma(a)


def _moment(a, b, n):
    """E[X^n] of Kumaraswamy(a, b): b B(1 + n / a, b), through lgamma."""
    arg = 1 + n / a
    return b * torch.exp(torch.lgamma(arg) + torch.lgamma(b) - torch.lgamma(arg + b))


class Kumaraswamy(TransformedDistribution):
    """Density a b x^(a - 1) (1 - x^a)^(b - 1) on (0, 1): (1 - u^(1/b))^(1/a) for u
    uniform (a = concentration1, b = concentration0)."""
    arg_constraints = {"concentration1": constraints.positive,
                       "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True
    _expand_params = {"concentration1": 0, "concentration0": 0}

    def __init__(self, concentration1, concentration0, validate_args=None):
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        base = Uniform(torch.full_like(self.concentration0, 0),
                       torch.full_like(self.concentration0, 1), validate_args=validate_args)
        steps = [PowerTransform(exponent=self.concentration0.reciprocal()),
                 AffineTransform(loc=1.0, scale=-1.0),
                 PowerTransform(exponent=self.concentration1.reciprocal())]
        super().__init__(base, steps, validate_args=validate_args)

    mean = property(lambda self: _moment(self.concentration1, self.concentration0, 1))

    @property
    def mode(self):
        # PyTorch 2.13's formula, kept for its numbers: it takes log1p(-b) where the mode
        # ((a - 1) / (a b - 1)) ** (1 / a) has log(a - 1), so it is nan wherever b > 1
        a, b = self.concentration1, self.concentration0
        log_mode = b.reciprocal() * (torch.log1p(-b) - torch.log(a * b - 1))
        log_mode[(a < 1) | (b < 1)] = math.nan
        return log_mode.exp()

    @property
    def variance(self):
        a, b = self.concentration1, self.concentration0
        return _moment(a, b, 2) - _moment(a, b, 1).pow(2)

    def entropy(self):
        # (1 - 1/b) + (1 - 1/a) H_b - log(a b), H_b the b-th harmonic number
        a_rec = self.concentration1.reciprocal()
        b_rec = self.concentration0.reciprocal()
        harmonic = torch.digamma(self.concentration0 + 1) + _EULER
        return ((1 - b_rec) + (1 - a_rec) * harmonic
                - torch.log(self.concentration1) - torch.log(self.concentration0))


class LogisticNormal(TransformedDistribution):
    """A point of the simplex: stick-breaking of x ~ Normal(loc, scale) (K normals make K+1
    shares)."""
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.simplex
    has_rsample = True
    _expand_params = {}

    def __init__(self, loc, scale, validate_args=None):
        base = Normal(loc, scale, validate_args=validate_args)
        if not base.batch_shape:
            base = base.expand([1])
        super().__init__(Independent(base, 1), StickBreakingTransform(),
                         validate_args=validate_args)

    loc = property(lambda self: self.base_dist.base_dist.loc)
    scale = property(lambda self: self.base_dist.base_dist.scale)
