"""torch.distributions.StudentT(df, loc, scale): a standard normal over sqrt(chi2(df) / df),
shifted and scaled. A draw takes the normals first, then the chi-square draws (as
Gamma(df / 2, 1 / 2)), the order PyTorch's draws come in."""

import math

from .. import _api as torch
from . import constraints
from .chi2 import Chi2
from .distribution import Distribution, checked, take_params

__all__ = ["StudentT"]

_HALF_LOG_PI = 0.5 * math.log(math.pi)


class StudentT(Distribution):
    arg_constraints = {"df": constraints.positive, "loc": constraints.real,
                       "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _expand_params = {"df": 0, "loc": 0, "scale": 0}
    _expand_inner = ("_chi2",)  # (expanded: its draws take the new batch shape, as PyTorch)

    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None):
        batch = take_params(self, df=df, loc=loc, scale=scale)
        self._chi2 = Chi2(self.df)  # validated first, as PyTorch's is
        super().__init__(batch, validate_args=validate_args)

    @property
    def mean(self):
        out = self.loc.clone()
        out[self.df <= 1] = math.nan  # no mean with one degree of freedom or fewer
        return out

    mode = property(lambda self: self.loc)

    @property
    def variance(self):
        df = self.df
        out = df.clone()
        big = df > 2
        out[big] = self.scale[big].pow(2) * df[big] / (df[big] - 2)
        out[(df <= 2) & (df > 1)] = math.inf
        out[df <= 1] = math.nan
        return out

    def rsample(self, sample_shape=torch.Size()):
        normal = torch.empty(self._extended_shape(sample_shape), dtype=self.df.dtype).normal_()
        chi2 = self._chi2.rsample(sample_shape)
        return self.loc + self.scale * (normal * torch.rsqrt(chi2 / self.df))

    def log_prob(self, value):
        y = (checked(self, value) - self.loc) / self.scale
        df = self.df
        log_norm = (self.scale.log() + 0.5 * df.log() + _HALF_LOG_PI
                    + torch.lgamma(0.5 * df) - torch.lgamma(0.5 * (df + 1.0)))
        return -0.5 * (df + 1.0) * torch.log1p(y ** 2.0 / df) - log_norm

    def entropy(self):
        df = self.df
        log_beta = torch.lgamma(0.5 * df) + math.lgamma(0.5) - torch.lgamma(0.5 * (df + 1))
        spread = torch.digamma(0.5 * (df + 1)) - torch.digamma(0.5 * df)
        return self.scale.log() + 0.5 * (df + 1) * spread + 0.5 * df.log() + log_beta
