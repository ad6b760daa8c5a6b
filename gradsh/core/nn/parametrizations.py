"""torch.nn.utils.parametrizations: weight_norm and spectral_norm, each a small Module handed to
parametrize.register_parametrization (its class name, `_WeightNorm` or `_SpectralNorm`, is what
PyTorch prints in the module's repr).

weight_norm keeps a magnitude g (`original0`) and a direction v (`original1`) and reads
g * v / ||v|| through the fused torch._weight_norm.

spectral_norm reads W / sigma, sigma = u . (W v), where u and v (buffers `_u`, `_v`) estimate
W's top singular vectors by power iteration on W seen as a matrix (the chosen dim as rows).
The facts that fix its numbers: u and v start as standard normal draws, u first, each made a
unit vector; 15 rounds run at registration and `n_power_iterations` rounds on every read in
training mode, written into the buffers in place; a 1-d weight is only made a unit vector.
"""

from .. import factories
from .. import nn_functional as F
from ..grad_mode import no_grad
from ..ops.dense import linalg_qr, linalg_solve, matrix_exp
from ..ops.householder import geqrf, linalg_householder_product
from ..ops.linalg import mv
from ..ops.pointwise import add, allclose, where
from ..ops.shape import cat
from ..tensor import Tensor
from ..weight_norm import norm_except_dim, weight_norm as _fused_weight_norm
from .conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .module import Module
from .parametrize import register_parametrization

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]

# their weight is (in_channels, out_channels, ...): spectral_norm's rows are dim 1 by default
_TRANSPOSED_CONVS = (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)
_WARM_UP_ROUNDS = 15


def _unit(x, eps):
    return F.normalize(x, dim=0, eps=eps)


def _as_matrix(weight, rows_dim):
    """weight with `rows_dim` first and every other dim flattened into the columns."""
    if rows_dim != 0:  # no permute node in the graph when the rows are already first
        rest = [d for d in range(weight.ndim) if d != rows_dim]
        weight = weight.permute(rows_dim, *rest)
    return weight.flatten(1)


def _power_rounds(mat, u, v, rounds, eps):
    """u <- unit(W v), then v <- unit(W^H u), `rounds` times, into u and v themselves."""
    with no_grad():
        for _ in range(rounds):
            u.copy_(_unit(mv(mat, v), eps))
            v.copy_(_unit(mv(mat.H, u), eps))


class _WeightNorm(Module):
    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return _fused_weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        magnitude = norm_except_dim(weight, 2, self.dim)
        return magnitude, weight


def weight_norm(module, name="weight", dim=0):
    """module.<name> = g * v / ||v|| with g (`original0`) and v (`original1`) learned."""
    register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def old_keys(module, state_dict, prefix, *rest):
        """A checkpoint of the hook-based nn.utils.weight_norm (`weight_g`, `weight_v`) loads
        into the parametrization's entries, as PyTorch's does."""
        for suffix, original in (("_g", "original0"), ("_v", "original1")):
            key = f"{prefix}{name}{suffix}"
            if key in state_dict:
                state_dict[f"{prefix}parametrizations.{name}.{original}"] = state_dict.pop(key)

    module.register_load_state_dict_pre_hook(old_keys)
    return module


def _check_spectral_arguments(ndim, dim, rounds):
    if not -ndim <= dim < ndim:
        raise IndexError("Dimension out of range (expected to be in range of "
                         f"[-{ndim}, {ndim - 1}] but got {dim})")
    if rounds <= 0:
        raise ValueError("Expected n_power_iterations to be positive, but "
                         f"got n_power_iterations={rounds}")


class _SpectralNorm(Module):
    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        _check_spectral_arguments(weight.ndim, dim, n_power_iterations)
        self.dim = dim % weight.ndim
        self.eps = eps
        if weight.ndim < 2:
            return  # a vector has no singular vectors to track
        self.n_power_iterations = n_power_iterations
        mat = _as_matrix(weight, self.dim)
        for buffer, length in (("_u", mat.shape[0]), ("_v", mat.shape[1])):
            start = factories.empty(length, dtype=mat.dtype).normal_()
            self.register_buffer(buffer, _unit(start, eps))
        _power_rounds(mat, self._u, self._v, _WARM_UP_ROUNDS, eps)

    def forward(self, weight):
        if weight.ndim == 1:
            return _unit(weight, self.eps)
        mat = _as_matrix(weight, self.dim)
        if self.training:
            _power_rounds(mat, self._u, self._v, self.n_power_iterations, self.eps)
        # copies: the next read's rounds overwrite the buffers, which backward would see
        u, v = self._u.clone(), self._v.clone()
        return weight / u.vdot(mv(mat, v))

    def right_inverse(self, value):
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """module.<name> divided by its largest singular value, estimated by power iteration."""
    if not isinstance(getattr(module, name, None), Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if isinstance(module, _TRANSPOSED_CONVS) else 0
    norm = _SpectralNorm(getattr(module, name), n_power_iterations, dim, eps)
    register_parametrization(module, name, norm)
    return module


_MAPS = ("matrix_exp", "cayley", "householder")


def _signs_of_r(R):
    return R.diagonal(dim1=-2, dim2=-1).sign().unsqueeze(-2)


def _orthonormalized(Q):
    """Q's QR factor Q with R's diagonal made positive (Q itself when Q is orthogonal)."""
    eye = factories.eye(Q.shape[-1], dtype=Q.dtype)
    if allclose(Q.mT @ Q, eye):
        return Q
    q, r = linalg_qr(Q)
    return q * _signs_of_r(r)


def _completed(Q):
    """The n x n orthogonal matrix whose first k columns are Q's (n x k): Q beside standard
    normal draws, orthonormalized (PyTorch's completion: the same draws under a seed)."""
    n, k = Q.shape[-2:]
    if n > k:
        Q = cat([Q, factories.randn(*Q.shape[:-1], n - k, dtype=Q.dtype)], -1)
    q, r = linalg_qr(Q)
    return q * _signs_of_r(r)


class _Orthogonal(Module):
    """An orthogonal matrix (the last two dims; a batch of them) read from an unconstrained one
    X (n x k, n >= k: a wide weight is read transposed):

    - matrix_exp / cayley: A = tril(X) (zero columns added up to n x n) minus its transpose is
      skew-symmetric; Q = exp(A), or the Cayley map (I - A/2)^-1 (I + A/2); its first k columns;
    - householder: the product of the reflectors below X's diagonal, each scaled to be a
      reflection (tau = 2 / (1 + |v|^2)), its columns times X's diagonal truncated to integers
      (the signs right_inverse stores there).

    With the trivialization (the default) a buffer `base` (n x n orthogonal) multiplies the
    result from the left: registering or assigning Q stores it there (orthonormalized by QR
    when it is not orthogonal, completed with normal draws when it is not square), and the
    original becomes -1 on the diagonal, whose map is the identity's first columns.
    """

    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def _mapped(self, X):
        n, k = X.shape[-2:]
        if self.orthogonal_map == "householder":
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            signs = X.diagonal(dim1=-2, dim2=-1).detach().trunc()
            return linalg_householder_product(A, tau) * signs.unsqueeze(-2)
        A = X.tril()
        if n > k:
            A = cat([A, factories.zeros(*A.shape[:-1], n - k, dtype=A.dtype)], -1)
        A = A - A.mT
        if self.orthogonal_map == "matrix_exp":
            Q = matrix_exp(A)
        else:
            eye = factories.eye(n, dtype=A.dtype)
            Q = linalg_solve(add(eye, A, alpha=-0.5), add(eye, A, alpha=0.5))
        return Q[..., :k] if n > k else Q

    def forward(self, X):
        wide = X.shape[-2] < X.shape[-1]
        Q = self._mapped(X.mT if wide else X)
        if getattr(self, "base", None) is not None:
            Q = self.base @ Q
        return Q.mT if wide else Q

    def right_inverse(self, Q):
        if Q.shape != self.shape:
            raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                             f"Got a tensor of shape {Q.shape}.")
        wide = Q.shape[-2] < Q.shape[-1]
        T = Q.mT if wide else Q
        with no_grad():
            if "base" in self._buffers:
                self.base = _completed(_orthonormalized(T))
                neg_eye = -factories.eye(*T.shape[-2:], dtype=Q.dtype)
                out = neg_eye.expand(T.shape).clone()
            elif self.orthogonal_map != "householder":
                raise NotImplementedError("It is not possible to assign to the matrix "
                                          "exponential or the Cayley parametrizations when "
                                          "use_trivialization=False.")
            else:
                # the reflectors of Q's QR; on the diagonal the signs that make the map give
                # Q's factor with R's diagonal positive (a zero tau is a reflection in the map)
                a, tau = geqrf(T)
                flip = where(tau == 0, -1.0, 1.0).to(a.dtype)
                a.diagonal(dim1=-2, dim2=-1).copy_(a.diagonal(dim1=-2, dim2=-1).sign() * flip)
                out = a
        return out.mT if wide else out


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """module.<name> (a matrix or a batch of them) kept orthogonal: read through matrix_exp,
    cayley or householder of an unconstrained original (_Orthogonal)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of "
                         f"{weight.ndim} dimensions.")
    if orthogonal_map is None:
        square = weight.shape[-2] == weight.shape[-1]
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    if orthogonal_map not in _MAPS:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", '
                         f'"householder". Got: {orthogonal_map}')
    parametrization = _Orthogonal(weight, orthogonal_map,
                                  use_trivialization=use_trivialization)
    register_parametrization(module, name, parametrization)
    return module
