"""Shape ops PyTorch composes from views, cat and mm (issue 15, branch torchbreadth): the
atleast_*d family, broadcast_tensors, meshgrid, column_stack, row_stack, dstack, hsplit, vsplit,
dsplit, tensordot, msort, adjoint / mH / H, and diag_embed / diagflat (DiagEmbedBackward0).
The compositions are PyTorch's, so their graphs have its nodes (ViewBackward0, ExpandBackward0,
CatBackward0, ...)."""

import numpy as np

from .. import autocast as _amp
from .. import errors
from ..tensor import Tensor
from .arrange import _meshgrid_ij
from .base import check_alloc, dim_arg, make, needs_grad, record
from .linalg import DiagEmbedBackward0, dot, mm
from .pointwise import mul
from .registry import declare
from .shape import (MAX_VIEWED, cat, check_pieces, expand, reshape, tensor_split, transpose,
                    unsqueeze, view, vstack)


def _tensors(args, name):
    """The tensors of a variadic call: f(a, b) or f([a, b]); each is viewed, so at most
    MAX_VIEWED of them."""
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    for k, t in enumerate(args):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                            f"not {errors.type_name(t)}")
    check_pieces(len(args), name + "()", MAX_VIEWED)
    return args


# ----- atleast_1d, atleast_2d, atleast_3d ----------------------------------------------------
def _atleast_1d(t):
    return view(t, 1) if t._data.ndim == 0 else t


def _atleast_2d(t):
    n = t._data.ndim
    return view(t, 1, 1) if n == 0 else (unsqueeze(t, 0) if n == 1 else t)


def _atleast_3d(t):
    n = t._data.ndim
    if n == 0:
        return view(t, 1, 1, 1)
    if n == 1:
        return unsqueeze(unsqueeze(t, 0), -1)
    return unsqueeze(t, -1) if n == 2 else t


def _atleast(name, one):
    def op(*tensors):
        single = len(tensors) == 1 and isinstance(tensors[0], Tensor)
        ts = _tensors(tensors, name)
        return one(ts[0]) if single else tuple(one(t) for t in ts)
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = f"Each tensor viewed with at least {name[-2]} dims (a tuple for several)."
    return declare(name=name, method=False)(op)


atleast_1d = _atleast("atleast_1d", _atleast_1d)
atleast_2d = _atleast("atleast_2d", _atleast_2d)
atleast_3d = _atleast("atleast_3d", _atleast_3d)


# ----- broadcast_tensors, meshgrid ------------------------------------------------------------
@declare(method=False)
def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape, as PyTorch folds it from the left (its error
    names the running shape as tensor a); a tensor already of that shape is returned as is."""
    ts = tensors
    shape = ()
    for k, t in enumerate(ts):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got "
                            f"{type(t).__name__}")
        try:
            shape = np.broadcast_shapes(shape, t._data.shape)
        except ValueError:
            raise errors.broadcast_error(shape, t._data.shape) from None
    return tuple(t if t._data.shape == shape else expand(t, *shape) for t in ts)


_meshgrid_warned = errors.once_flags([])


@declare(method=False)
def meshgrid(*tensors, indexing=None):
    """Coordinate grids: output k varies along dim k ("ij") or, for "xy", the first two swap."""
    ts = list(_tensors(tensors, "meshgrid"))
    if indexing is None:
        if not _meshgrid_warned:  # (PyTorch warns once per process)
            _meshgrid_warned.append(True)
            errors.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                        "indexing argument."
                        + errors.triggered_at("aten/src/ATen/native/TensorShape.cpp:4215"),
                        UserWarning, stacklevel=3)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but received: '
                           f"{indexing}")
    for t in ts:
        if t._data.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got: {_cpp_matrix(t)}")
    if ts and any(t._data.dtype != ts[0]._data.dtype for t in ts):
        raise RuntimeError("torch.meshgrid: Expected all tensors in the tensor list to have the "
                           "same dtype.")
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    out = _meshgrid_ij(ts)
    if swap:
        out[0], out[1] = out[1], out[0]
    return tuple(out)


def _cpp_matrix(t):
    """A matrix as ATen's C++ printer shows it in messages (fixed 4 decimals, or integers)."""
    d = t._data
    legacy = t.dtype._legacy
    if d.ndim != 2:
        return f"[ torch.{legacy}{{{','.join(map(str, d.shape))}}} ]"
    v = d.astype(np.float64)
    finite = v[np.isfinite(v)]
    top = float(np.abs(finite).max()) if finite.size else 0.0
    digits = int(np.floor(np.log10(top))) + 1 if top > 0 else 1
    if d.dtype.kind not in "fV" or np.all(finite == np.round(finite)):
        size = digits + 1
        cells = [[f"{x:.0f}".rjust(size) for x in row] for row in v]
    else:
        size = 7 if digits <= 0 else digits + 6
        cells = [[f"{x:.4f}".rjust(size) for x in row] for row in v]
    body = "\n".join(" ".join(row) for row in cells)
    return f"{body}\n[ torch.{legacy}{{{','.join(map(str, d.shape))}}} ]"


# ----- column_stack, row_stack, dstack; hsplit, vsplit, dsplit -------------------------------
@declare(method=False)
def column_stack(tensors):
    """1-d (and 0-d) tensors as columns, then hstack."""
    ts = _tensors((tensors,), "column_stack")
    if not ts:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    cols = [reshape(t, t._data.size, 1) if t._data.ndim <= 1 else t for t in ts]
    return cat(cols, 1)


@declare(method=False)
def row_stack(tensors):
    """vstack's older name."""
    return vstack(tensors)


@declare(method=False)
def dstack(tensors):
    """Concatenate along the third dim (each tensor made at least 3-d)."""
    ts = _tensors((tensors,), "dstack")
    if not ts:
        raise RuntimeError("dstack expects a non-empty TensorList")
    return cat([_atleast_3d(t) for t in ts], 2)


def _dsplit_like(name, dim, least):
    def op(self, indices_or_sections):
        n = self._data.ndim
        if n < least:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {least} dimension, "
                               f"but got a tensor with {n} dimensions!")
        d = 0 if (name == "hsplit" and n == 1) else dim
        if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
            size = self._data.shape[d]
            if indices_or_sections != 0 and size % indices_or_sections != 0:
                raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but the "
                                   f"size of the dimension {size} is not divisible by the "
                                   f"split_size {indices_or_sections}!")
        return tensor_split(self, indices_or_sections, d)
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = f"tensor_split along dim {dim} (equal sections must divide it)."
    return declare(name=name, tensor_first=True)(op)


hsplit = _dsplit_like("hsplit", 1, 1)
vsplit = _dsplit_like("vsplit", 0, 2)
dsplit = _dsplit_like("dsplit", 2, 3)


# ----- tensordot, msort -----------------------------------------------------------------------
@declare(method=False)
def tensordot(a, b, dims=2, out=None):
    """Sum the products over dims of a and b: PyTorch's permute, reshape, mm and view."""
    if _amp.on:  # torch.autocast: its dtype (core/autocast.py)
        a, b = _amp.lower(a, b)
    for name, t in (("a", a), ("b", b)):
        if not isinstance(t, Tensor):
            raise TypeError(f"tensordot(): argument '{name}' must be Tensor, not "
                            f"{errors.type_name(t)}")
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a._data.ndim, b._data.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        d1 = list(range(-dims, 0))  # (PyTorch's messages name them so)
        d2 = list(range(dims))
    else:
        d1, d2 = dims
        for name, ds, pos in (("dims_self", d1, 3), ("dims_other", d2, 4)):
            if not isinstance(ds, (list, tuple, Tensor)):
                raise TypeError(f"tensordot(): argument '{name}' (position {pos}) must be tuple "
                                f"of ints, not {errors.type_name(ds)}")
        d1 = list(d1)
        d2 = list(d2)
    if len(d1) != len(d2):
        raise RuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    for name, ds in (("dims_self", d1), ("dims_other", d2)):
        if not all(isinstance(k, int) and not isinstance(k, bool) for k in ds):
            bad = next(k for k in ds if not isinstance(k, int) or isinstance(k, bool))
            raise TypeError(f"tensordot(): argument '{name}' (position {3 if name == 'dims_self' else 4}) "
                            f"must be tuple of ints, not {errors.type_name(bad)}")
    csize = 1
    for k1, k2 in zip(d1, d2):
        s1 = a._data.shape[dim_arg(k1, a._data.ndim)]
        s2 = b._data.shape[dim_arg(k2, b._data.ndim)]
        if s1 != s2:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {s1} in "
                               f"dim {k1} and second has size {s2} in dim {k2}")
        csize *= s1
    d1 = [dim_arg(k, a._data.ndim) for k in d1]
    d2 = [dim_arg(k, b._data.ndim) for k in d2]
    free1 = [k for k in range(a._data.ndim) if k not in d1]
    free2 = [k for k in range(b._data.ndim) if k not in d2]
    rsizes = [a._data.shape[k] for k in free1] + [b._data.shape[k] for k in free2]
    size1 = int(np.prod([a._data.shape[k] for k in free1]))
    size2 = int(np.prod([b._data.shape[k] for k in free2]))
    if a._data.dtype == np.bool_:  # (its dot and mm kernels are not built for bool)
        kernel = "dot" if size1 == 1 and size2 == 1 else "addmm_impl_cpu_"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if size1 == 1 and size2 == 1:  # PyTorch's tensordot takes dot here (DotBackward0)
        t1, t2 = a.permute(*(free1 + d1)), b.permute(*(d2 + free2))
        t1 = t1 if t1._data.shape == (csize,) else reshape(t1, csize)
        t2 = t2 if t2._data.shape == (csize,) else reshape(t2, csize)
        return reshape(dot(t1, t2), *rsizes) if rsizes else reshape(dot(t1, t2), ())
    t1 = reshape(a.permute(*(free1 + d1)), size1, csize)
    t2 = reshape(b.permute(*(d2 + free2)), csize, size2)
    return reshape(mm(t1, t2), *rsizes) if rsizes else reshape(mm(t1, t2), ())


@declare(tensor_first=True)
def inner(self, other):
    """The products summed over the last dims (a 0-d operand multiplies): tensordot's."""
    if self._data.ndim == 0 or other._data.ndim == 0:
        return mul(self, other)
    if self._data.shape[-1] != other._data.shape[-1]:
        raise RuntimeError("inner() the last dimension must match on both input tensors but got "
                           f"shapes {errors.shape_str(self._data.shape)} and "
                           f"{errors.shape_str(other._data.shape)}")
    return tensordot(self, other, ([-1], [-1]))


@declare(tensor_first=True)
def msort(self):
    """Sorted along the first dim (values only)."""
    return self.sort(0)[0]


# ----- adjoint, mH, H -------------------------------------------------------------------------
@declare(tensor_first=True)
def adjoint(self):
    """The conjugate transpose of the last two dims (real tensors: the transpose, a view)."""
    if self._data.ndim < 2:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {self._data.ndim}-D tensor.")
    return _conj_transposed(self, -2, -1)


@declare(prop=True, function=False)
def mH(self):
    """The conjugate transpose of the last two dims."""
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mH is only supported on matrices or batches of matrices. "
                           f"Got {self._data.ndim}-D tensor.")
    return _conj_transposed(self, -2, -1)


@declare(prop=True, function=False)
def H(self):
    """The conjugate transpose of a matrix."""
    if self._data.ndim != 2:
        raise RuntimeError("tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{self._data.ndim}-D tensor."
                           + (" For batches of matrices, consider using tensor.mH"
                              if self._data.ndim > 2 else ""))
    return _conj_transposed(self, 0, 1)


def _conj_transposed(self, d0, d1):
    """The transpose, and for a complex tensor its conjugate view of it (PyTorch records
    ConjBackward0 over TransposeBackward0 and sets the conjugate bit)."""
    out = transpose(self, d0, d1)
    return out.conj() if self._data.dtype.kind == "c" else out


# ----- diag_embed, diagflat -------------------------------------------------------------------
@declare(tensor_first=True)
def diag_embed(self, offset=0, dim1=-2, dim2=-1):
    """A tensor whose diagonals (over dim1, dim2) are the last dim of self, zeros elsewhere."""
    d = self._data
    n = d.ndim + 1
    a, b = dim_arg(dim1, n), dim_arg(dim2, n)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    k = d.shape[-1] if d.ndim else 1
    side = k + abs(offset)
    rest = list(d.shape[:-1]) if d.ndim else []
    shape = []
    it = iter(rest)
    for j in range(n):
        shape.append(side if j in (a, b) else next(it))
    check_alloc(tuple(shape), d.dtype)
    out_d = np.zeros(shape, d.dtype)
    dg = np.diagonal(out_d, offset, a, b)
    view_d = np.lib.stride_tricks.as_strided(
        out_d[tuple(slice(abs(offset), None) if j == (b if offset >= 0 else a) else slice(None)
                    for j in range(n))], dg.shape, dg.strides, writeable=True)
    view_d[...] = d.reshape(dg.shape)
    out = make(out_d)
    if needs_grad(self):
        record(out, DiagEmbedBackward0, (self,), (offset, a, b))
    return out


@declare(tensor_first=True)
def diagflat(self, offset=0):
    """The flattened tensor as the diagonal of a matrix."""
    return diag_embed(view(self.contiguous(), -1), offset)
