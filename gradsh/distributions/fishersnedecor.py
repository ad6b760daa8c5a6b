"""torch.distributions.FisherSnedecor(df1, df2): the ratio of two scaled chi-squares, drawn as
the ratio of two Gamma draws (PyTorch's order: the numerator's first)."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, broadcast_all, checked
from .gamma import Gamma

__all__ = ["FisherSnedecor"]


class FisherSnedecor(Distribution):
    arg_constraints = {"df1": constraints.positive, "df2": constraints.positive}
    support = constraints.positive
    has_rsample = True
    _expand_params = {"df1": 0, "df2": 0}
    _expand_inner = ("_gamma1", "_gamma2")

    def __init__(self, df1, df2, validate_args=None):
        self.df1, self.df2 = broadcast_all(df1, df2)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2)
        numbers = isinstance(df1, (int, float)) and isinstance(df2, (int, float))
        super().__init__(torch.Size() if numbers else self.df1.size(),
                         validate_args=validate_args)

    @property
    def mean(self):
        d2 = self.df2.clone(memory_format=torch.contiguous_format)
        d2[d2 <= 2] = math.nan
        return d2 / (d2 - 2)

    @property
    def mode(self):
        d1, d2 = self.df1, self.df2
        mode = (d1 - 2) / d1 * d2 / (d2 + 2)
        mode[d1 <= 2] = math.nan
        return mode

    @property
    def variance(self):
        d1 = self.df1
        d2 = self.df2.clone(memory_format=torch.contiguous_format)
        d2[d2 <= 4] = math.nan
        return 2 * d2.pow(2) * (d1 + d2 - 2) / (d1 * (d2 - 2).pow(2) * (d2 - 4))

    def rsample(self, sample_shape=torch.Size()):
        shape = self._extended_shape(sample_shape)
        top = self._gamma1.rsample(sample_shape).view(shape)
        bottom = self._gamma2.rsample(sample_shape).view(shape)
        tiny = torch.finfo(bottom.dtype).tiny
        bottom.clamp_(min=tiny)
        ratio = top / bottom
        ratio.clamp_(min=tiny)
        return ratio

    def log_prob(self, value):
        x = checked(self, value)
        h1, h2 = self.df1 * 0.5, self.df2 * 0.5
        log_beta = torch.lgamma(h1 + h2) - torch.lgamma(h1) - torch.lgamma(h2)
        return (log_beta + h1 * self.df1.log() + h2 * self.df2.log() + (h1 - 1) * torch.log(x)
                - (h1 + h2) * torch.log(self.df2 + self.df1 * x))
