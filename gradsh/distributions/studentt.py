"""torch.distributions.StudentT(df, loc, scale): a standard normal over sqrt(chi2(df) / df),
shifted and scaled. A draw takes the normals first, then the chi-square draws (as
Gamma(df / 2, 1 / 2)), the order PyTorch's draws come in."""

import math

from .. import _api as torch
from . import constraints
from .chi2 import Chi2
from .distribution import Distribution, batch_shape_of, broadcast_all, checked

__all__ = ["StudentT"]


class StudentT(Distribution):
    arg_constraints = {"df": constraints.positive, "loc": constraints.real,
                       "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _expand_params = {"df": 0, "loc": 0, "scale": 0}
    _expand_copy = ("_chi2",)

    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None):
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df)  # validated first, as PyTorch's is
        super().__init__(batch_shape_of((df, loc, scale), self.df), validate_args=validate_args)

    @property
    def mean(self):
        m = self.loc.clone(memory_format=torch.contiguous_format)
        m[self.df <= 1] = math.nan  # no mean with one degree of freedom or fewer
        return m

    mode = property(lambda self: self.loc)

    @property
    def variance(self):
        m = self.df.clone(memory_format=torch.contiguous_format)
        finite = self.df > 2
        m[finite] = self.scale[finite].pow(2) * self.df[finite] / (self.df[finite] - 2)
        m[(self.df <= 2) & (self.df > 1)] = math.inf
        m[self.df <= 1] = math.nan
        return m

    def rsample(self, sample_shape=torch.Size()):
        shape = self._extended_shape(sample_shape)
        x = torch.empty(shape, dtype=self.df.dtype).normal_()
        chi2 = self._chi2.rsample(sample_shape)
        return self.loc + self.scale * (x * torch.rsqrt(chi2 / self.df))

    def log_prob(self, value):
        y = (checked(self, value) - self.loc) / self.scale
        df = self.df
        z = (self.scale.log() + 0.5 * df.log() + 0.5 * math.log(math.pi)
             + torch.lgamma(0.5 * df) - torch.lgamma(0.5 * (df + 1.0)))
        return -0.5 * (df + 1.0) * torch.log1p(y ** 2.0 / df) - z

    def entropy(self):
        df = self.df
        log_beta = torch.lgamma(0.5 * df) + math.lgamma(0.5) - torch.lgamma(0.5 * (df + 1))
        return (self.scale.log() + 0.5 * (df + 1) * (torch.digamma(0.5 * (df + 1))
                                                   - torch.digamma(0.5 * df))
                + 0.5 * df.log() + log_beta)
