"""torch.gradient: finite differences of sampled values along dims, composed of PyTorch's own
steps (ATen's gradient_helper, ReduceOps.cpp) so values, rounding and nodes are its: slices,
differences and a cat of the two edges around the centre. And the deprecated
torch.frobenius_norm (at::norm over one or two dims: NormBackward1)."""


from numbers import Number

from ..tensor import Tensor
from .base import dims_arg
from .pointwise import div_scalar, mul_scalar
from .reduce import NormBackward1, p_norm
from .registry import declare
from .shape import cat, slice_dim
from .. import errors


def _s(x, d, start, stop=None):
    return slice_dim(x, d, start, stop, None)


def _mul(t, k):
    """C++'s tensor * Scalar (MulBackward1); an integer tensor's product is promoted."""
    return mul_scalar(t, k) if t._data.dtype.kind in "fV" else t * k


def _div(t, k):
    """C++'s tensor / Scalar (DivBackward1); an integer tensor's quotient is a float one."""
    return div_scalar(t, k) if t._data.dtype.kind in "fV" else t / k


def _scalar_spaced(x, d, h, edge_order):
    center = _div(_s(x, d, 2) - _s(x, d, 0, -2), h)
    if edge_order == 1:
        prepend = _div(_s(x, d, 1, 2) - _s(x, d, 0, 1), h)
        append = _div(_s(x, d, -1) - _s(x, d, -2, -1), h)
    else:
        prepend = _div(_mul(_s(x, d, 0, 1), -1.5) + _mul(_s(x, d, 1, 2), 2) -
                       _mul(_s(x, d, 2, 3), 0.5), h)
        append = _div(_mul(_s(x, d, -3, -2), 0.5) - _mul(_s(x, d, -2, -1), 2) +
                      _mul(_s(x, d, -1), 1.5), h)
    return cat([prepend, _div(center, 2), append], d)


def _coordinate_spaced(x, d, coords, edge_order):
    shape = [1] * x.ndim
    shape[d] = -1
    dx = coords.diff(1, 0)
    dx1, dx2 = _s(dx, 0, 0, -1), _s(dx, 0, 1)
    a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
    b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
    c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
    center = a * _s(x, d, 0, -2) + b * _s(x, d, 1, -1) + c * _s(x, d, 2)
    if edge_order == 1:
        prepend = (_s(x, d, 1, 2) - _s(x, d, 0, 1)) / dx[0]
        append = (_s(x, d, -1) - _s(x, d, -2, -1)) / dx[-1]
    else:
        a = -(_mul(dx[0], 2.0) + dx[1]) / (dx[0] * (dx[0] + dx[1]))
        b = (dx[0] + dx[1]) / (dx[0] * dx[1])
        c = (-dx[0]) / (dx[1] * (dx[0] + dx[1]))
        prepend = a * _s(x, d, 0, 1) + b * _s(x, d, 1, 2) + c * _s(x, d, 2, 3)
        a = (dx[-1]) / (dx[-2] * (dx[-1] + dx[-2]))
        b = -(dx[-1] + dx[-2]) / (dx[-1] * dx[-2])
        c = (_mul(dx[-1], 2) + dx[-2]) / (dx[-1] * (dx[-1] + dx[-2]))
        append = a * _s(x, d, -3, -2) + b * _s(x, d, -2, -1) + c * _s(x, d, -1)
    return cat([prepend, center, append], d)


def _check(x, n_spacing, dim, edge_order):
    """ATen's pre_check_gradient, in its order."""
    if x._data.dtype.kind == "u" and x._data.itemsize == 1:
        raise RuntimeError("torch.gradient does not support uint8 input.")
    if n_spacing is not None and dim is None and n_spacing != x.ndim:
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar, or a list of length "
            f"equal to 'self.dim() = {x.ndim}', since dim argument was not given, but got a "
            f"list of length {n_spacing}")
    if n_spacing is not None and dim is not None and n_spacing != len(dim):
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
            f"arguments to have the same length, but got a spacing argument of length "
            f"{n_spacing} and a dim argument of length {len(dim)}.")
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = dims_arg(list(dim), x.ndim) if dim is not None else tuple(range(x.ndim))
    for d in dims:
        if x.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least "
                               "edge_order+1")
    return dims


def _sequence(v):
    if not isinstance(v, (list, tuple)):
        raise TypeError(f"expected a list or tuple, not {type(v).__name__}")
    return v


@declare(method=False, tensor_first=True)
def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """Estimates of the derivative of the function sampled by input along each dim (or the
    given ones): central differences inside, one-sided ones of edge_order at the edges; spacing
    a scalar, one scalar per dim, or one coordinate tensor per dim."""
    if isinstance(dim, int) and not isinstance(dim, bool):
        dim = [dim]
    # PyTorch's signatures take a list or tuple (never an iterator read without end); anything
    # else fails here, and the argument check gives PyTorch's "invalid combination" message
    dim = None if dim is None else list(_sequence(dim))
    if spacing is None:
        spacing = 1
    if isinstance(spacing, (Number, Tensor)) and not (isinstance(spacing, Tensor) and
                                                      spacing.ndim):
        n = len(dim) if dim is not None else input.ndim
        dims = _check(input, None, dim, edge_order)
        h = spacing.item() if isinstance(spacing, Tensor) else spacing
        return tuple(_scalar_spaced(input, d, h, edge_order) for d in dims[:n])
    spacing = list(_sequence(spacing))
    if not all(issubclass(kind, Number) for kind in set(map(type, spacing))):
        # not PyTorch's tuple of Scalars, so its tuple of Tensors: the first other element is
        # named (`spacing=[[1.0]]`, `[1.0, t]`)
        for i, s in enumerate(spacing):
            if not isinstance(s, Tensor):
                raise TypeError(f"expected Tensor as element {i} in argument 1, but got "
                                f"{type(s).__name__}")
    dims = _check(input, len(spacing), dim, edge_order)
    if spacing and all(isinstance(s, Tensor) for s in spacing):
        out = []
        for d, coords in zip(dims, spacing):
            if coords.ndim != 1:
                raise RuntimeError("torch.gradient expected each element of spacing to have one "
                                   f"dimension, but got an element with {coords.ndim} "
                                   "dimensions!")
            out.append(_coordinate_spaced(input, d, coords, edge_order))
        return tuple(out)
    return tuple(_scalar_spaced(input, d, h, edge_order) for d, h in zip(dims, spacing))


_warned = errors.once_flags([])


@declare(method=False, tensor_first=True)
def frobenius_norm(input, dim, keepdim=False):
    """Deprecated: the 2-norm over one or two dims (ATen's at::norm, NormBackward1)."""
    if not _warned:
        _warned.append(True)
        errors.warn("at::frobenius_norm is deprecated and it is just left for JIT "
                      "compatibility. It will be removed in a future PyTorch release. Please use "
                      "`linalg.vector_norm(A, 2., dim, keepdim)` instead"
                    + errors.triggered_at("aten/src/ATen/native/LinearAlgebra.cpp:3175"), UserWarning,
                      stacklevel=3)
    dims = [dim] if isinstance(dim, int) else list(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions "
                           "instead.")
    dims = dims_arg(dims, input.ndim)
    return p_norm(input, 2, dims, keepdim, NormBackward1)
