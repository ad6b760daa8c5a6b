"""kl_divergence pairs with ContinuousBernoulli that PyTorch registers, into kl.py's table on
import. log q(x) = x log p + (1 - x) log(1 - p) + log C(p) is linear in x, so E_p[log q] needs
only p's mean. PyTorch 2.13 counts a Uniform's interval as leaving [0, 1] when it merely
touches an end (ContinuousBernoulli-Uniform infinite where low >= 0 or high <= 1,
Uniform-ContinuousBernoulli where low <= 0 or high >= 1); kept for its numbers."""

import math

from .. import _api as torch
from .beta import Beta
from .continuous_bernoulli import ContinuousBernoulli
from .exponential import Exponential
from .gamma import Gamma
from .gumbel import Gumbel
from .heavy_tailed import Pareto
from .kl import register_kl
from .kl_more import _infinite, _normal_cross
from .laplace import Laplace
from .normal import Normal
from .uniform import Uniform

__all__ = []


def _expected_log_density(q, mean):
    """E[log q(x)] for x of the given mean, q a ContinuousBernoulli."""
    return mean * q.probs.log() + (1 - mean) * (-q.probs).log1p() + q._log_normalizer()


def _cb(p, q):
    # mean (logit_p - logit_q) + log C_p (1 - p_p) - log C_q (1 - p_q)
    own = p._log_normalizer() + torch.log1p(-p.probs)
    other = -q._log_normalizer() - torch.log1p(-q.probs)
    return p.mean * (p.logits - q.logits) + own + other


def _beta_cb(p, q):
    return -p.entropy() - _expected_log_density(q, p.mean)


def _uniform_cb(p, q):
    out = -p.entropy() - _expected_log_density(q, p.mean)
    return torch.where((p.low <= 0) | (p.high >= 1), math.inf, out)


def _cb_exponential(p, q):
    return -p.entropy() - q.rate.log() + q.rate * p.mean


def _cb_normal(p, q):
    return _normal_cross(p, q, p.mean, p.variance)


def _cb_uniform(p, q):
    out = -p.entropy() + (q.high - q.low).log()
    return torch.where((q.low >= 0) | (q.high <= 1), math.inf, out)


_PAIRS = {(ContinuousBernoulli, ContinuousBernoulli): _cb, (Beta, ContinuousBernoulli): _beta_cb,
          (Uniform, ContinuousBernoulli): _uniform_cb,
          (ContinuousBernoulli, Exponential): _cb_exponential,
          (ContinuousBernoulli, Normal): _cb_normal, (ContinuousBernoulli, Uniform): _cb_uniform}
for _types, _formula in _PAIRS.items():
    register_kl(*_types)(_formula)

# [0, 1] against Pareto's [scale, inf), and the unbounded supports against [0, 1]
for _types in [(ContinuousBernoulli, Pareto), (Exponential, ContinuousBernoulli),
               (Gamma, ContinuousBernoulli), (Gumbel, ContinuousBernoulli),
               (Laplace, ContinuousBernoulli), (Normal, ContinuousBernoulli),
               (Pareto, ContinuousBernoulli)]:
    register_kl(*_types)(_infinite)
