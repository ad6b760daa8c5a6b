"""kl_divergence closed forms for the families beyond the first six (registered into kl.py's
table on import): Exponential, Gamma, Beta, Dirichlet, Laplace, Poisson, Geometric,
Binomial, OneHotCategorical and Gumbel, each against its own family."""

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


@register_kl(Exponential, Exponential)
def _exponential_exponential(p, q):
    ratio = q.rate / p.rate
    return -ratio.log() + ratio - 1


@register_kl(Gamma, Gamma)
def _gamma_gamma(p, q):
    a, b = p.concentration, p.rate
    return (q.concentration * torch.log(b / q.rate) + torch.lgamma(q.concentration)
            - torch.lgamma(a) + (a - q.concentration) * torch.digamma(a)
            + (q.rate - b) * (a / b))


def _lbeta_terms(p1, p0, q1, q0):
    # KL between Beta(p1, p0) and Beta(q1, q0): log B(q) - log B(p) plus digamma terms
    sp, sq = p1 + p0, q1 + q0
    log_b = (torch.lgamma(q1) + torch.lgamma(q0) + torch.lgamma(sp)
             - (torch.lgamma(p1) + torch.lgamma(p0) + torch.lgamma(sq)))
    return (log_b + (p1 - q1) * torch.digamma(p1) + (p0 - q0) * torch.digamma(p0)
            + (sq - sp) * torch.digamma(sp))


@register_kl(Beta, Beta)
def _beta_beta(p, q):
    return _lbeta_terms(p.concentration1, p.concentration0, q.concentration1, q.concentration0)


@register_kl(Dirichlet, Dirichlet)
def _dirichlet_dirichlet(p, q):
    a, b = p.concentration, q.concentration
    sa = a.sum(-1)
    return (sa.lgamma() - b.sum(-1).lgamma() - (a.lgamma() - b.lgamma()).sum(-1)
            + ((a - b) * (a.digamma() - sa.digamma().unsqueeze(-1))).sum(-1))


@register_kl(Laplace, Laplace)
def _laplace_laplace(p, q):
    ratio = p.scale / q.scale
    dist = (p.loc - q.loc).abs()
    return -ratio.log() + dist / q.scale + ratio * torch.exp(-dist / p.scale) - 1


@register_kl(Poisson, Poisson)
def _poisson_poisson(p, q):
    return p.rate * (p.rate.log() - q.rate.log()) - (p.rate - q.rate)


@register_kl(Geometric, Geometric)
def _geometric_geometric(p, q):
    return -p.entropy() - torch.log1p(-q.probs) / p.probs - q.logits


@register_kl(Binomial, Binomial)
def _binomial_binomial(p, q):
    if (p.total_count < q.total_count).any():
        raise NotImplementedError("KL between Binomials where q.total_count > p.total_count "
                                  "is not implemented")
    n, softplus = p.total_count, torch.nn.functional.softplus
    # n [p log(p/q) + (1-p) log((1-p)/(1-q))], with log p = -softplus(-logit)
    ones = p.probs * (softplus(-q.logits) - softplus(-p.logits))
    zeros = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    kl = n * (ones + zeros)
    kl[(p.total_count > q.total_count).expand_as(kl)] = math.inf  # p reaches counts q cannot
    return kl


@register_kl(OneHotCategorical, OneHotCategorical)
def _onehot_onehot(p, q):
    return kl_divergence(p._categorical, q._categorical)


@register_kl(Gumbel, Gumbel)
def _gumbel_gumbel(p, q):
    ct1 = p.scale / q.scale
    ct2 = q.loc / q.scale
    ct3 = p.loc / q.scale
    t1 = -ct1.log() - ct2 + ct3
    t2 = ct1 * _EULER
    t3 = torch.exp(ct2 + (1 + ct1).lgamma() - ct3)
    return t1 + t2 + t3 - (1 + _EULER)



# across families: -H(p) - E_p[log q], with p's moments in closed form
@register_kl(Exponential, Normal)
def _exponential_normal(p, q):
    var_q = q.scale.pow(2)
    second_moment = 2 / p.rate.pow(2) - 2 * q.loc / p.rate + q.loc.pow(2)
    return (-p.entropy() + q.scale.log() + 0.5 * math.log(2 * math.pi)
            + second_moment / (2 * var_q))


@register_kl(Exponential, Gamma)
def _exponential_gamma(p, q):
    c, r = q.concentration, q.rate
    mean_log_x = -_EULER - p.rate.log()
    return (-p.entropy() - c * r.log() - (c - 1) * mean_log_x + r / p.rate
            + torch.lgamma(c))


@register_kl(Gamma, Exponential)
def _gamma_exponential(p, q):
    return -p.entropy() - q.rate.log() + q.rate * p.concentration / p.rate
