"""kl_divergence closed forms for the families beyond the first six, registered into kl.py's
table on import: Exponential, Gamma, Beta, Dirichlet, Laplace, Poisson, Geometric, Binomial,
OneHotCategorical and Gumbel against their own family, and a few pairs across families. Each
is KL(p || q) = E_p[log p - log q] worked out with p's moments."""

import math

from .. import _api as torch
from .beta import Beta
from .binomial import Binomial
from .dirichlet import Dirichlet
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .gumbel import Gumbel
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .poisson import Poisson

__all__ = []

_EULER = 0.57721566490153286060
lgamma, digamma, softplus = torch.lgamma, torch.digamma, torch.nn.functional.softplus


def _exponential(p, q):
    r = q.rate / p.rate
    return r - r.log() - 1


def _gamma(p, q):
    a, b, c, d = p.concentration, p.rate, q.concentration, q.rate
    return (c * torch.log(b / d) + lgamma(c) - lgamma(a) + (a - c) * digamma(a)
            + (d - b) * (a / b))


def _beta(p, q):
    a, b, c, d = p.concentration1, p.concentration0, q.concentration1, q.concentration0
    # log B(c, d) - log B(a, b) and the digamma terms of E_p[log x], E_p[log(1 - x)]
    log_b_ratio = lgamma(c) + lgamma(d) + lgamma(a + b) - (lgamma(a) + lgamma(b) + lgamma(c + d))
    return (log_b_ratio + (a - c) * digamma(a) + (b - d) * digamma(b)
            + ((c + d) - (a + b)) * digamma(a + b))


def _dirichlet(p, q):
    a, c = p.concentration, q.concentration
    a0 = a.sum(-1)
    expected_log_x = a.digamma() - a0.digamma().unsqueeze(-1)
    return (a0.lgamma() - c.sum(-1).lgamma() - (a.lgamma() - c.lgamma()).sum(-1)
            + ((a - c) * expected_log_x).sum(-1))


def _laplace(p, q):
    ratio = p.scale / q.scale
    gap = (p.loc - q.loc).abs()
    return ratio * torch.exp(-gap / p.scale) + gap / q.scale - ratio.log() - 1


def _poisson(p, q):
    lam, mu = p.rate, q.rate
    return lam * (lam.log() - mu.log()) - (lam - mu)


def _geometric(p, q):
    # E_p[log p(k)] = -H(p); E_p[k] = 1/p - 1 failures, each log(1 - q)
    return -p.entropy() - (-q.probs).log1p() / p.probs - q.logits


def _binomial(p, q):
    if (p.total_count < q.total_count).any():
        raise NotImplementedError("KL between Binomials where q.total_count > p.total_count "
                                  "is not implemented")
    # n [p log(p/q) + (1-p) log((1-p)/(1-q))], with log p = -softplus(-logit)
    on_success = p.probs * (softplus(-q.logits) - softplus(-p.logits))
    on_failure = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    out = p.total_count * (on_success + on_failure)
    out[(p.total_count > q.total_count).expand_as(out)] = math.inf  # counts q cannot reach
    return out


def _one_hot(p, q):
    return kl_divergence(p._categorical, q._categorical)


def _gumbel(p, q):
    ratio = p.scale / q.scale
    shift = (p.loc - q.loc) / q.scale
    # E_p[exp(-(x - mu_q) / b_q)] = exp(-shift) * Gamma(1 + ratio)
    return -ratio.log() + shift + ratio * _EULER + torch.exp(-shift + (1 + ratio).lgamma()) \
        - (1 + _EULER)


# across families: -H(p) - E_p[log q], with p's moments in closed form
def _exponential_normal(p, q):
    second_moment = 2 / p.rate.pow(2) - 2 * q.loc / p.rate + q.loc.pow(2)
    return (-p.entropy() + q.scale.log() + 0.5 * math.log(2 * math.pi)
            + second_moment / (2 * q.scale.pow(2)))


def _exponential_gamma(p, q):
    c, r = q.concentration, q.rate
    mean_log_x = -_EULER - p.rate.log()
    return -p.entropy() - c * r.log() - (c - 1) * mean_log_x + r / p.rate + lgamma(c)


def _gamma_exponential(p, q):
    mean_x = p.concentration / p.rate
    return -p.entropy() - q.rate.log() + q.rate * mean_x


_PAIRS = {(Exponential, Exponential): _exponential, (Gamma, Gamma): _gamma,
          (Beta, Beta): _beta, (Dirichlet, Dirichlet): _dirichlet, (Laplace, Laplace): _laplace,
          (Poisson, Poisson): _poisson, (Geometric, Geometric): _geometric,
          (Binomial, Binomial): _binomial, (OneHotCategorical, OneHotCategorical): _one_hot,
          (Gumbel, Gumbel): _gumbel, (Exponential, Normal): _exponential_normal,
          (Exponential, Gamma): _exponential_gamma, (Gamma, Exponential): _gamma_exponential}
for _types, _formula in _PAIRS.items():
    register_kl(*_types)(_formula)
