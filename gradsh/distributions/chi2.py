"""torch.distributions.Chi2(df): Gamma(df / 2, 1 / 2), the sum of df squared standard
normals."""

from . import constraints
from .distribution import broadcast_all
from .gamma import Gamma

__all__ = ["Chi2"]


class Chi2(Gamma):
    arg_constraints = {"df": constraints.positive}
    _expand_params = {"concentration": 0, "rate": 0}

    def __init__(self, df, validate_args=None):
        (df,) = broadcast_all(df)
        half = df * 0.5
        super().__init__(half, 0.5, validate_args=validate_args)

    df = property(lambda self: self.concentration * 2)
