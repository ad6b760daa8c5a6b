"""torch.distributions.Wishart(df, covariance_matrix | precision_matrix | scale_tril): random
positive-definite p x p matrices, the scatter matrix of df Gaussian vectors of covariance
Sigma = L L^T. Draws by the Bartlett decomposition, as PyTorch documents: A lower triangular
with sqrt(chi2(df - i)) on its diagonal (i = 0 .. p-1) and standard normals below it, the draw
(L A)(L A)^T; reparameterized through the chi-square (Gamma) draws, so rsample carries
gradients to df and to the matrix. Densities through L (MultivariateNormal's helpers)."""

import math
import numbers
import warnings

from .. import _api as torch
from ..core.errors import TorchAssertionError
from . import constraints
from .chi2 import Chi2
from .distribution import ExponentialFamily
from .multivariate_normal import ScaleTrilMatrices, log_det_half, scale_tril_from_precision

__all__ = ["Wishart"]

_LOG_2 = math.log(2)

# the three ways to give the matrix, as MultivariateNormal's
_MATRIX_FORMS = (("scale_tril", lambda m: m), ("covariance_matrix", torch.linalg.cholesky),
                 ("precision_matrix", scale_tril_from_precision))


def _mvdigamma(x, p):
    """The multivariate digamma: sum over j < p of digamma(x - j/2)."""
    shifts = torch.arange(p, dtype=x.dtype) * 0.5
    return torch.digamma(x.unsqueeze(-1) - shifts).sum(-1)


class Wishart(ScaleTrilMatrices, ExponentialFamily):
    @property
    def arg_constraints(self):
        # (df's lower bound is the event size less one: a table per instance, as PyTorch's)
        return {"covariance_matrix": constraints.positive_definite,
                "precision_matrix": constraints.positive_definite,
                "scale_tril": constraints.lower_cholesky,
                "df": constraints.greater_than(self._event_shape[-1] - 1)}

    support = constraints.positive_definite
    has_rsample = True
    _mean_carrier_measure = 0
    _expand_params = {"df": 0, "covariance_matrix": 2, "precision_matrix": 2, "scale_tril": 2}
    _expand_copy = ("_unbroadcasted_scale_tril",)
    _expand_inner = ("_dist_chi2",)

    def __init__(self, df, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                 validate_args=None):
        given = {"scale_tril": scale_tril, "covariance_matrix": covariance_matrix,
                 "precision_matrix": precision_matrix}
        forms = [f for f in _MATRIX_FORMS if given[f[0]] is not None]
        if len(forms) != 1:
            raise TorchAssertionError("Exactly one of covariance_matrix or precision_matrix or "
                                 "scale_tril may be specified.")
        (attr, to_scale_tril), = forms
        matrix = given[attr]
        if matrix.dim() < 2:  # (PyTorch names scale_tril whichever matrix was given)
            raise ValueError("scale_tril must be at least two-dimensional, with optional "
                             "leading batch dimensions")
        given_number = isinstance(df, numbers.Number)
        shown = df  # (a number shows as given: "df=1")
        if given_number:
            batch_shape = matrix.shape[:-2]
            df = torch.tensor(df, dtype=matrix.dtype)
        else:
            batch_shape = torch.broadcast_shapes(matrix.shape[:-2], df.shape)
        event_shape = matrix.shape[-2:]
        p = event_shape[-1]
        if df.le(p - 1).any():
            raise ValueError(f"Value of df={shown} expected to be greater than ndim - 1 = {p - 1}.")
        # (a number stays a 0-d tensor, not expanded, as PyTorch's: its repr shows the value)
        self.df = df if given_number else df.expand(batch_shape)
        self.__dict__[attr] = matrix.expand(batch_shape + (-1, -1))
        super().__init__(batch_shape, event_shape, validate_args=validate_args)
        self._batch_dims = [-(i + 1) for i in range(len(self._batch_shape))]
        self._unbroadcasted_scale_tril = to_scale_tril(matrix)
        # the Bartlett factor's diagonal: chi-square draws of df, df - 1, ..., df - p + 1
        dfs = self.df.unsqueeze(-1) - torch.arange(p, dtype=matrix.dtype).expand(
            batch_shape + (-1,))
        self._dist_chi2 = Chi2(dfs)
        if self.df.lt(p).any():
            warnings.warn("Low df values detected. Singular samples are highly likely to occur "
                          "for ndim - 1 < df < ndim.", stacklevel=2)

    def expand(self, batch_shape, _instance=None):
        new = super().expand(batch_shape, _instance)
        new._batch_dims = [-(i + 1) for i in range(len(new._batch_shape))]
        return new

    def _matrix_shape(self):
        return self._batch_shape + self._event_shape

    def _df_matrix(self, shift=0.0):
        return (self.df - shift).view(self._batch_shape + (1, 1))

    @property
    def mean(self):
        return self._df_matrix() * self.covariance_matrix

    @property
    def mode(self):
        # (df - p - 1) Sigma where df > p + 1; undefined (nan) elsewhere
        factor = self.df - self._event_shape[-1] - 1
        factor = torch.where(factor <= 0, torch.full_like(factor, math.nan), factor)
        return factor.view(self._batch_shape + (1, 1)) * self.covariance_matrix

    @property
    def variance(self):
        # Var(X_ij) = df (Sigma_ij^2 + Sigma_ii Sigma_jj)
        S = self.covariance_matrix
        d = S.diagonal(dim1=-2, dim2=-1)
        return self._df_matrix() * (S.pow(2) + d.unsqueeze(-1) * d.unsqueeze(-2))

    def _bartlett(self, sample_shape):
        p = self._event_shape[-1]
        radii = self._dist_chi2.rsample(sample_shape).sqrt()
        radii = radii.clamp(min=torch.finfo(radii.dtype).eps)
        A = torch.diag_embed(radii)
        below = torch.tril_indices(p, p, -1)
        shape = self._extended_shape(sample_shape)[:-2]
        A[..., below[0], below[1]] = torch.randn(shape + (p * (p - 1) // 2,), dtype=A.dtype)
        factor = torch.matmul(self._unbroadcasted_scale_tril, A)
        return torch.matmul(factor, factor.mT)

    def rsample(self, sample_shape=torch.Size(), max_try_correction=None):
        """A Bartlett draw, checked and redrawn as PyTorch 2.13 does, observed: its check
        flags the draws that ARE positive-definite, so a valid draw warns "Singular sample
        detected." and is replaced once by the next draw (the second Bartlett draw is the
        result; grad_fn CopySlices or IndexPutBackward0); max_try_correction=0 keeps the
        first (docs/nn.md)."""
        tries = 3 if max_try_correction is None else max_try_correction
        sample = self._bartlett(sample_shape)
        flagged = self.support.check(sample)
        if self._batch_shape:
            flagged = flagged.amax(self._batch_dims)
        if flagged.any():
            warnings.warn("Singular sample detected.", stacklevel=2)
            for _ in range(tries):
                fresh = self._bartlett(torch.Size((int(flagged.sum()),)))
                sample[flagged] = fresh
                still = ~self.support.check(fresh)
                if self._batch_shape:
                    still = still.amax(self._batch_dims)
                flagged[flagged.clone()] = still
                if not flagged.any():
                    break
        return sample

    @property
    def _natural_params(self):
        # (-Sigma^-1 / 2, (df - p - 1) / 2)
        nu, p = self.df, self._event_shape[-1]
        return -0.5 * self.precision_matrix, 0.5 * (nu - p - 1)

    def _log_normalizer(self, x, y):
        # with df / 2 = y + (p + 1) / 2 and 2 Sigma = (-x)^-1:
        # (df / 2) log det(2 Sigma) + log Gamma_p(df / 2)
        p = self._event_shape[-1]
        half_df = y + 0.5 * (p + 1)
        return -half_df * torch.linalg.slogdet(-x).logabsdet + torch.mvlgamma(half_df, p=p)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        nu, p = self.df, self._event_shape[-1]
        L = self._unbroadcasted_scale_tril
        # log of the normalizer 2^(nu p / 2) |Sigma|^(nu / 2) Gamma_p(nu / 2), then the
        # kernel |X|^((nu - p - 1) / 2) exp(-tr(Sigma^-1 X) / 2)
        log_norm = nu * (p * _LOG_2 / 2 + log_det_half(L)) + torch.mvlgamma(nu / 2, p=p)
        trace = torch.cholesky_solve(value, L).diagonal(dim1=-2, dim2=-1).sum(-1)
        logdet = torch.linalg.slogdet(value).logabsdet
        return -log_norm + (nu - p - 1) / 2 * logdet - trace / 2

    def entropy(self):
        nu, p = self.df, self._event_shape[-1]
        L = self._unbroadcasted_scale_tril
        # (p + 1)/2 log|Sigma| + p (p + 1)/2 log 2 + log Gamma_p(nu/2)
        #   - (nu - p - 1)/2 psi_p(nu/2) + nu p / 2
        H = ((p + 1) * (p * _LOG_2 / 2 + log_det_half(L)) + torch.mvlgamma(nu / 2, p=p)
             - (nu - p - 1) / 2 * _mvdigamma(nu / 2, p) + nu * p / 2)
        return H.expand(self._batch_shape) if self._batch_shape else H
