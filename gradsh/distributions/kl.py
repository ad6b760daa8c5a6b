"""torch.distributions.kl_divergence: a table of closed forms KL(p || q) keyed by the pair of
distribution classes; a call uses the most specific registered pair. The formulas are the
textbook ones, evaluated in PyTorch's order so the digits agree."""

import math

from .. import _api as torch
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import ExponentialFamily, sum_last_dims
from .independent import Independent
from .multivariate_normal import MultivariateNormal, log_det_half, mahalanobis_sq
from .normal import Normal
from .uniform import Uniform

__all__ = ["kl_divergence", "register_kl"]

_FORMULAS = {}
_BUILT_IN = {}  # gradsh's own pairs (keep_built_ins), what reset_registry restores


def register_kl(type_p, type_q):
    """Decorator: the function computes KL(p || q) for p of type_p and q of type_q."""
    # PyTorch refuses only what is not a class at all (any class is accepted, recorded)
    if not all(isinstance(cls, type) for cls in (type_p, type_q)):
        raise TypeError("issubclass() arg 1 must be a class")

    def add(formula):
        _FORMULAS[type_p, type_q] = formula
        return formula
    return add


def keep_built_ins():
    """Record the registrations made so far (gradsh's own pairs, when every kl_* module has
    registered: distributions/__init__.py) as those a fresh process has."""
    _BUILT_IN.clear()
    _BUILT_IN.update(_FORMULAS)


def reset_registry():
    """register_kl's table as a fresh process has it: a program's formula does not outlive it,
    nor runs in the next program (lang/runtime/namespaces.py reset_settings)."""
    _FORMULAS.clear()
    _FORMULAS.update(_BUILT_IN)


def _distance(cls, ancestor):
    return cls.__mro__.index(ancestor)


def _formula_for(cls_p, cls_q):
    candidates = [key for key in _FORMULAS
                  if issubclass(cls_p, key[0]) and issubclass(cls_q, key[1])]
    if not candidates:
        return None
    best = min(candidates, key=lambda key: (_distance(cls_p, key[0]), _distance(cls_q, key[1])))
    return _FORMULAS[best]


def kl_divergence(p, q):
    """KL(p || q), one value per element of the batch shape."""
    formula = _formula_for(type(p), type(q))
    if formula is None:
        raise NotImplementedError(f"No KL(p || q) is implemented for p type "
                                  f"{type(p).__name__} and q type {type(q).__name__}")
    return formula(p, q)


def _patched(t, infinite, zero):
    """t with +inf where q rules out what p allows and 0 where p puts no mass (in place, so
    the graph records the writes as PyTorch's does)."""
    t[infinite] = math.inf
    t[zero] = 0
    return t


@register_kl(Bernoulli, Bernoulli)
def _bernoulli_bernoulli(p, q):
    softplus = torch.nn.functional.softplus
    # p log(p/q) + (1-p) log((1-p)/(1-q)), with log(p) = -softplus(-logit)
    ones = _patched(p.probs * (softplus(-q.logits) - softplus(-p.logits)),
                    q.probs == 0, p.probs == 0)
    zeros = _patched((1 - p.probs) * (softplus(q.logits) - softplus(p.logits)),
                     q.probs == 1, p.probs == 1)
    return ones + zeros


@register_kl(Categorical, Categorical)
def _categorical_categorical(p, q):
    terms = p.probs * (p.logits - q.logits)
    terms = _patched(terms, (q.probs == 0).expand_as(terms), (p.probs == 0).expand_as(terms))
    return terms.sum(-1)


@register_kl(MultivariateNormal, MultivariateNormal)
def _mvn_mvn(p, q):
    # log det ratio + trace(Sq^-1 Sp) + Mahalanobis of the means, halved
    if p.event_shape != q.event_shape:
        raise ValueError("KL-divergence between two Multivariate Normals with" + " " * 26
                         + "different event shapes cannot be computed")
    Lp, Lq = p._unbroadcasted_scale_tril, q._unbroadcasted_scale_tril
    n = p.event_shape[0]
    log_det_ratio = log_det_half(Lq) - log_det_half(Lp)
    batch = torch.broadcast_shapes(Lq.shape[:-2], Lp.shape[:-2])
    whitened = torch.linalg.solve_triangular(Lq.expand(batch + (n, n)),
                                             Lp.expand(batch + (n, n)), upper=False)
    trace = whitened.reshape(-1, n * n).pow(2).sum(-1).reshape(whitened.shape[:-2])
    return log_det_ratio + 0.5 * (trace + mahalanobis_sq(Lq, q.loc - p.loc) - n)


@register_kl(Normal, Normal)
def _normal_normal(p, q):
    ratio_sq = (p.scale / q.scale).pow(2)
    shift_sq = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (ratio_sq + shift_sq - 1 - ratio_sq.log())


@register_kl(Uniform, Uniform)
def _uniform_uniform(p, q):
    out = ((q.high - q.low) / (p.high - p.low)).log()
    out[(q.low > p.low) | (q.high < p.high)] = math.inf  # p's support leaves q's
    return out


@register_kl(Normal, Uniform)
def _normal_uniform(p, q):
    return torch.full_like(p.loc, math.inf)  # a normal's tails leave every interval


@register_kl(Uniform, Normal)
def _uniform_normal(p, q):
    width = p.high - p.low
    log_ratio = (math.sqrt(math.pi * 2) * q.scale / width).log()
    spread = width.pow(2) / 12
    offset = ((p.high + p.low - 2 * q.loc) / 2).pow(2)
    return log_ratio + 0.5 * (spread + offset) / q.scale.pow(2)


@register_kl(ExponentialFamily, ExponentialFamily)
def _expfamily_expfamily(p, q):
    """Two members of one exponential family without a formula of their own (Wishart): the
    Bregman divergence of the log normalizer A at the natural parameters,
    A(eta_q) - A(eta_p) - <eta_q - eta_p, grad A(eta_p)>, each product summed over the event's
    dims as PyTorch sums it. Different families are refused, as PyTorch."""
    if type(p) is not type(q):
        raise NotImplementedError("The cross KL-divergence between different exponential "
                                  "families cannot " + " " * 28 + "be computed using Bregman "
                                  "divergences")
    eta_p = [e.detach().requires_grad_() for e in p._natural_params]
    eta_q = q._natural_params
    log_norm_p = p._log_normalizer(*eta_p)
    grads = torch.autograd.grad(log_norm_p.sum(), eta_p, create_graph=True)
    out = q._log_normalizer(*eta_q) - log_norm_p
    for ep, eq, g in zip(eta_p, eta_q, grads):
        out = out - sum_last_dims((eq - ep) * g, len(q.event_shape))
    return out


@register_kl(Independent, Independent)
def _independent_independent(p, q):
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError
    return sum_last_dims(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)
