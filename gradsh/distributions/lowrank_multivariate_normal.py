"""torch.distributions.LowRankMultivariateNormal: a multivariate normal whose covariance is
W W^T + diag(D), W the n x m cov_factor and D the positive cov_diag. Everything goes through
the m x m capacitance matrix K = I + W^T D^-1 W and its Cholesky factor C (Woodbury's
identity and the matrix determinant lemma), so nothing n x n is factored:
  (D + W W^T)^-1 = D^-1 - D^-1 W K^-1 W^T D^-1,   log det(D + W W^T) = log det K + sum log D.
Draws take W's m normals first, then D's n (PyTorch's order under manual_seed)."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, lazy_property, standard_normal

__all__ = ["LowRankMultivariateNormal"]

_LOG_2PI = math.log(2 * math.pi)


def capacitance_tril(W, D):
    """Cholesky factor of I + W^T D^-1 W."""
    m = W.size(-1)
    K = torch.matmul(W.mT / D.unsqueeze(-2), W) + torch.eye(m, dtype=W.dtype)
    return torch.linalg.cholesky(K)


def lowrank_mahalanobis_sq(W, D, x, C):
    """x^T (D + W W^T)^-1 x = x^T D^-1 x - |C^-1 W^T D^-1 x|^2."""
    Wt_Dinv_x = torch.matmul(W.mT, (x / D).unsqueeze(-1))
    batch = torch.broadcast_shapes(C.shape[:-2], Wt_Dinv_x.shape[:-2])
    m = C.size(-1)
    y = torch.linalg.solve_triangular(C.expand(batch + (m, m)), Wt_Dinv_x.expand(batch + (m, 1)),
                                      upper=False)
    return (x.pow(2) / D).sum(-1) - y.squeeze(-1).pow(2).sum(-1)


def lowrank_logdet(D, C):
    """log det(D + W W^T) = 2 sum log diag(C) + sum log D."""
    return 2 * C.diagonal(dim1=-2, dim2=-1).log().sum(-1) + D.log().sum(-1)


class LowRankMultivariateNormal(Distribution):
    arg_constraints = {"loc": constraints.real_vector,
                       "cov_factor": constraints.independent(constraints.real, 2),
                       "cov_diag": constraints.independent(constraints.positive, 1)}
    support = constraints.real_vector
    has_rsample = True
    _expand_params = {"loc": 1, "cov_factor": 2, "cov_diag": 1}
    _expand_copy = ("_unbroadcasted_cov_factor", "_unbroadcasted_cov_diag", "_capacitance_tril")

    def __init__(self, loc, cov_factor, cov_diag, validate_args=None):
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        n = loc.shape[-1:]
        if cov_factor.dim() < 2:
            raise ValueError("cov_factor must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        if cov_factor.shape[-2:-1] != n:
            raise ValueError(f"cov_factor must be a batch of matrices with shape {n[0]} x m")
        if cov_diag.shape[-1:] != n:
            raise ValueError(f"cov_diag must be a batch of vectors with shape {n}")
        # broadcast the three as columns of one (..., n, m) shape, then take loc and D back out
        loc_col, self.cov_factor, diag_col = torch.broadcast_tensors(
            loc.unsqueeze(-1), cov_factor, cov_diag.unsqueeze(-1))
        self.loc, self.cov_diag = loc_col[..., 0], diag_col[..., 0]
        self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag = cov_factor, cov_diag
        self._capacitance_tril = capacitance_tril(cov_factor, cov_diag)
        super().__init__(self.loc.shape[:-1], n, validate_args=validate_args)

    def _matrix_shape(self):
        return self._batch_shape + self._event_shape + self._event_shape

    mean = property(lambda self: self.loc)
    mode = property(lambda self: self.loc)

    @lazy_property
    def variance(self):
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        return (W.pow(2).sum(-1) + D).expand(self._batch_shape + self._event_shape)

    @lazy_property
    def scale_tril(self):
        # D^1/2 chol(I + D^-1/2 W W^T D^-1/2): the inner matrix is well scaled
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        root = D.sqrt().unsqueeze(-1)
        scaled = W / root
        inner = torch.matmul(scaled, scaled.mT) + torch.eye(D.size(-1), dtype=D.dtype)
        return (root * torch.linalg.cholesky(inner)).expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self):
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        return (torch.matmul(W, W.mT) + torch.diag_embed(D)).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self):
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        A = torch.linalg.solve_triangular(self._capacitance_tril, W.mT / D.unsqueeze(-2),
                                          upper=False)
        out = torch.diag_embed(D.reciprocal()) - torch.matmul(A.mT, A)
        return out.expand(self._matrix_shape())

    def rsample(self, sample_shape=torch.Size()):
        shape = self._extended_shape(sample_shape)
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        eps_w = standard_normal(shape[:-1] + W.shape[-1:], dtype=self.loc.dtype)
        eps_d = standard_normal(shape, dtype=self.loc.dtype)
        return (self.loc + torch.matmul(W, eps_w.unsqueeze(-1)).squeeze(-1)
                + D.sqrt() * eps_d)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        W, D = self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag
        M = lowrank_mahalanobis_sq(W, D, value - self.loc, self._capacitance_tril)
        log_det = lowrank_logdet(D, self._capacitance_tril)
        return -0.5 * (self._event_shape[0] * _LOG_2PI + log_det + M)

    def entropy(self):
        log_det = lowrank_logdet(self._unbroadcasted_cov_diag, self._capacitance_tril)
        H = 0.5 * (self._event_shape[0] * (1.0 + _LOG_2PI) + log_det)
        return H.expand(self._batch_shape) if self._batch_shape else H
