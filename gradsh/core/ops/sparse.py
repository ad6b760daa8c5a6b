"""Sparse COO tensors' ops: torch.sparse_coo_tensor, to_dense / to_sparse, coalesce, indices
and values, and the ops with a sparse meaning (arithmetic with a number or another tensor, t(),
sparse @ dense, sums), each with the node PyTorch records (docs/autograd.md, "Sparse tensors").

The data (SparseArray, printing, coalescing) is gradsh/core/sparse.py. Ops shared with dense
tensors (`*`, `+`, `t()`, `@`, `sum`) are bound over Tensor's on the SparseTensor class only, so
dense tensors' paths do not test for sparseness. The rules work on arrays: a gradient that
reaches a sparse input is restricted to its indices (PyTorch's sparse_mask), and create_graph
through a sparse op is refused.
"""

import numpy as np

from .. import dtypes
from ..factories import tensor as _tensor
from ..layout import sparse_coo
from ..node import Node, expose_saved, rule
from ..sparse import (SparseArray, SparseTensor, coalesce as _coalesce, coalesced_arrays, dense,
                      gathered, make_sparse, masked, not_on_sparse, sparse_array)
from ..tensor import Tensor
from .base import make, needs_grad, record, save
from .expf import glibc_expf
from .registry import declare
from ..meta import as_array

_I64 = np.dtype(np.int64)


def _is_sparse(t):
    return isinstance(t, Tensor) and type(t._data) is SparseArray


def _arrays(g):
    if isinstance(g, Tensor):  # (create_graph: the rules below are not differentiable)
        raise NotImplementedError("gradsh cannot record the backward pass of a sparse op "
                                  "(create_graph=True through a sparse tensor)")
    return g


def _node(name, fn):
    """A node class named as PyTorch names the op's node, for the sparse variant of an op whose
    dense node of that name is declared elsewhere (one PyTorch name, two layouts)."""
    code = fn.__code__
    cls = type(name, (Node,), {"__slots__": (), "rule": staticmethod(fn),
                               "fast": staticmethod(fn), "n_outputs": 1,
                               "__module__": "builtins", "_same_layout": True,
                               "_variants": None})
    expose_saved(cls, code.co_varnames[2:code.co_argcount])
    return cls


def _record(out, cls, inputs, saved=()):
    """Record cls when an input needs grad; `saved` may be a function giving the values (so
    tensors are saved, and saved-tensor hooks run, only then)."""
    if needs_grad(*inputs):
        record(out, cls, inputs, saved() if callable(saved) else saved)
    return out


# ----- construction ---------------------------------------------------------------------------
@rule
def SparseCooTensorWithDimsAndTensorsBackward0(need, g, indices):
    return (gathered(_arrays(g), indices),)


@declare(method=False)
def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None, pin_memory=False,
                      requires_grad=False, check_invariants=None, is_coalesced=None):
    """A sparse COO tensor holding `values` at `indices` (sparse_dim x nnz); size defaults to
    the smallest that holds the indices."""
    if not isinstance(indices, Tensor):
        indices = _tensor(indices)
    if not isinstance(values, Tensor):
        values = _tensor(values, dtype=dtype)
    idx = indices._data
    if idx.ndim == 1 and size is not None and len(size) != idx.shape[0] + values.ndim - 1:
        raise RuntimeError(f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) "
                           f"= {len(size)}, sparse_dim = {idx.shape[0]}, dense_dim = "
                           f"{values.ndim - 1}")
    if idx.ndim != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(idx.shape)}")
    if idx.dtype.kind not in "iu":
        idx = idx.astype(np.int64)  # (PyTorch converts floating indices too)
    idx = np.array(idx, dtype=np.int64)
    v = values._data
    if idx.shape[1] != (v.shape[0] if v.ndim else 1):
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: "
                           f"{idx.shape[1]}, nnz from values: {v.shape[0] if v.ndim else 1}")
    if v.ndim == 0:
        raise RuntimeError("values must be at least one-dimensional")  # (not a PyTorch text)
    sparse_dim, dense_dim = idx.shape[0], v.ndim - 1
    if requires_grad and v.dtype.kind not in "fcV":
        raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                           "gradients")
    if size is None:
        size = tuple(int(m) + 1 for m in idx.max(axis=1)) if idx.shape[1] else (0,) * sparse_dim
        size = size + v.shape[1:]
    else:
        size = tuple(int(s) for s in size)
        if len(size) != sparse_dim + dense_dim:
            raise RuntimeError(f"'len(size) == sparse_dim + dense_dim' is not satisfied: "
                               f"len(size) = {len(size)}, sparse_dim = {sparse_dim}, dense_dim "
                               f"= {dense_dim}")
        if any(n < 0 for n in size):
            raise RuntimeError("numel: integer multiplication overflow")
        if tuple(size[sparse_dim:]) != v.shape[1:]:
            expected = [v.shape[0], *size[sparse_dim:]]
            raise RuntimeError(f"values has incorrect size, expected {expected}, got "
                               f"{list(v.shape)}")
    if dtype is not None:
        v = v.astype(dtype.np)
    # (the values' array itself, as PyTorch's shares them)
    a = sparse_array(idx, v, size, bool(is_coalesced) or idx.shape[1] == 0)
    out = make_sparse(a)
    if requires_grad:
        out._requires_grad = True
    elif needs_grad(values):
        record(out, SparseCooTensorWithDimsAndTensorsBackward0, (values,),
               (save(make(idx), "indices"),))
    return out


@rule
def ToSparseBackward0(need, g):
    g = _arrays(g)
    return (dense(g) if type(g) is SparseArray else g,)


@declare(function=False)
def to_sparse(self, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
    """This tensor as a sparse COO tensor (its nonzero elements, coalesced)."""
    if _is_sparse(self):
        return self
    d = self._data
    nd = d.ndim if sparse_dim is None else int(sparse_dim)
    if nd == 0 and d.ndim == 0:
        idx = np.zeros((0, 1), dtype=np.int64)
        vals = d.reshape(1)
    else:
        flat = d.reshape(d.shape[:nd] + (-1,))
        keep = np.any(flat != 0, axis=-1) if d.ndim > nd else flat[..., 0] != 0
        idx = np.array(np.nonzero(keep), dtype=np.int64).reshape(nd, -1)
        vals = d[tuple(idx)]
    out = make_sparse(sparse_array(idx, np.array(vals), d.shape, True))
    return _record(out, ToSparseBackward0, (self,))


@rule
def ToDenseBackward0(need, g, self):
    return (masked(_arrays(g), self),)


@declare(function=False)
def to_dense(self, dtype=None, *, masked_grad=None):
    """The sparse tensor's elements as a dense (strided) tensor; a dense tensor itself."""
    if not _is_sparse(self):
        return self
    a = self._data
    out = make(dense(a, None if dtype is None else dtype.np))
    return _record(out, ToDenseBackward0, (self,), lambda: (save(self, "self"),))


# ----- the payload ----------------------------------------------------------------------------
def _sparse_only(self, op):
    if not _is_sparse(self):
        raise RuntimeError(f"{op} expected sparse coordinate tensor layout but got Strided")
    return self._data


@rule
def CoalesceBackward0(need, g):
    return (_arrays(g),)


@declare(function=False)
def coalesce(self):
    """The tensor with duplicate indices summed and indices sorted (itself if it is so)."""
    a = _sparse_only(self, "coalesce")
    if a.coalesced:
        return self
    return _record(make_sparse(_coalesce(a)), CoalesceBackward0, (self,))


@declare(function=False)
def is_coalesced(self):
    """Were duplicate indices summed and the indices sorted (coalesce(), to_sparse())?"""
    return _sparse_only(self, "is_coalesced").coalesced


def _check_coalesced(a, what):
    if not a.coalesced:
        raise RuntimeError(f"Cannot get {what} on an uncoalesced tensor, please call "
                           ".coalesce() first")


@declare(function=False)
def indices(self):
    """The indices (sparse_dim x nnz, int64) of a coalesced sparse tensor."""
    a = _sparse_only(self, "indices")
    _check_coalesced(a, "indices")
    return make(a.indices)


@declare(function=False)
def _indices(self):
    """The indices as stored, coalesced or not."""
    return make(_sparse_only(self, "_indices").indices)


@rule
def ValuesBackward0(need, g, self):
    return (sparse_array(self.indices, np.asarray(_arrays(g)), self.shape, self.coalesced),)


@declare(function=False)
def values(self):
    """The values (nnz x dense dims) of a coalesced sparse tensor."""
    a = _sparse_only(self, "values")
    _check_coalesced(a, "values")
    return _record(make(a.values), ValuesBackward0, (self,), lambda: (save(self, "self"),))


@declare(function=False)
def _values(self):
    """The values as stored, coalesced or not."""
    return _record(make(_sparse_only(self, "_values").values), ValuesBackward0, (self,),
                   lambda: (save(self, "self"),))


@declare(function=False)
def _nnz(self):
    """How many values are stored (duplicates too)."""
    return _sparse_only(self, "_nnz").nnz


@declare(function=False)
def sparse_dim(self):
    """How many dimensions the indices address (0 for a dense tensor)."""
    return self._data.sparse_dim if _is_sparse(self) else 0


@declare(function=False)
def dense_dim(self):
    """How many dimensions each value has (a dense tensor's all)."""
    return self._data.ndim - self._data.sparse_dim if _is_sparse(self) else self._data.ndim


@declare(prop=True, function=False)
def is_sparse(self):
    """Is this a sparse COO tensor?"""
    return type(self._data) is SparseArray


# ----- arithmetic and products on SparseTensor ------------------------------------------------
def _operand(x):
    if isinstance(x, Tensor):
        return x._data
    return x


def _mul_rule(need, g, other, self):
    g = _arrays(g)
    return (g * other if need[0] else None, None)


def _add_rule(need, g, alpha):
    g = _arrays(g)
    return (g if need[0] else None, (g * alpha if alpha != 1 else g) if need[1] else None)


def _sub_rule(need, g, alpha):
    g = _arrays(g)
    return (g if need[0] else None, -(g * alpha) if need[1] else None)


_MulBackward0 = _node("MulBackward0", _mul_rule)
_DivBackward0 = _node("DivBackward0", lambda need, g, other, self: (_arrays(g) / other, None))
_AddBackward0 = _node("AddBackward0", _add_rule)
_SubBackward0 = _node("SubBackward0", _sub_rule)
_NegBackward0 = _node("NegBackward0", lambda need, g: (-_arrays(g),))
_TBackward0 = _node("TBackward0", lambda need, g: (_arrays(g).T,))


def _number(other, op):
    """A number (or a 0-d tensor's value) to scale a sparse tensor by; a tensor with elements
    is refused as PyTorch's sparse CPU backend does (mul of two sparse tensors aside)."""
    if isinstance(other, Tensor):
        if other._data.ndim == 0 and not _is_sparse(other):
            return other._data[()]
        raise not_on_sparse(op)
    if isinstance(other, (bool, int, float, complex)):
        return other
    return NotImplemented


def _scaled(self, other, op, cls):
    s = _number(other, op)
    if s is NotImplemented:
        return NotImplemented
    out = make_sparse(self._data * s if op == "mul" else self._data / s)
    return _record(out, cls, (self, other if isinstance(other, Tensor) else None), (s, None))


def _mul(self, other):
    if _is_sparse(other) and _is_sparse(self):
        raise not_on_sparse("mul")  # (gradsh: an elementwise product of two sparse tensors)
    return _scaled(self, other, "mul", _MulBackward0)


def _div(self, other):
    return _scaled(self, other, "div", _DivBackward0)


def _add(self, other, *, alpha=1):
    if not isinstance(other, Tensor):
        raise not_on_sparse("add")
    if not _is_sparse(other):
        raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) instead.")
    r = self._data + (other._data if alpha == 1 else other._data * alpha)
    out = make_sparse(r)
    return _record(out, _AddBackward0, (self, other), (alpha,))


def _radd(self, other):
    """dense + sparse: a dense result."""
    if not isinstance(other, Tensor):
        raise not_on_sparse("add")
    out = make(as_array(other._data + self._data))
    return _record(out, _AddBackward0, (other, self), (1,))


def _sub(self, other, *, alpha=1):
    if not _is_sparse(other):
        raise not_on_sparse("sub")
    out = make_sparse(self._data - (other._data if alpha == 1 else other._data * alpha))
    return _record(out, _SubBackward0, (self, other), (alpha,))


def _neg(self):
    return _record(make_sparse(-self._data), _NegBackward0, (self,))


def _t(self):
    if self._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{self._data.ndim}D")
    return _record(make_sparse(self._data.T), _TBackward0, (self,))


def _mm_rule(need, g, mat2, self):
    g = _arrays(g)
    gs = masked(g @ np.swapaxes(mat2, -1, -2), self) if need[0] else None
    gd = self.T @ g if need[1] else None
    return (gs, gd)


_MmBackward0 = _node("MmBackward0", _mm_rule)
SparseAddmmBackward0 = rule(lambda need, g, mat2, self: _mm_rule(need, g, mat2, self),
                            name="SparseAddmmBackward0")


def _product(self, other, cls):
    if not isinstance(other, Tensor) or _is_sparse(other):
        raise not_on_sparse("mm")
    a, d = self._data, other._data
    if a.ndim != 2 or a.sparse_dim != 2:
        raise RuntimeError("gradsh multiplies a 2-d sparse matrix (no dense dimensions) by a "
                           "dense matrix or vector only")
    if d.ndim not in (1, 2):
        raise RuntimeError(f"gradsh multiplies a sparse matrix by a dense matrix or vector, "
                           f"not by a {d.ndim}-d tensor")
    if d.shape[0] != a.shape[1]:
        if d.ndim == 1:
            raise RuntimeError("mv: expected self.size(-1) == vec.size(-1)")
        raise RuntimeError(f"addmm: Argument #3 (dense): Expected dim 0 size {a.shape[1]}, "
                           f"got {d.shape[0]}")
    if a.dtype != d.dtype:
        raise RuntimeError(f"expected scalar type {dtypes.from_numpy_dtype(a.dtype)._short} but "
                           f"found {dtypes.from_numpy_dtype(d.dtype)._short}")
    out = make(a @ d)
    return _record(out, cls, (self, other),
                   lambda: (save(other, "mat2"), save(self, "self")))


def _matmul(self, other):
    return _product(self, other, _MmBackward0)


def _rmatmul(self, other):
    """dense @ sparse: (sparse.T @ dense.T).T, a dense result."""
    if not isinstance(other, Tensor):
        return NotImplemented
    return _product(_t(self), _t_dense(other), _MmBackward0).t()


def _t_dense(x):
    return x.t()


@rule
def SparseSumBackward0(need, g, self, dims):
    g = np.asarray(_arrays(g) if type(g) is not SparseArray else dense(g))
    g = np.expand_dims(g, tuple(sorted(dims))) if dims else g
    idx, _ = coalesced_arrays(self)
    full = np.broadcast_to(g, self.shape)
    return (sparse_array(idx, np.array(full[tuple(idx)]), self.shape, True),)


_SumBackward0 = _node("SumBackward0", lambda need, g, self: SparseSumBackward0.rule(
    need, g, self, ()))


def _sum(self, dim=None, keepdim=False, dtype=None):
    """All elements' sum (a dense 0-d tensor), or sums over dims (sparse over sparse dims)."""
    a = self._data
    if dim is None:
        out = make(as_array(a.values.sum(dtype=None if dtype is None else dtype.np)))
        return _record(out, _SumBackward0, (self,), lambda: (save(self, "self"),))
    return sparse_sum(self, dim, dtype)


def sparse_sum(input, dim=None, dtype=None):
    """torch.sparse.sum: every element's sum (dense 0-d), or the sums over dims: sparse while
    sparse dims remain, else dense."""
    if not _is_sparse(input):  # (a dense tensor: PyTorch's coalesce refuses it; fuzzer, round 20)
        raise RuntimeError("coalesce expected sparse coordinate tensor layout but got "
                           "Strided")
    a = input._data
    if dim is None:
        out = make(as_array(a.values.sum()))
        return _record(out, _SumBackward0, (input,), lambda: (save(input, "self"),))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    dims = tuple(sorted(d % a.ndim for d in dims))
    sd = a.sparse_dim
    keep = [d for d in range(sd) if d not in dims]
    vals = a.values.sum(axis=tuple(d - sd + 1 for d in dims if d >= sd)) if any(
        d >= sd for d in dims) else a.values
    size = tuple(s for d, s in enumerate(a.shape) if d not in dims)
    if keep:
        out = make_sparse(_coalesce(sparse_array(a.indices[keep], vals, size)))
    else:
        out = make(as_array(vals.sum(axis=0)))
    return _record(out, SparseSumBackward0, (input,), lambda: (save(input, "self"), dims))


def sparse_mm(mat1, mat2):
    """torch.sparse.mm: sparse @ dense (dense result, SparseAddmmBackward0), or two dense."""
    if not _is_sparse(mat1):
        return mat1.mm(mat2)
    return _product(mat1, mat2, SparseAddmmBackward0)


def _groups(idx, dim):
    """Which slice along sparse dim `dim` each entry of coalesced indices belongs to."""
    others = np.delete(idx, dim, axis=0)
    if others.shape[0] == 0 or idx.shape[1] == 0:
        return np.zeros(idx.shape[1], dtype=np.int64), 1
    _, group = np.unique(others, axis=1, return_inverse=True)
    group = group.reshape(-1)
    return group, int(group.max()) + 1


def _grouped_sum(x, group, n, axis):
    """Sums of x over each group's entries (sparse dim: group rows) or along a dense axis,
    in double for float32 (PyTorch's CPU accumulation type: the callers round their results)."""
    acc = np.float64 if x.dtype == np.float32 else x.dtype
    if group is None:
        return np.sum(x, axis=axis, keepdims=True, dtype=acc)
    out = np.zeros((n,) + x.shape[1:], dtype=acc)
    np.add.at(out, group, x)
    return out[group]


def _softmax_parts(a, dim):
    """(indices, values, group, n, axis) for a softmax over dim of sparse array a: the entries
    coalesced, and each one's slice (a sparse dim) or the values' axis (a dense dim)."""
    idx, vals = coalesced_arrays(a)
    dim = dim % a.ndim
    if dim >= a.sparse_dim:
        return idx, vals, None, 0, dim - a.sparse_dim + 1
    group, n = _groups(idx, dim)
    return idx, vals, group, n, 0


def _exp(x):
    """exp as PyTorch's scalar sparse-softmax loops compute it (C's expf for float32)."""
    return glibc_expf(x) if x.dtype == np.float32 else np.exp(x)


def _softmax_values(vals, group, n, axis, log):
    """Each slice's softmax (exp(x - max) / sum) or log-softmax (x - max - log(sum))."""
    if group is None:
        m = np.max(vals, axis=axis, keepdims=True) if vals.size else vals
    else:
        m = np.full((n,) + vals.shape[1:], -np.inf, dtype=vals.dtype)
        np.maximum.at(m, group, vals)
        m = m[group]
    shifted = vals - m
    e = _exp(shifted)
    total = _grouped_sum(e, group, n, axis)
    return (shifted - np.log(total) if log else e / total).astype(vals.dtype)


@rule
def SparseSoftmaxBackward0(need, g, self, dim, result):
    idx, y, group, n, axis = _softmax_parts(result, dim)
    gy = gathered(_arrays(g), idx).astype(y.dtype, copy=False)
    gx = y * (gy - _grouped_sum(gy * y, group, n, axis).astype(y.dtype))
    return (sparse_array(idx, gx, self.shape, True),)


@rule
def SparseLogSoftmaxBackward0(need, g, self, dim, result):
    idx, y, group, n, axis = _softmax_parts(result, dim)
    gy = gathered(_arrays(g), idx).astype(y.dtype, copy=False)
    gx = gy - _exp(y) * _grouped_sum(gy, group, n, axis).astype(y.dtype)
    return (sparse_array(idx, gx, self.shape, True),)


def _sparse_softmax(input, dim, dtype, log):
    if not _is_sparse(input):
        return input.log_softmax(dim, dtype=dtype) if log else input.softmax(dim, dtype=dtype)
    a = input._data if dtype is None else input._data.astype(dtype.np)
    idx, vals, group, n, axis = _softmax_parts(a, dim)
    if vals.dtype.kind == "V" or vals.dtype == np.float16:
        raise NotImplementedError("\"softmax\" not implemented for '%s'" % (  # PyTorch's
            "BFloat16" if vals.dtype.kind == "V" else "Half"))
    if vals.dtype.kind not in "fcV":
        raise RuntimeError(f"\"softmax_lastdim_kernel_impl\" not implemented for "
                           f"'{dtypes.from_numpy_dtype(vals.dtype).name.capitalize()}'")
    out_vals = _softmax_values(vals, group, n, axis, log)
    out = make_sparse(sparse_array(idx, out_vals, a.shape, True))
    cls = SparseLogSoftmaxBackward0 if log else SparseSoftmaxBackward0
    return _record(out, cls, (input,), lambda: (save(input, "self"), dim, save(out, "result")))


def sparse_softmax(input, dim, dtype=None):
    """torch.sparse.softmax over dim: each slice's stored values (the unstored ones count as
    -inf, so they stay unstored); a dense input's softmax."""
    return _sparse_softmax(input, dim, dtype, False)


def sparse_log_softmax(input, dim, dtype=None):
    """torch.sparse.log_softmax: the logarithm of sparse_softmax, computed as such."""
    return _sparse_softmax(input, dim, dtype, True)


# ----- what a sparse tensor refuses or answers differently -----------------------------------
def _numpy(self, *, force=False):
    raise TypeError("can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() first.")


def _no_storage(self, *args, **kwargs):
    raise RuntimeError("Cannot access data pointer of Tensor that doesn't have storage")


def _item(self):
    n = self._data.size
    if n != 1:
        raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
    return dense(self._data).item()


def _detach(self):
    t = make_sparse(self._data)
    t._vc = self._vc
    return t


def _clone(self, *, memory_format=None):
    out = make_sparse(self._data.copy())
    return _record(out, CloneBackward0, (self,))


CloneBackward0 = _node("CloneBackward0", lambda need, g: (_arrays(g),))


def _to_dtype(self, dtype):
    if dtype.np == self._data.dtype:
        return self
    out = make_sparse(self._data.astype(dtype.np))
    return _record(out, _ToCopyBackward0, (self,), (self._data.dtype,))


_ToCopyBackward0 = _node("ToCopyBackward0", lambda need, g, dt: (_arrays(g).astype(dt),))


def _to(self, *args, **kwargs):
    for x in list(args) + list(kwargs.values()):
        if isinstance(x, dtypes.dtype):
            return _to_dtype(self, x)
    return self


def _cast(name):
    def cast(self, memory_format=None):
        return _to_dtype(self, getattr(dtypes, name))
    cast.__name__ = name
    return cast


def _is_contiguous(self, *, memory_format=None):
    return False


def _requires_grad_(self, requires_grad=True):
    if self._grad_fn is not None and not requires_grad:
        return Tensor.requires_grad_(self, requires_grad)
    self._requires_grad = bool(requires_grad)
    return self


_TransposeBackward0 = _node("TransposeBackward0", lambda need, g, dim0, dim1: (
    np.swapaxes(_arrays(g), dim0, dim1),))
_PermuteBackward0 = _node("PermuteBackward0", lambda need, g, dims: (
    np.transpose(_arrays(g), np.argsort(dims)),))


def _transpose(self, dim0, dim1):
    n = self._data.ndim
    d0, d1 = dim0 % n, dim1 % n
    return _record(make_sparse(self._data.swapaxes(d0, d1)), _TransposeBackward0, (self,),
                   (d0, d1))


def _permute(self, *dims):
    dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
    dims = tuple(d % self._data.ndim for d in dims)
    if sorted(dims) != list(range(self._data.ndim)):
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {self._data.ndim} is not equal to len(dims) = "
                           f"{len(dims)}")
    return _record(make_sparse(self._data.transpose(dims)), _PermuteBackward0, (self,), (dims,))


def _movedim(self, source, destination):
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    n = self._data.ndim
    order = [d for d in range(n) if d not in [x % n for x in src]]
    for s_, d_ in sorted(zip([x % n for x in dst], [x % n for x in src])):
        order.insert(s_, d_)
    return _permute(self, *order)


def _contiguous(self, memory_format=None):
    raise RuntimeError("unsupported memory format option Contiguous")


def _type(self, dtype=None, non_blocking=False, **kwargs):
    if dtype is None:
        return "torch.sparse." + {"float32": "FloatTensor", "float64": "DoubleTensor",
                                  "int64": "LongTensor"}.get(self.dtype.name, "Tensor")
    return _to_dtype(self, dtype) if isinstance(dtype, dtypes.dtype) else self


_METHODS = {
    "__mul__": _mul, "__rmul__": _mul, "mul": _mul, "__truediv__": _div, "div": _div,
    "__add__": _add, "add": _add, "__radd__": _radd, "__sub__": _sub, "sub": _sub,
    "__neg__": _neg, "neg": _neg, "t": _t, "__matmul__": _matmul, "mm": _matmul,
    "matmul": _matmul, "__rmatmul__": _rmatmul, "sum": _sum,
    "numpy": _numpy, "tolist": _no_storage, "data_ptr": _no_storage,
    "item": _item, "detach": _detach, "clone": _clone, "to": _to,
    "double": _cast("float64"), "float": _cast("float32"), "half": _cast("float16"),
    "is_contiguous": _is_contiguous, "requires_grad_": _requires_grad_,
    "multiply": _mul, "divide": _div, "true_divide": _div, "subtract": _sub,
    "negative": _neg, "transpose": _transpose, "swapaxes": _transpose, "swapdims": _transpose,
    "permute": _permute, "movedim": _movedim, "moveaxis": _movedim, "contiguous": _contiguous,
    "type": _type, "bool": _cast("bool"), "byte": _cast("uint8"), "char": _cast("int8"),
    "short": _cast("int16"), "int": _cast("int32"), "long": _cast("int64"),
    "bfloat16": _cast("bfloat16"), "cfloat": _cast("complex64"),
    "cdouble": _cast("complex128"),
}
SparseTensor.data = property(_detach, Tensor.data.fset, doc="The tensor without its history.")
SparseTensor.H = property(lambda self: _refusal("H")(self) if self._data.dtype.kind == "c"
                          else _transpose(self, 0, 1) if self._data.ndim == 2
                          else _refusal("H")(self))
SparseTensor.mH = property(lambda self: _refusal("mH")(self) if self._data.dtype.kind == "c"
                           else _transpose(self, -2, -1))
SparseTensor.T = property(lambda self: _permute(self, *range(self._data.ndim - 1, -1, -1)))
SparseTensor.mT = property(lambda self: _transpose(self, -2, -1))
for _name, _fn in _METHODS.items():
    setattr(SparseTensor, _name, _fn)
SparseTensor.layout = property(lambda self: sparse_coo, doc="torch.sparse_coo")
SparseTensor.stride = lambda self, dim=None: () if dim is None else _no_strides()
del _name, _fn


def _no_strides():
    raise RuntimeError("Sparse tensors do not have strides")



# ----- every other method, and torch.name(sparse) --------------------------------------------
# Tensor methods that read no element (or that Tensor itself defines for any layout): a sparse
# tensor keeps Tensor's; every other declared method is refused on it (bindings.py calls
# refuse_other_methods once the methods are bound), so none computes on the shared zero.
_KEEP = frozenset("""size dim ndimension numel nelement element_size is_floating_point is_complex
    is_signed get_device cpu retain_grad register_hook requires_grad_ is_leaf sparse_dim
    dense_dim is_sparse is_coalesced coalesce indices values _indices _values _nnz to_dense
    to_sparse is_set_to is_inference is_meta is_mps is_xpu is_sparse_csr is_quantized
    is_nested is_mkldnn is_vulkan is_xla is_ipu is_maia is_mtia is_cuda is_cpu""".split())


def _refusal(name):
    def refused(self, *args, **kwargs):
        raise not_on_sparse(name)
    refused.__name__ = refused.__qualname__ = name
    return refused


def refuse_other_methods(names):
    """Bind a refusal on SparseTensor for each method name it neither defines nor keeps."""
    for n in names:
        if n not in SparseTensor.__dict__ and n not in _KEEP and not n.startswith("__"):
            setattr(SparseTensor, n, _refusal(n))


def sparse_call(name, input, args, kwargs):
    """torch.name(input, ...) for a sparse input: its method (sparse, or refused)."""
    method = getattr(SparseTensor, name, None)
    if method is None or not callable(method):
        raise not_on_sparse(name)
    return method(input, *args, **kwargs)


def dispatching(fn, name):
    """torch.name as fn, but a sparse first argument takes sparse_call (the torch functions
    with a sparse meaning that have no wrapper testing their first argument already)."""
    def call(*args, **kwargs):
        if args and type(args[0]) is SparseTensor:
            return sparse_call(name, args[0], args[1:], kwargs)
        return fn(*args, **kwargs)
    call.__name__ = call.__qualname__ = getattr(fn, "__name__", name)
    call.__doc__ = fn.__doc__
    call.__wrapped__ = fn
    return call
