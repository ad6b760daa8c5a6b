"""torch.distributions.MultivariateNormal, parameterized by exactly one of a covariance
matrix, a precision matrix or a lower Cholesky factor `scale_tril`. Internally everything
goes through the Cholesky factor L of the covariance (as PyTorch does, which fixes the
digits): log-densities by triangular solves with L, draws as loc + L @ eps."""

import math

from .. import _api as torch
from . import constraints
from .distribution import Distribution, lazy_property, standard_normal

__all__ = ["MultivariateNormal"]

_LOG_2PI = math.log(2 * math.pi)


def mahalanobis_sq(L, x):
    """x^T (L L^T)^-1 x over the broadcast batch of L (..., n, n) and x (..., n): the squared
    length of the solution y of L y = x."""
    batch = torch.broadcast_shapes(L.shape[:-2], x.shape[:-1])
    n = x.size(-1)
    y = torch.linalg.solve_triangular(L.expand(batch + (n, n)),
                                      x.expand(batch + (n,)).unsqueeze(-1), upper=False)
    return y.squeeze(-1).pow(2).sum(-1)


def scale_tril_from_precision(P):
    """A lower L with L L^T = P^-1. Reversing rows and columns (J) turns the Cholesky factor
    C of J P J into an upper factor U = J C J of P, so P^-1 = (U^-T)(U^-T)^T with U^-T
    lower triangular: solve U^T L = I."""
    C = torch.linalg.cholesky(torch.flip(P, (-2, -1)))
    U_t = torch.transpose(torch.flip(C, (-2, -1)), -2, -1)
    eye = torch.eye(P.shape[-1], dtype=P.dtype)
    return torch.linalg.solve_triangular(U_t, eye, upper=False)


def log_det_half(L):
    """log sqrt(det(L L^T)) = sum(log(diag(L)))."""
    return L.diagonal(dim1=-2, dim2=-1).log().sum(-1)


# the three ways to give the matrix: attribute, name in messages, how to reach L
_MATRIX_FORMS = (("scale_tril", "scale_tril matrix", lambda m: m),
                 ("covariance_matrix", "covariance_matrix", torch.linalg.cholesky),
                 ("precision_matrix", "precision_matrix", scale_tril_from_precision))


class ScaleTrilMatrices:
    """scale_tril, covariance_matrix and precision_matrix of a distribution holding
    _unbroadcasted_scale_tril, each expanded to its _matrix_shape() (MultivariateNormal,
    Wishart)."""

    @lazy_property
    def scale_tril(self):
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self):
        L = self._unbroadcasted_scale_tril
        return torch.matmul(L, L.mT).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self):
        inverse = torch.cholesky_inverse(self._unbroadcasted_scale_tril)
        return inverse.expand(self._matrix_shape())


class MultivariateNormal(ScaleTrilMatrices, Distribution):
    arg_constraints = {"loc": constraints.real_vector,
                       "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite,
                       "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True
    _expand_params = {"loc": 1, "covariance_matrix": 2, "scale_tril": 2, "precision_matrix": 2}
    _expand_copy = ("_unbroadcasted_scale_tril",)

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                 validate_args=None):
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = {"scale_tril": scale_tril, "covariance_matrix": covariance_matrix,
                 "precision_matrix": precision_matrix}
        forms = [f for f in _MATRIX_FORMS if given[f[0]] is not None]
        if len(forms) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or "
                             "scale_tril may be specified.")
        (attr, shown, to_scale_tril), = forms
        matrix = given[attr]
        if matrix.dim() < 2:
            raise ValueError(f"{shown} must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        batch_shape = torch.broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        self.__dict__[attr] = matrix.expand(batch_shape + (-1, -1))
        self.loc = loc.expand(batch_shape + (-1,))
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)
        self._unbroadcasted_scale_tril = to_scale_tril(matrix)

    def _matrix_shape(self):
        return self._batch_shape + self._event_shape + self._event_shape

    mean = property(lambda self: self.loc)
    mode = property(lambda self: self.loc)

    @property
    def variance(self):
        # the diagonal of L L^T: squared row norms of L
        row_sq = self._unbroadcasted_scale_tril.pow(2).sum(-1)
        return row_sq.expand(self._batch_shape + self._event_shape)

    def rsample(self, sample_shape=torch.Size()):
        eps = standard_normal(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        L = self._unbroadcasted_scale_tril
        return self.loc + torch.matmul(L, eps.unsqueeze(-1)).squeeze(-1)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        n = self._event_shape[0]
        M = mahalanobis_sq(self._unbroadcasted_scale_tril, value - self.loc)
        return -0.5 * (n * _LOG_2PI + M) - log_det_half(self._unbroadcasted_scale_tril)

    def entropy(self):
        n = self._event_shape[0]
        H = 0.5 * n * (1.0 + _LOG_2PI) + log_det_half(self._unbroadcasted_scale_tril)
        return H.expand(self._batch_shape) if self._batch_shape else H
