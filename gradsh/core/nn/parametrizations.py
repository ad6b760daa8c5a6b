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
from ..ops.linalg import mv
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


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    raise NotImplementedError("torch.nn.utils.parametrizations.orthogonal is not in gradsh yet "
                              "(docs/nn.md)")
