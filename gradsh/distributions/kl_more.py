"""kl_divergence closed forms for the families beyond the first six, registered into kl.py's
table on import: each family against itself, TransformedDistributions with the same
transforms, and the pairs across families PyTorch registers (infinite where p's support
leaves q's). Each is KL(p || q) = E_p[log p - log q] worked out with p's moments."""

import math

from .. import _api as torch
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .cauchy import Cauchy
from .dirichlet import Dirichlet
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .distribution import sum_last_dims
from .gumbel import Gumbel
from .half_normal import HalfNormal
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .poisson import Poisson
from .transformed_distribution import TransformedDistribution
from .uniform import Uniform

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


# ----- across families: infinite where p's support leaves q's ------------------------------
def _infinite(p, q):
    return torch.full(p.batch_shape, math.inf, dtype=p.mean.dtype)


_ESCAPES = [(Normal, (Beta, Exponential, Gamma)), (Laplace, (Beta, Exponential, Gamma, Uniform)),
            (Gumbel, (Beta, Exponential, Gamma, Uniform)), (Exponential, (Beta, Uniform)),
            (Gamma, (Beta, Uniform)), (Poisson, (Bernoulli, Binomial))]
for _p_type, _q_types in _ESCAPES:
    for _q_type in _q_types:
        register_kl(_p_type, _q_type)(_infinite)


# ----- across families, finite: -H(p) - E_p[log q] ---------------------------------------------
def _normal_cross(p, q, mean, var):
    """-H(p) - E_p[log N(x; q)] from p's mean and variance."""
    return (-p.entropy() + q.scale.log() + 0.5 * math.log(2 * math.pi)
            + (var + (mean - q.loc).pow(2)) / (2 * q.scale.pow(2)))


def _gumbel_cross(p, q, mean, mean_exp_neg):
    """-H(p) - E_p[log Gumbel(x; q)], with mean_exp_neg = E_p[exp(-x / s_q)]."""
    return (-p.entropy() + q.scale.log() + (mean - q.loc) / q.scale
            + torch.exp(q.loc / q.scale) * mean_exp_neg)


def _gamma_cross(p, q, mean, mean_log):
    """-H(p) - E_p[log Gamma(x; q)] from E_p[x] and E_p[log x]."""
    c, r = q.concentration, q.rate
    return -p.entropy() - c * r.log() - (c - 1) * mean_log + r * mean + lgamma(c)


def _beta_mean_log(p):
    return digamma(p.concentration1) - digamma(p.concentration1 + p.concentration0)


def _uniform_mean_log(low, high):
    """E[log x] for x uniform on [low, high], 0 <= low."""
    def antiderivative(x):
        return torch.xlogy(x, x) - x
    return (antiderivative(high) - antiderivative(low)) / (high - low)


def _bernoulli_poisson(p, q):
    return -p.entropy() + q.rate - p.probs * q.rate.log()


def _beta_exponential(p, q):
    return -p.entropy() - q.rate.log() + q.rate * p.mean


def _beta_gamma(p, q):
    return _gamma_cross(p, q, p.mean, _beta_mean_log(p))


def _beta_normal(p, q):
    return _normal_cross(p, q, p.mean, p.variance)


def _beta_uniform(p, q):
    out = -p.entropy() + (q.high - q.low).log()
    out = out.clone() if out.dim() else out.reshape(())
    out[(q.low > 0) | (q.high < 1)] = math.inf  # [0, 1] leaves q's interval
    return out


def _exponential_gumbel(p, q):
    lam, s = p.rate, q.scale
    return _gumbel_cross(p, q, p.mean, lam / (lam + 1 / s))


def _gamma_gumbel(p, q):
    a, r, s = p.concentration, p.rate, q.scale
    return _gumbel_cross(p, q, p.mean, (r / (r + 1 / s)).pow(a))


def _gamma_normal(p, q):
    return _normal_cross(p, q, p.mean, p.variance)


def _gumbel_normal(p, q):
    return _normal_cross(p, q, p.mean, p.variance)


def _laplace_normal(p, q):
    return _normal_cross(p, q, p.loc, p.variance)


def _normal_gumbel(p, q):
    s = q.scale
    # E[exp(-x / s)] for x ~ N(m, sigma): exp(-m / s + sigma^2 / (2 s^2))
    mean_exp_neg = torch.exp(-p.loc / s + p.scale.pow(2) / (2 * s.pow(2)))
    return _gumbel_cross(p, q, p.loc, mean_exp_neg)


def _normal_laplace(p, q):
    d, sigma = p.loc - q.loc, p.scale
    # E|x - mu_q| for x ~ N(m, sigma), d = m - mu_q: the folded normal's mean
    mean_abs = (sigma * math.sqrt(2 / math.pi) * torch.exp(-d.pow(2) / (2 * sigma.pow(2)))
                + d * torch.erf(d / (sigma * math.sqrt(2))))
    return -p.entropy() + (2 * q.scale).log() + mean_abs / q.scale


def _outside(out, mask):
    out = out.clone()
    out[mask.expand_as(out)] = math.inf
    return out


def _uniform_beta(p, q):
    a, b = q.concentration1, q.concentration0
    log_b = lgamma(a) + lgamma(b) - lgamma(a + b)
    inside_low, inside_high = p.low.clamp(0, 1), p.high.clamp(0, 1)
    mean_log = _uniform_mean_log(inside_low, inside_high)
    mean_log1m = _uniform_mean_log(1 - inside_high, 1 - inside_low)
    out = -p.entropy() - (a - 1) * mean_log - (b - 1) * mean_log1m + log_b
    return _outside(out, (p.low < 0) | (p.high > 1))


def _uniform_exponential(p, q):
    out = -p.entropy() - q.rate.log() + q.rate * p.mean
    return _outside(out, p.low < 0)


def _uniform_gamma(p, q):
    low = p.low.clamp(min=0)
    out = _gamma_cross(p, q, p.mean, _uniform_mean_log(low, p.high))
    return _outside(out, p.low < 0)


def _uniform_gumbel(p, q):
    s, width = q.scale, p.high - p.low
    mean_exp_neg = s * (torch.exp(-p.low / s) - torch.exp(-p.high / s)) / width
    return _gumbel_cross(p, q, p.mean, mean_exp_neg)


def _cauchy(p, q):
    spread = (p.scale + q.scale).pow(2) + (p.loc - q.loc).pow(2)
    return (spread / (4 * p.scale * q.scale)).log()


def _half_normal(p, q):
    return kl_divergence(p.base_dist, q.base_dist)


def _transformed(p, q):
    if p.transforms != q.transforms or p.event_shape != q.event_shape:
        raise NotImplementedError
    # the same invertible map on both sides leaves the divergence as the bases'
    extra = len(p.event_shape) - len(p.base_dist.event_shape)
    return sum_last_dims(kl_divergence(p.base_dist, q.base_dist), extra)


_CROSS = {(Bernoulli, Poisson): _bernoulli_poisson, (Beta, Exponential): _beta_exponential,
          (Beta, Gamma): _beta_gamma, (Beta, Normal): _beta_normal, (Beta, Uniform): _beta_uniform,
          (Exponential, Gumbel): _exponential_gumbel, (Gamma, Gumbel): _gamma_gumbel,
          (Gamma, Normal): _gamma_normal, (Gumbel, Normal): _gumbel_normal,
          (Laplace, Normal): _laplace_normal, (Normal, Gumbel): _normal_gumbel,
          (Normal, Laplace): _normal_laplace, (Uniform, Beta): _uniform_beta,
          (Uniform, Exponential): _uniform_exponential, (Uniform, Gamma): _uniform_gamma,
          (Uniform, Gumbel): _uniform_gumbel, (Cauchy, Cauchy): _cauchy,
          (HalfNormal, HalfNormal): _half_normal,
          (TransformedDistribution, TransformedDistribution): _transformed}
for _types, _formula in _CROSS.items():
    register_kl(*_types)(_formula)
