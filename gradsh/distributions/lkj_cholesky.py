"""torch.distributions.LKJCholesky(dim, concentration): lower Cholesky factors L of dim x dim
correlation matrices whose density is proportional to det(L L^T)^(concentration - 1) (the LKJ
distribution of Lewandowski, Kurowicka and Joe, 2009). Draws by the onion method, as PyTorch
documents it: row i of L is sqrt(y_i) times a uniform direction in its first i coordinates,
y_i a Beta draw (one Beta of dim entries, row 0's unused), the diagonal completing each row
to unit length. No rsample, as PyTorch."""

import math

from .. import _api as torch
from . import constraints
from .beta import Beta
from .distribution import Distribution, broadcast_all

__all__ = ["LKJCholesky"]


class LKJCholesky(Distribution):
    arg_constraints = {"concentration": constraints.positive}
    support = constraints.corr_cholesky
    _expand_params = {"concentration": 0}
    _expand_copy = ("dim",)
    _expand_inner = ("_beta",)

    def __init__(self, dim, concentration=1.0, validate_args=None):
        if dim < 2:
            raise ValueError(f"Expected dim to be an integer greater than or equal to 2. "
                             f"Found dim={dim}.")
        self.dim = dim
        (self.concentration,) = broadcast_all(concentration)
        batch_shape = self.concentration.size()
        event_shape = torch.Size((dim, dim))
        # row i's squared off-diagonal length (i >= 1): Beta(i - 1/2, c + (dim - 1 - i)/2),
        # the parameters PyTorch's LKJCholesky holds (observed: its _beta); row 0's is unused
        k = torch.arange(dim - 1, dtype=self.concentration.dtype)
        k = torch.cat([k.new_zeros((1,)), k])
        outer = (self.concentration + 0.5 * (dim - 2)).unsqueeze(-1) - 0.5 * k
        self._beta = Beta(k + 0.5, outer)
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            y = self._beta.sample(sample_shape).unsqueeze(-1)
            directions = torch.randn(self._extended_shape(sample_shape), dtype=y.dtype).tril(-1)
            directions = directions / directions.norm(dim=-1, keepdim=True)
            directions[..., 0, :] = 0.0  # (row 0 had no draws: 0 / 0)
            w = torch.sqrt(y) * directions
            tiny = torch.finfo(w.dtype).tiny
            diagonal = torch.clamp(1 - (w * w).sum(-1), min=tiny).sqrt()
            return w + torch.diag_embed(diagonal)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        n, c = self.dim, self.concentration
        # density of L: prod_{i >= 1} L_ii^(2 (c - 1) + n - 1 - i) (i counted from 0) over
        # the normalizer pi^((n-1)/2) Gamma_{n-1}(c + (n-2)/2) / Gamma(c + (n-1)/2)^(n-1)
        diagonal = value.diagonal(dim1=-2, dim2=-1)[..., 1:]
        powers = 2 * (c - 1).unsqueeze(-1) + n - torch.arange(2, n + 1, dtype=c.dtype)
        kernel = (powers * diagonal.log()).sum(-1)
        a = c + 0.5 * (n - 1)
        log_norm = (0.5 * (n - 1) * math.log(math.pi) + torch.mvlgamma(a - 0.5, p=n - 1)
                    - torch.lgamma(a) * (n - 1))
        return kernel - log_norm
