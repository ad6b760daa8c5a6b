"""Rearranging ops: rot90 (Rot90Backward0), tile (PyTorch's composition: a repeat),
block_diag (BlockDiagBackward0), and kron, cartesian_prod and combinations as PyTorch composes
them (views, expands, a product or masked selections, a stack), so their graphs have its nodes."""

import numpy as np

from .. import errors
from ..tensor import Tensor
from . import prim as P
from ..dtypes import TooManyItems, default_float_np
from .base import check_alloc, dim_arg, make, needs_grad, promote, record, rule
from .base import contiguous_result as result
from ..layout import like
from .registry import declare
from .index import masked_select
from .linalg import _unsafe_view
from .pointwise import mul
from .shape import _try_view, expand, flatten, narrow_any, repeat, sizes, stack, view


# ----- rot90 ------------------------------------------------------------------------------------
def _rot90_array(d, k, d0, d1):
    """PyTorch's rot90 on an array: a flip (in the layout of empty_like) and, for an odd k, the
    transpose of it (a view); k = 0 is a contiguous clone."""
    k %= 4
    if k == 1:
        return like(d, np.flip(d, d1)).swapaxes(d0, d1)
    if k == 2:
        return like(d, np.flip(d, (d0, d1)))
    if k == 3:
        return like(d, np.flip(d, d0)).swapaxes(d0, d1)
    return np.array(d, order="C")


@rule
def Rot90Backward0(need, g, k, dims):
    if isinstance(g, Tensor):
        return (rot90(g, -k, dims),)
    return (_rot90_array(g, -k, *dims),)


@declare(tensor_first=True)
def rot90(self, k=1, dims=(0, 1)):
    """Rotate by k quarter turns in the plane of dims, from the first towards the second."""
    d = self._data
    errors.long(k)
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if d.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {d.ndim}")
    d0, d1 = dim_arg(dims[0], d.ndim), dim_arg(dims[1], d.ndim)
    if d0 == d1:  # (the message names the dims as given)
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    out = make(_rot90_array(d, k, d0, d1))
    if needs_grad(self):
        record(out, Rot90Backward0, (self,), (k, (d0, d1)))
    return out


# ----- tile -------------------------------------------------------------------------------------
def _tile_function(input, dims):
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"tile(): argument 'dims' (position 2) must be tuple of ints, not "
                        f"{type(dims).__name__}")
    return tile(input, *dims)


@declare(tensor_first=True, function=_tile_function)
def tile(self, *dims):
    """Repeat the tensor dims[k] times along each dim (missing leading dims count as 1):
    PyTorch's tile is this repeat (RepeatBackward0)."""
    dims = sizes(dims)
    return repeat(self, *((1,) * (self._data.ndim - len(dims)) + tuple(dims)))


# ----- block_diag -------------------------------------------------------------------------------
def _as_block(d):
    return d.reshape(1, -1) if d.ndim == 1 else (d.reshape(1, 1) if d.ndim == 0 else d)


@rule
def BlockDiagBackward0(need, g, shapes, dtypes):
    grads, row, col = [], 0, 0
    for wanted, shape, dt in zip(need, shapes, dtypes):
        rows, cols = (1, 1) if len(shape) == 0 else ((1, shape[0]) if len(shape) == 1 else shape)
        if wanted:
            block = narrow_any(narrow_any(g, 0, row, rows), 1, col, cols)
            block = P.reshape(block, shape)
            grads.append(P.cast(block, dt) if P.data(block).dtype != dt else block)
        else:
            grads.append(None)
        row, col = row + rows, col + cols
    return tuple(grads)


@declare(method=False)
def block_diag(*tensors):
    """The tensors (at most 2-d; a 1-d one is a row, a 0-d one a 1 x 1 block) along the
    diagonal of a matrix of zeros."""
    for i, t in enumerate(tensors):
        if t._data.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {i} has {t._data.ndim} dimensions")
    if not tensors:  # (PyTorch's: a 1 x 0 matrix of the default dtype)
        return result(np.zeros((1, 0), default_float_np()))
    dt = promote(*tensors)
    blocks = [_as_block(t._data) for t in tensors]
    shape = (sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks))
    check_alloc(shape, dt)
    out = np.zeros(shape, dt)
    row = col = 0
    for b in blocks:
        out[row:row + b.shape[0], col:col + b.shape[1]] = b
        row, col = row + b.shape[0], col + b.shape[1]
    out = result(out)
    if needs_grad(*tensors):
        record(out, BlockDiagBackward0, tensors,
               (tuple(t._data.shape for t in tensors), tuple(t._data.dtype for t in tensors)))
    return out



# ----- kron, cartesian_prod, combinations ------------------------------------------------------
@declare(tensor_first=True)
def kron(self, other):
    """The Kronecker product: each element of self times the whole of other, in blocks."""
    if not isinstance(other, Tensor):
        raise TypeError(f"kron(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    a, b = self._data.shape, other._data.shape
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + a
    b = (1,) * (n - len(b)) + b
    # PyTorch's KronImpl: self as (a0, 1, a1, 1, ...), other as (1, b0, 1, b1, ...)
    self_view = _viewed(self, tuple(v for s in a for v in (s, 1)))
    other_view = _viewed(other, tuple(v for s in b for v in (1, s)))
    return _viewed(mul(self_view, other_view), tuple(x * y for x, y in zip(a, b)))


def _viewed(t, shape):
    """at::_unsafe_view(t, shape), which needs t's strides to allow the view."""
    if _try_view(t._data, shape) is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return _unsafe_view(t, shape)


def _meshgrid_ij(tensors):
    """at::meshgrid(tensors, "ij"): each 1-d tensor viewed along its own dim, expanded."""
    if len({t._data.dtype for t in tensors}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    shape = tuple(t._data.size for t in tensors)
    grids = []
    for k, t in enumerate(tensors):
        seen = [1] * len(tensors)
        seen[k] = -1
        grids.append(expand(view(t, *seen), *shape))
    return grids


def _check_vector(t):
    if t._data.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(t._data.shape)}")


@declare(method=False)
def cartesian_prod(*tensors):
    """Every tuple of one element from each 1-d tensor, as the rows of a matrix."""
    for t in tensors:
        _check_vector(t)
    if len(tensors) == 1:
        return tensors[0]
    return stack([flatten(g) for g in _meshgrid_ij(tensors)], 1)


@declare(tensor_first=True, method=False)
def combinations(input, r=2, with_replacement=False):
    """The r-element combinations of a 1-d tensor's elements (itertools' order), as rows."""
    _check_vector(input)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return make(np.empty(0, input._data.dtype))
    n = input._data.size
    # the grid of r index arrays of n**r elements each is checked before it is made (r=10**9
    # was a tuple of 10**9 dims, r=30 numpy's "array is too big")
    if r > 64:
        raise TooManyItems(f"combinations() with r={r} would make a grid of {r} dims: more than "
                           "the 64 dims of a tensor in gradsh")
    check_alloc((r,) + (n,) * r, np.int64)
    index = np.indices((n,) * r)
    mask = np.ones((n,) * r, bool)
    for k in range(r - 1):
        mask &= index[k] <= index[k + 1] if with_replacement else index[k] < index[k + 1]
    mask_tensor = make(mask)
    return stack([masked_select(g, mask_tensor) for g in _meshgrid_ij([input] * r)], 1)
