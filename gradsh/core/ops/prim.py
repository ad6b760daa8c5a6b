"""Functions that derivative rules call, on numpy arrays or on tensors alike.

The engine runs a rule on arrays (fast) or, for `create_graph=True`, on tensors so the backward pass
is itself recorded. Operators (`+ - * / ** @`, unary `-`) already work on both; these helpers cover
the rest, dispatching on the argument's type.
"""


import numpy as np

from ..dtypes import from_numpy_dtype
from ..fma import one_minus_square
from ..layout import contract_empty, pointwise_layout
from ..sparse import SparseArray
from ..tensor import Tensor
from ..meta import as_array, MetaArray as _Meta
from . import vml
from .expf import _LANES
from .special import erf as erf_array
from .special import erfinv as erfinv_array
from .summation import ordered_sum

_ndarray = np.ndarray
_generic = np.generic


def _unary(np_fn, method):
    def f(a):
        if isinstance(a, Tensor):
            return getattr(a, method)()
        return np_fn(a)
    f.__name__ = method
    return f


def sign_array(a):
    """PyTorch's sign of an array: (0 < a) - (a < 0), so NaN gives 0 and -0.0 gives +0.0 (numpy's
    sign gives NaN and -0.0, and refuses bools)."""
    if a.dtype.kind == "b":
        return a.copy()
    if a.dtype.kind == "c":
        return _complex_sgn(a)
    if a.dtype.kind not in "fV":
        return np.sign(a)
    return np.asarray((a > 0).astype(a.dtype) - (a < 0).astype(a.dtype))


def _complex_sgn(a):
    """sgn of complex values as PyTorch's kernel gives it: each part over |a| (numpy's complex
    division rounds otherwise); for complex64, PyTorch's scalar loop (each part times the
    float32 reciprocal of |a|) computes the values its vector loop leaves: those past the last
    step of two vectors (_LANES values) of each contiguous run, in memory order, and all of a
    run whose elements are not adjacent."""
    if a.dtype == np.complex64 and a.ndim > 1 and not a.flags.c_contiguous:
        # PyTorch's loop walks memory order: the dims by decreasing stride
        perm = np.argsort(-np.abs(np.array(a.strides)), kind="stable")
        return _complex_sgn_c_order(a.transpose(perm)).transpose(np.argsort(perm))
    return _complex_sgn_c_order(a)


def _inner_run(a):
    """(length of the inner loop over C order's trailing dims, whether its elements are
    adjacent), as PyTorch's TensorIterator coalesces them."""
    if a.ndim == 0:
        return 1, True
    if a.shape[-1] != 1 and a.strides[-1] != a.itemsize:
        return a.shape[-1], False
    run = a.shape[-1]
    for d in range(a.ndim - 2, -1, -1):
        if a.shape[d] != 1 and a.strides[d] != run * a.itemsize:
            break
        run *= a.shape[d]
    return run, True


def _complex_sgn_c_order(a):
    mag = abs_array(a)
    with np.errstate(all="ignore"):
        unit = a.real / mag + 1j * (a.imag / mag)
        if a.dtype == np.complex64 and a.size:
            run, adjacent = _inner_run(a)
            inv = np.float32(1) / mag
            scalar = a.real * inv + 1j * (a.imag * inv)
            if adjacent:
                at = np.arange(a.size).reshape(a.shape) % run
                unit = np.where(at >= run // _LANES * _LANES, scalar, unit)
            else:
                unit = scalar
    unit = unit.astype(a.dtype)
    return np.where(mag == 0, 0, unit).astype(a.dtype)


def abs_array(a):
    """|a|, a complex value's as PyTorch computes it: the hypot of its parts (numpy's complex
    abs differs from it in the last bit of a third of float32 values)."""
    if a.dtype.kind == "c":
        return np.hypot(a.real, a.imag)
    return np.abs(a)


# exp and tanh as the forward ops compute them (vml): PyTorch's rules call at::exp, at::tanh
exp = _unary(vml.exp, "exp")
log = _unary(vml.log, "log")
sin = _unary(vml.sin, "sin")
cos = _unary(vml.cos, "cos")
sqrt = _unary(np.sqrt, "sqrt")
log1p = _unary(np.log1p, "log1p")
sign = _unary(sign_array, "sign")
abs = _unary(abs_array, "abs")
tanh = _unary(vml.tanh, "tanh")
sigmoid = _unary(lambda a: 1 / (1 + np.exp(-a)), "sigmoid")
cosh = _unary(np.cosh, "cosh")
sinh = _unary(np.sinh, "sinh")
reciprocal = _unary(np.reciprocal, "reciprocal")


erf = _unary(erf_array, "erf")
erfinv = _unary(erfinv_array, "erfinv")


def where(cond, a, b):
    """where(cond, a, b); cond is always a plain boolean array (never differentiated)."""
    if isinstance(a, Tensor):
        return a.where(_tensor(cond), b)
    if isinstance(b, Tensor):
        return b.where(_tensor(~data(cond)), a)
    return pointwise_layout(np.where(cond, a, b), cond, a, b)


def _tensor(a):
    return a if isinstance(a, Tensor) else Tensor._make(as_array(a))


def masked(g, keep):
    """g where `keep` (a boolean array) holds, else +0: PyTorch's masked gradients are a
    selection, not a product (a product would turn negative gradients into -0.)."""
    if isinstance(g, Tensor):
        return where(keep, g, 0.0)
    return pointwise_layout(np.where(keep, g, g.dtype.type(0)), keep, g)


def masked_fill(a, mask, value):
    """a.masked_fill(mask, value) (MaskedFillBackward0 on a tensor); mask a boolean array."""
    if isinstance(a, Tensor):
        return a.masked_fill(_tensor(mask), value)
    return pointwise_layout(np.where(mask, a.dtype.type(value), a), a, mask)


def data(a):
    """The plain array behind a value (for masks and shapes computed from saved values)."""
    return a._data if isinstance(a, Tensor) else a


def zeros_like(a):
    if isinstance(a, Tensor):
        return Tensor._make(np.zeros_like(a._data))
    return np.zeros_like(a)


def zeros(shape, like):
    if isinstance(like, Tensor):
        return Tensor._make(np.zeros(shape, like._data.dtype))
    return np.zeros(shape, np.result_type(like))


def expand(a, shape):
    """a.expand(shape): a view with stride 0 in the expanded dims, as PyTorch's (a gradient from
    sum's backward keeps that layout through the rules that pass it on: autograd.grad returns
    it). No pass over memory."""
    if isinstance(a, Tensor):
        return a.expand(*shape)
    if type(a) is _ndarray and a.ndim == 0:
        # (the ndarray constructor over a's buffer: np.broadcast_to's view without its Python)
        return _ndarray(shape, a.dtype, a, 0, (0,) * len(shape))
    return np.broadcast_to(a, shape)


def filled(a, shape):
    """A new contiguous array of `shape` holding a (0-d, or broadcastable): what PyTorch's
    pointwise op on an expanded gradient makes (mean's backward: expand, then divide)."""
    out = np.empty(shape, a.dtype)
    if a.ndim == 0:
        out.fill(a)  # (empty + fill: np.full's work without its Python)
    else:
        out[...] = a
    return out


def one_minus_square_times(g, r):
    """g * (1 - r * r) (tanh's derivative from its result), the bracket fused for float32 and
    float64 as PyTorch's kernel computes it."""
    if type(g) is _ndarray and type(r) is _ndarray:
        dt = g.dtype
        if (dt is _F32D or dt is _F64D) and r.dtype is dt:  # (by identity: no `kind` read)
            t = one_minus_square(r)  # fused, as PyTorch's kernel (core/fma.py)
            if g.shape == t.shape and g.strides == t.strides:
                return np.multiply(g, t, out=t)  # (t is a fresh array: no second temporary)
            return g * t  # (the layout numpy chooses from both: PyTorch's TensorIterator's)
    if type(g) is _ndarray and type(r) is _ndarray and g.dtype == r.dtype and \
            g.dtype.itemsize == 2 and g.dtype.kind in "fV":
        # PyTorch's Half and BFloat16 tanh_backward compute in float32 and round once
        r32 = r.astype(np.float32)
        return (g.astype(np.float32) * (1 - r32 * r32)).astype(g.dtype)
    if (type(g) is _ndarray and type(r) is _ndarray and r.size >= 65536 and g.shape == r.shape
            and g.dtype == r.dtype):
        t = np.multiply(r, r)
        np.subtract(1, t, out=t)
        return np.multiply(g, t, out=t)
    return g * ((number_like(r, 1) if type(r) is _ndarray else 1) - r * r)


# A Python number met by a float32/float64 array becomes a read-only 0-d array of the array's
# dtype, kept for the next time: numpy computes array-with-array faster than array-with-Python-
# number (which it must convert on every call), and the value is the same, since numpy converts
# the number to the array's dtype (NEP 50) as PyTorch converts it to the tensor's.
NUMBERS = {np.dtype(np.float32): {}, np.dtype(np.float64): {}}
_F32D, _F64D = np.dtype(np.float32), np.dtype(np.float64)
_ONES = {dt: np.array(1, dt) for dt in (_F32D, _F64D)}  # the 0-d ones keep_number would keep
for _one in _ONES.values():
    _one.flags.writeable = False
del _one


def number_like(a, v):
    """Python number v as it meets array a: the kept 0-d array for a float32/float64 array."""
    cache = NUMBERS.get(a.dtype)
    if cache is None:
        return v
    z = cache.get(v)
    return z if z is not None else keep_number(cache, v, a.dtype)


def keep_number(cache, v, dt):
    """v as a read-only 0-d array of dt, kept in `cache` (one of NUMBERS' dicts)."""
    if v == 0 or v != v or (type(v) is int and not -2 ** 24 <= v <= 2 ** 24):
        if type(v) is int and not -2 ** 63 <= v < 2 ** 64:
            # PyTorch's conversion of a Python int to a Scalar (past uint64 too)
            raise OverflowError("can't convert negative int to unsigned" if v < 0 else
                                "int too big to convert")
        return v  # not kept: -0.0 == 0.0 as keys, nan != nan; big ints converted as numpy does
    z = np.array(v, dt)
    z.flags.writeable = False
    if len(cache) >= 256:
        cache.clear()
    cache[v] = z
    return z


def reshape(a, shape):
    if isinstance(a, Tensor):
        return a.reshape(shape)
    return np.reshape(a, shape)


def permute(a, axes):
    if isinstance(a, Tensor):
        return a.permute(*axes)
    return np.transpose(a, axes)


def transpose(a, d0, d1):
    if isinstance(a, Tensor):
        return a.transpose(d0, d1)
    return np.swapaxes(a, d0, d1)


def mT(a):
    """Swap the last two dims (matrix transpose of a batch)."""
    return transpose(a, -1, -2)


def unsqueeze(a, dim):
    if isinstance(a, Tensor):
        return a.unsqueeze(dim)
    return np.expand_dims(a, dim)


def sum(a, dims=None, keepdim=False):
    if isinstance(a, Tensor):
        if dims is None:
            return a.sum()
        return a.sum(dims, keepdim=keepdim)
    if a.dtype.kind == "b":
        return np.sum(a, axis=dims, keepdims=keepdim)
    total = ordered_sum(a, dims, keepdim)  # float32: PyTorch's order (summation.py)
    if total is None:
        total = _add_reduce(a, dims, None, None, keepdim)  # np.sum without its Python wrapper
    return total


_add_reduce = np.add.reduce


def sum_to(g, shape):
    """Sum a broadcast gradient back to `shape` (the one place broadcasting is undone)."""
    gshape = g.shape
    if gshape == shape:
        return g
    if not shape and isinstance(g, Tensor):
        return g.sum()  # PyTorch's sum_to of a 0-d shape: one sum() (SumBackward0)
    lead = len(gshape) - len(shape)
    if lead < 0:
        return expand(g, shape)
    axes = list(range(lead))  # (a loop, not generators: the engine's broadcast gradients)
    for i, s in enumerate(shape):
        if gshape[lead + i] != s:
            if s != 1:
                return expand(g, shape)  # g is smaller than shape (a broadcast scalar-like grad)
            axes.append(lead + i)
    if axes:
        axes = tuple(axes)
        # keepdim for a tensor (create_graph records PyTorch's sum_to: SumBackward1, then a
        # view); an array's sum needs no size-1 dims that the reshape below drops again
        g = sum(g, axes, keepdim=type(g) is not _ndarray)
    if tuple(g.shape) != tuple(shape):
        g = reshape(g, shape)
    return g


def cast(g, np_dtype):
    if isinstance(g, Tensor):
        if g._data.dtype.kind == "c" and np_dtype.kind != "c":
            g = g.real  # a real input's gradient from a complex op: the real part, recorded
        return g.to(from_numpy_dtype(np_dtype))
    return g.astype(np_dtype)


def fit(g, shape, np_dtype):
    """Bring a rule's gradient to its input's shape and dtype (the engine calls this per edge)."""
    if isinstance(g, Tensor):
        if g._data.shape != shape:
            g = sum_to(g, shape)
        if g._data.dtype != np_dtype:
            g = cast(g, np_dtype)
        return g
    if type(g) is not _ndarray and type(g) is not SparseArray and type(g) is not _Meta:
        g = np.asarray(g)
    if g.shape != shape:
        g = sum_to(g, shape)
    if g.dtype != np_dtype:
        if g.dtype.kind == "c" and np_dtype.kind != "c":
            g = g.real  # a real input's gradient from a complex op: the real part, as PyTorch
        g = g.astype(np_dtype)
    return g


def matmul(a, b):
    return a @ b


def copy_node(g, var):
    """First accumulation with create_graph: PyTorch stores a copy of g made by copy_ into a new
    tensor (CopyBackwards, with no edge for the new tensor) laid out as the gradient layout
    contract asks for var (the leaf's array)."""
    z = contract_empty(var, g._data.dtype)
    z.fill(0)
    return Tensor._make(z).copy_(g)


class EngineKey(tuple):
    """A key for index_put from gradsh itself (the engine's rules, x[key] = v): it may hold
    slices, ints and arrays, which PyTorch's Python signature refuses in a user's key."""


def index_put_(self, key, values, accumulate=False):
    """self.index_put_ past its signature check (number_slots): the engine's keys hold slices
    and ints, which PyTorch's indexing passes to its kernel but its Python signature refuses."""
    put = Tensor.index_put_
    return getattr(put, "__wrapped__", put)(self, EngineKey(key), values, accumulate)


def scatter_into(shape, index, g):
    """A zero array of `shape` with g added at `index` (the backward of indexing)."""
    if isinstance(g, Tensor):  # as PyTorch: zeros.index_put_(index, g, accumulate=True)
        return index_put_(g.new_zeros(shape), index, g, True)
    out = np.zeros(shape, g.dtype)
    np.add.at(out, index, g)
    return out
