"""kl_divergence pairs with LowRankMultivariateNormal that PyTorch registers (against itself
and MultivariateNormal both ways), into kl.py's table on import. One formula for all three:
  KL = (tr(Sq^-1 Sp) + (mq - mp)^T Sq^-1 (mq - mp) - n + log det Sq - log det Sp) / 2,
with Sp given as a sum of factor products F F^T (L L^T, or W W^T + D^1/2 D^1/2) so the trace
is a sum of |Sq^-1/2 F|^2, and Sq^-1 applied by a triangular solve (MultivariateNormal) or
by Woodbury through the capacitance factor (low rank)."""

from .. import _api as torch
from .kl import register_kl
from .lowrank_multivariate_normal import LowRankMultivariateNormal, lowrank_logdet
from .multivariate_normal import MultivariateNormal, log_det_half

__all__ = []


def _solve_lower(L, B):
    batch = torch.broadcast_shapes(L.shape[:-2], B.shape[:-2])
    return torch.linalg.solve_triangular(L.expand(batch + L.shape[-2:]),
                                         B.expand(batch + B.shape[-2:]), upper=False)


def _whitened_sq(q, M):
    """tr(M^T Sq^-1 M), summed over M's columns, for M (..., n, k)."""
    if isinstance(q, LowRankMultivariateNormal):
        W, D = q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag
        # M^T D^-1 M - |C^-1 W^T D^-1 M|^2
        A = _solve_lower(q._capacitance_tril, torch.matmul(W.mT, M / D.unsqueeze(-1)))
        return (M.pow(2) / D.unsqueeze(-1)).sum((-2, -1)) - A.pow(2).sum((-2, -1))
    return _solve_lower(q._unbroadcasted_scale_tril, M).pow(2).sum((-2, -1))


def _factors_and_logdet(p):
    """Matrices F_i with Sp = sum F_i F_i^T, and log det Sp."""
    if isinstance(p, LowRankMultivariateNormal):
        W, D = p._unbroadcasted_cov_factor, p._unbroadcasted_cov_diag
        return [W, torch.diag_embed(D.sqrt())], lowrank_logdet(D, p._capacitance_tril)
    L = p._unbroadcasted_scale_tril
    return [L], 2 * log_det_half(L)


def _logdet(q):
    return _factors_and_logdet(q)[1]


def _gaussian_kl(p, q):
    if p.event_shape != q.event_shape:
        both_low_rank = all(isinstance(d, LowRankMultivariateNormal) for d in (p, q))
        raise ValueError(f"KL-divergence between two {'' if both_low_rank else '('}Low Rank"
                         f"{'' if both_low_rank else ')'} Multivariate Normals with" + " " * 26
                         + "different event shapes cannot be computed")
    factors, logdet_p = _factors_and_logdet(p)
    trace = sum(_whitened_sq(q, F) for F in factors)
    mahalanobis = _whitened_sq(q, (q.loc - p.loc).unsqueeze(-1))
    return 0.5 * (trace + mahalanobis - p.event_shape[0] + _logdet(q) - logdet_p)


for _types in [(LowRankMultivariateNormal, LowRankMultivariateNormal),
               (LowRankMultivariateNormal, MultivariateNormal),
               (MultivariateNormal, LowRankMultivariateNormal)]:
    register_kl(*_types)(_gaussian_kl)
