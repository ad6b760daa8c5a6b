"""kl_divergence pairs with Pareto that PyTorch registers, into kl.py's table on import:
Pareto against itself and against Exponential, Gamma and Normal (finite where p's moments
are), and the pairs whose supports do not nest (infinite). E_p[log x] = log scale + 1/alpha
for p a Pareto."""

from .beta import Beta
from .exponential import Exponential
from .gamma import Gamma
from .gumbel import Gumbel
from .heavy_tailed import Pareto
from .kl import register_kl
from .kl_more import _gamma_cross, _infinite, _normal_cross, _outside, _uniform_mean_log
from .laplace import Laplace
from .normal import Normal
from .uniform import Uniform

__all__ = []


def _pareto_mean_log(p):
    return p.scale.log() + p.alpha.reciprocal()


def _pareto(p, q):
    a, b = p.alpha, q.alpha
    # log(a/b) + a log s_p - b log s_q + (b - a) E_p[log x]
    out = (a / b).log() + b * (p.scale / q.scale).log() + (b - a) / a
    return _outside(out, p.scale < q.scale)  # p reaches below q's support


# E_p[x] is infinite for alpha <= 1, E_p[x^2] for alpha <= 2
def _pareto_exponential(p, q):
    return _outside(-p.entropy() - q.rate.log() + q.rate * p.mean, p.alpha <= 1)


def _pareto_gamma(p, q):
    return _outside(_gamma_cross(p, q, p.mean, _pareto_mean_log(p)), p.alpha <= 1)


def _pareto_normal(p, q):
    return _outside(_normal_cross(p, q, p.mean, p.variance), p.alpha <= 2)


def _uniform_pareto(p, q):
    a, s = q.alpha, q.scale
    mean_log = _uniform_mean_log(p.low.clamp(min=0), p.high)
    out = -p.entropy() - a.log() - a * s.log() + (a + 1) * mean_log
    return _outside(out, p.low < s)


_PAIRS = {(Pareto, Pareto): _pareto, (Pareto, Exponential): _pareto_exponential,
          (Pareto, Gamma): _pareto_gamma, (Pareto, Normal): _pareto_normal,
          (Uniform, Pareto): _uniform_pareto}
for _types, _formula in _PAIRS.items():
    register_kl(*_types)(_formula)

# the supports do not nest: Pareto's is unbounded above, the others reach below any scale
for _types in [(Pareto, Beta), (Pareto, Uniform), (Beta, Pareto), (Exponential, Pareto),
               (Gamma, Pareto), (Gumbel, Pareto), (Laplace, Pareto), (Normal, Pareto)]:
    register_kl(*_types)(_infinite)
