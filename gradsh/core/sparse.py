"""Sparse COO tensors' data: the array a sparse tensor holds, its printing, coalescing and the
arithmetic gradients need (docs/autograd.md, "Sparse tensors").

A sparse tensor is a Tensor (of the hidden subclass SparseTensor, which prints and names itself
as torch.Tensor) whose `_data` is a SparseArray: a numpy array of the tensor's shape and dtype
in which every element shares one zero (all strides 0, so a size of (10**9, 10**9) costs one
element), carrying the COO payload: `indices` (int64, (sparse_dim, nnz)), `values` ((nnz,
*dense_shape)) and `coalesced`. shape, dtype, ndim and numel come from numpy for free; a dense
op that reaches the array through a numpy ufunc or function is refused with PyTorch's
NotImplementedError, so it never computes silently on the shared zero. The gradients of sparse
inputs flow through the engine as SparseArrays too: the ufuncs below add, scale, negate and
multiply them (matmul) as the derivative rules ask.
"""

import numpy as np

from .dtypes import get_default_dtype
from .memory import check_numel
from .printing import _OPTS, _body
from .tensor import Tensor, _TensorClass

_ndarray = np.ndarray

# numpy's names of the ufuncs a dense op may reach, as ATen names the op in its refusal
_ATEN = {"add": "add", "subtract": "sub", "multiply": "mul", "true_divide": "div",
         "divide": "div", "negative": "neg", "power": "pow", "absolute": "abs", "matmul": "mm",
         "exp": "exp", "log": "log", "sqrt": "sqrt", "maximum": "maximum", "minimum": "minimum",
         "greater": "gt", "less": "lt", "equal": "eq", "not_equal": "ne", "isnan": "isnan",
         "sin": "sin", "cos": "cos", "tanh": "tanh", "reshape": "view"}


def not_on_sparse(op):
    """PyTorch's NotImplementedError for an op its sparse CPU backend does not have (its first
    sentence; PyTorch goes on listing the backends it has)."""
    return NotImplementedError(
        f"Could not run 'aten::{op}' with arguments from the 'SparseCPU' backend. gradsh's "
        "sparse COO tensors have the ops docs/autograd.md lists under \"Sparse tensors\"; "
        "call .to_dense() first for the others.")


class SparseArray(np.ndarray):
    """The `_data` of a sparse tensor (see the module docstring)."""

    _gradsh_sparse = True  # (memory.check_made: no element is stored)

    def __array_finalize__(self, obj):
        # a numpy-made view of a sparse array has no payload: using it raises (see _payload)
        self.indices = self.values = None
        self.coalesced = False

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        if method == "__call__" and not kwargs.get("out"):
            fn = _UFUNCS.get(name)
            if fn is not None:
                r = fn(*inputs)
                if r is not NotImplemented:
                    return r
        raise not_on_sparse(_ATEN.get(name, name))

    def __array_function__(self, func, types, args, kwargs):
        raise not_on_sparse(_ATEN.get(func.__name__, func.__name__))

    def __getitem__(self, key):
        raise not_on_sparse("index")

    def __setitem__(self, key, value):
        raise not_on_sparse("index_put_")

    def reshape(self, *shape, **kwargs):
        raise not_on_sparse("view")  # (Tensor.view's path: PyTorch names aten::view)

    def copy(self, order="K"):
        return sparse_array(self.indices.copy(), self.values.copy(), self.shape, self.coalesced)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        return sparse_array(self.indices, self.values.astype(dtype), self.shape, self.coalesced)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        axes = axes or tuple(range(self.ndim))[::-1]
        return permuted(self, axes)

    @property
    def T(self):
        return self.transpose()

    def swapaxes(self, a, b):
        axes = list(range(self.ndim))
        axes[a], axes[b] = axes[b], axes[a]
        return permuted(self, axes)

    @property
    def nnz(self):
        return self.indices.shape[1]

    @property
    def sparse_dim(self):
        return self.indices.shape[0]


def sparse_array(indices, values, size, coalesced=False):
    """A SparseArray of shape `size` holding `indices` (int64, (sparse_dim, nnz)) and `values`."""
    zero = np.zeros(1, dtype=values.dtype)
    a = np.lib.stride_tricks.as_strided(zero, tuple(size), (0,) * len(size), writeable=False)
    a = a.view(SparseArray)
    a.indices = indices
    a.values = values
    a.coalesced = coalesced
    return a


def is_sparse_array(a):
    return type(a) is SparseArray


class _SparseTensorClass(_TensorClass):
    """SparseTensor's metaclass: the class prints as torch.Tensor, as a sparse tensor's type
    does in PyTorch (there is one Tensor class there; the layout is a field)."""

    def __repr__(cls):
        return "<class 'torch.Tensor'>"


class SparseTensor(Tensor, metaclass=_SparseTensorClass):
    """A sparse COO tensor: Tensor with a SparseArray `_data`. gradsh/core/ops/sparse.py binds
    the ops that have a sparse meaning (arithmetic, t(), mm, sum, to_dense, ...) over Tensor's;
    the others reach the array and are refused there."""

    __slots__ = ()  # (Tensor's layout: a tensor can change class, as `detach` does)
    _repr_name = "tensor"

    def __reduce__(self):
        raise TypeError("gradsh pickles a sparse tensor only through torch.save (its indices "
                        "and values); pickle t.coalesce().indices() and .values() instead")

    def __repr__(self, *, tensor_contents=None):
        fn = self._grad_fn
        name = type(fn).__name__ if fn is not None else None
        return format_sparse(self._data, self.dtype, name, self._requires_grad and fn is None)


SparseTensor.__name__ = SparseTensor.__qualname__ = "Tensor"
SparseTensor.__module__ = "torch"


made = [False]  # has a sparse tensor been made? (optimizers test for sparse grads after)


def make_sparse(a):
    """A new sparse tensor (no history) holding SparseArray a."""
    made[0] = True
    t = Tensor._make(_PLACEHOLDER)
    t.__class__ = SparseTensor
    t._data = a
    return t


_PLACEHOLDER = np.zeros(0)


# ----- printing -------------------------------------------------------------------------------
def format_sparse(a, dtype, grad_fn_name=None, requires_grad=False):
    """PyTorch's repr of a sparse COO tensor: its indices and values, then size, nnz, a dtype
    other than the default's, the layout and the autograd suffix."""
    text = (_inner(a.indices, "tensor(indices=tensor", False) + ",\n"
            + _inner(a.values, "       values=tensor", dtype.is_floating_point or
                     dtype.is_complex) + ",\n       ")
    suffixes = [f"size={tuple(a.shape)}", f"nnz={a.nnz}"]
    if dtype.name not in (get_default_dtype().name, "int64", "bool"):
        suffixes.append(f"dtype={dtype!r}")
    suffixes.append("layout=torch.sparse_coo")
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    # (size opens its own line; the others follow it as a dense tensor's suffixes do)
    last = 7 + len(suffixes[0])
    parts = [text, suffixes[0]]
    for suffix in suffixes[1:]:
        if last + len(suffix) + 2 > _OPTS["linewidth"]:
            parts.append(",\n       " + suffix)
            last = 7 + len(suffix)
        else:
            parts.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(parts) + ")"


def _inner(data, name, is_float):
    """The indices' or values' tensor as it appears inside: without dtype, always with its size
    when empty, its rows indented under the text before it."""
    if data.size == 0:
        return f"{name}([], size={tuple(data.shape)})"
    return name + "(" + _body(data, is_float, _OPTS, len(name) + 1) + ")"


# ----- coalescing and the payload's arithmetic ------------------------------------------------
def coalesced_arrays(a):
    """(indices, values) of a with duplicate indices summed, sorted in row-major order."""
    idx, vals = a.indices, a.values
    if a.coalesced:
        return idx, vals
    if idx.shape[1] == 0:
        return idx, vals
    uniq, inverse = _unique_columns(idx, a.shape)
    out = np.zeros((uniq.shape[1],) + vals.shape[1:], dtype=vals.dtype)
    np.add.at(out, inverse.reshape(-1), vals)
    return uniq, out


def _unique_columns(idx, size):
    """np.unique(idx, axis=1, return_inverse=True), sorted in row-major order, by sorting each
    column's position as one int where the sizes allow: numpy's unique over an axis sorts the
    columns as raw bytes, a generic comparison per step (10^7 equal indices took 80 s of CPU;
    round 19 of issue 16)."""
    sparse = size[:idx.shape[0]]
    if idx.shape[0] == 1:
        uniq, inverse = np.unique(idx[0], return_inverse=True)
        return uniq[None, :], inverse
    total = 1
    for n in sparse:
        total *= n
    if idx.shape[0] and total < 2 ** 63 and idx.min() >= 0 and \
            np.all(idx.max(axis=1) < np.asarray(sparse, dtype=np.int64)):
        keys, inverse = np.unique(np.ravel_multi_index(tuple(idx), sparse), return_inverse=True)
        return np.stack(np.unravel_index(keys, sparse)).astype(idx.dtype, copy=False), inverse
    return np.unique(idx, axis=1, return_inverse=True)


def coalesce(a):
    if a.coalesced:
        return a
    idx, vals = coalesced_arrays(a)
    return sparse_array(idx, vals, a.shape, True)


def _keys(idx, size):
    """Each entry's position in row-major order over the sparse dims (an int per entry, or a
    tuple where the product of the sizes passes int64)."""
    total = 1
    for n in size[:idx.shape[0]]:
        total *= n
    if total < 2 ** 63 and np.all(idx >= 0):
        return np.ravel_multi_index(tuple(idx), size[:idx.shape[0]], mode="wrap").tolist()
    return [tuple(c) for c in idx.T.tolist()]


def merged(x, y):
    """x + y for two sparse arrays, as PyTorch's sparse CPU add: when both hold contiguous
    values, one pass over both entry lists (as merging two sorted lists: the smaller head in
    row-major order goes first, equal heads are summed), so the result is coalesced when both
    were; otherwise x's entries then y's, duplicates kept."""
    dt = np.result_type(x.values, y.values)
    if not (x.values.flags.c_contiguous and y.values.flags.c_contiguous):
        return concatenated(x, y)
    kx, ky = _keys(x.indices, x.shape), _keys(y.indices, y.shape)
    pick_x, pick_y, out_x, out_y = [], [], [], []
    i = j = n = 0
    while i < len(kx) and j < len(ky):
        if kx[i] == ky[j]:
            pick_x.append(i), out_x.append(n), pick_y.append(j), out_y.append(n)
            i += 1
            j += 1
        elif kx[i] < ky[j]:
            pick_x.append(i), out_x.append(n)
            i += 1
        else:
            pick_y.append(j), out_y.append(n)
            j += 1
        n += 1
    for i in range(i, len(kx)):
        pick_x.append(i), out_x.append(n)
        n += 1
    for j in range(j, len(ky)):
        pick_y.append(j), out_y.append(n)
        n += 1
    idx = np.empty((x.indices.shape[0], n), dtype=np.int64)
    vals = np.zeros((n,) + x.values.shape[1:], dtype=dt)
    idx[:, out_x] = x.indices[:, pick_x]
    idx[:, out_y] = y.indices[:, pick_y]
    vals[out_x] = x.values[pick_x]
    vals[out_y] += y.values[pick_y]
    return sparse_array(idx, vals, x.shape, x.coalesced and y.coalesced)


def concatenated(a, b):
    """a's and b's entries together, duplicates kept (how PyTorch accumulates a sparse .grad)."""
    dt = np.result_type(a.values, b.values)
    return sparse_array(np.concatenate([a.indices, b.indices], axis=1),
                        np.concatenate([a.values.astype(dt), b.values.astype(dt)]), a.shape)


def dense(a, dtype=None):
    """a's elements as a dense numpy array (refused past the memory limit)."""
    n = 1
    for s in a.shape:
        n *= s
    check_numel(n, a.shape, a.values.dtype.itemsize)
    out = np.zeros(a.shape, dtype=a.values.dtype if dtype is None else dtype)
    idx = a.indices
    if idx.shape[1]:
        for d in range(idx.shape[0]):
            lo, hi = idx[d].min(), idx[d].max()
            if lo < 0 or hi >= a.shape[d]:
                bad = lo if lo < 0 else hi
                raise RuntimeError(f"size is inconsistent with indices: for dim {d}, size is "
                                   f"{a.shape[d]} but found index {bad}")
        np.add.at(out, tuple(idx), a.values)
    return out


def gathered(g, idx):
    """The elements of gradient g (dense, or a SparseArray) at the given indices: what the
    values of a sparse tensor with those indices receive."""
    if type(g) is not SparseArray:
        return np.asarray(g)[tuple(idx)]
    gi, gv = coalesced_arrays(g)
    out = np.zeros((idx.shape[1],) + gv.shape[1:], dtype=gv.dtype)
    where = {tuple(col): k for k, col in enumerate(gi.T.tolist())}
    for k, col in enumerate(idx.T.tolist()):
        j = where.get(tuple(col))
        if j is not None:
            out[k] = gv[j]
    return out


def masked(g, like):
    """g (dense or sparse) restricted to the coalesced indices of SparseArray `like`: the
    sparse gradient PyTorch gives a sparse input (sparse_mask)."""
    idx, _ = coalesced_arrays(like)
    return sparse_array(idx, gathered(g, idx).astype(like.dtype, copy=False), like.shape, True)


def permuted(a, axes):
    """a with its dimensions permuted (sparse dims among themselves, dense among themselves)."""
    sd = a.sparse_dim
    axes = [x % a.ndim for x in axes]
    if sorted(axes[:sd]) != list(range(sd)):
        raise not_on_sparse("permute")
    values = a.values.transpose([0] + [x - sd + 1 for x in axes[sd:]])
    return sparse_array(a.indices[axes[:sd]], values, tuple(a.shape[x] for x in axes))


def _scalar(x):
    """x as a number when it is one (or a 0-d array), else None."""
    if isinstance(x, (int, float, complex, np.generic)) or (
            isinstance(x, np.ndarray) and type(x) is not SparseArray and x.ndim == 0):
        return x
    return None


def _scale(a, s):
    return sparse_array(a.indices, np.asarray(a.values * s), a.shape, a.coalesced)


def _add(x, y):
    if type(x) is SparseArray and type(y) is SparseArray:
        if x.shape != y.shape:
            raise RuntimeError(f"add: expected 'self' and 'other' to have same size, but self "
                               f"has size {list(x.shape)} while other has size {list(y.shape)}")
        return merged(x, y)
    s, d = (x, y) if type(x) is SparseArray else (y, x)
    d = np.asarray(d)
    if d.shape != s.shape:
        return NotImplemented
    out = np.array(d, dtype=np.result_type(d, s.values), copy=True)
    np.add.at(out, tuple(s.indices), s.values)
    return out


def _multiply(x, y):
    if type(x) is SparseArray and _scalar(y) is not None:
        return _scale(x, y)
    if type(y) is SparseArray and _scalar(x) is not None:
        return _scale(y, x)
    return NotImplemented


def _true_divide(x, y):
    if type(x) is SparseArray and _scalar(y) is not None:
        return sparse_array(x.indices, np.asarray(x.values / y), x.shape, x.coalesced)
    return NotImplemented


def _subtract(x, y):
    return _add(x, -y if type(y) is SparseArray else np.negative(y))


def _negative(x):
    return _scale(x, -1)


def _matmul(x, y):
    """sparse (2 sparse dims) @ dense matrix, or dense matrix @ sparse: a dense result."""
    if type(x) is SparseArray and type(y) is not SparseArray:
        if x.ndim != 2 or x.sparse_dim != 2 or np.ndim(y) not in (1, 2):
            return NotImplemented
        y = np.asarray(y)
        out = np.zeros((x.shape[0],) + y.shape[1:], dtype=np.result_type(x.values, y))
        i, j = x.indices
        v = x.values if y.ndim == 1 else x.values[:, None]
        np.add.at(out, i, v * y[j])
        return out
    if type(y) is SparseArray and type(x) is not SparseArray:
        if y.ndim != 2 or y.sparse_dim != 2 or np.ndim(x) != 2:
            return NotImplemented
        return _matmul(y.T, np.asarray(x).T).T
    return NotImplemented


_UFUNCS = {"add": _add, "subtract": _subtract, "multiply": _multiply,
           "true_divide": _true_divide, "divide": _true_divide, "negative": _negative,
           "matmul": _matmul}
