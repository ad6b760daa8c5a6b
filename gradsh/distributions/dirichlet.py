"""torch.distributions.Dirichlet: a point of the simplex, density proportional to
prod x_i^(c_i - 1). A draw normalizes independent Gamma(c_i, 1) draws (sample_dirichlet:
PyTorch's draws)."""

import numpy as np

from .. import _api as torch
from ..core.ops.incomplete_beta import beta_draw_grad
from ..core.ops.sampling import sample_dirichlet
from . import constraints
from .distribution import ExponentialFamily, checked

__all__ = ["Dirichlet"]


class _Dirichlet(torch.autograd.Function):
    """A draw whose gradient is the implicit reparameterization one (Figurnov et al., 2018):
    each x_i is Beta(c_i, total - c_i) distributed, so dx_i/dc_i comes from that Beta's CDF
    held fixed, and the other coordinates give way in proportion, dx_j/dc_i =
    -x_j / (1 - x_i) dx_i/dc_i, keeping the draw on the simplex. (Composing the gamma draws'
    gradients would be another valid estimator, not PyTorch's.)"""

    @staticmethod
    def forward(ctx, concentration):
        draw = sample_dirichlet(concentration)
        ctx.save_for_backward(draw, concentration)
        return draw

    @staticmethod
    def backward(ctx, grad_output):
        x, c = (t.detach() for t in ctx.saved_tensors)
        rest = c.sum(-1, True) - c
        x_np = x.numpy()
        # a coordinate rounded to 1 (the others underflowed) moves no mass: 0, not 0 / 0
        away = np.where(x_np < 1, 1 - x_np, 1)
        along = beta_draw_grad(x_np, c.numpy(), rest.numpy()) / away
        spread = grad_output - (x * grad_output).sum(-1, True)
        return torch.tensor(along, dtype=c.dtype) * spread


class Dirichlet(ExponentialFamily):
    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True
    _expand_params = {"concentration": 1}

    def __init__(self, concentration, validate_args=None):
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration, (*batch, k) = concentration, concentration.shape
        super().__init__(torch.Size(batch), torch.Size([k]), validate_args=validate_args)

    def _total(self, keepdim=False):
        return self.concentration.sum(-1, keepdim)

    mean = property(lambda self: self.concentration / self._total(True))

    @property
    def mode(self):
        c = self.concentration
        inside = (c - 1).clamp(min=0.0)
        inside = inside / inside.sum(-1, True)
        # a concentration below one piles the mass on that corner
        corner = (c < 1).all(-1)
        inside[corner] = torch.nn.functional.one_hot(inside[corner].argmax(-1), c.shape[-1]).to(
            inside)
        return inside

    @property
    def variance(self):
        c, total = self.concentration, self._total(True)
        return c * (total - c) / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape=()):
        return _Dirichlet.apply(self.concentration.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        x = checked(self, value)
        c = self.concentration
        return (torch.xlogy(c - 1.0, x).sum(-1) + torch.lgamma(self._total())
                - torch.lgamma(c).sum(-1))

    def entropy(self):
        c, total = self.concentration, self._total()
        k = c.size(-1)
        return (torch.lgamma(c).sum(-1) - torch.lgamma(total)
                - (k - total) * torch.digamma(total)
                - ((c - 1.0) * torch.digamma(c)).sum(-1))
