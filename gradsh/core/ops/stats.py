"""Statistics and integration as PyTorch composes them (issue 15, branch torchbreadth): cov,
corrcoef, trapezoid / trapz, cumulative_trapezoid, vander (whose backward PyTorch refuses: its
in-place composition overwrites a saved value, and gradsh's version counters say so too); and the
counting ops without a derivative: histc, histogram, isin, unique_consecutive, tril_indices,
triu_indices."""

import builtins
import operator

import numpy as np

from .. import errors
from ..dtypes import as_dtype, int64 as _int64
from ..factories import linspace
from ..return_types import return_type
from ..tensor import Tensor
from .base import check_alloc, dim_arg, make, needs_grad, promote, record_multi, torch_dtype
from .pointwise import NotImplementedBackward, div_scalar, mul_scalar
from .registry import declare
from .shape import slice_dim
from ..meta import as_array

HistogramResult = return_type("histogram", ("hist", "bin_edges"))


def _tensor(x, name, op):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument '{name}' (position 1) must be Tensor, not "
                        f"{errors.type_name(x)}")
    return x


# ----- cov, corrcoef --------------------------------------------------------------------------
def _cov_weights(weights, name, n, kinds, kind_word):
    """cov's fweights (integers) or aweights (floats), checked as PyTorch checks them."""
    t = _tensor(weights, name, "cov")
    d = t._data
    if d.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {d.ndim} dimensions")
    if d.dtype.kind not in kinds:
        raise RuntimeError(f"cov(): expected {name} to have {kind_word} dtype but got {name} "
                           f"with {torch_dtype(d.dtype)._short} dtype")
    if d.size != n:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {d.size} != {n}")
    if (d < 0).any():
        raise RuntimeError(f"cov(): {name} cannot be negative")
    return t


@declare(tensor_first=True)
def cov(self, *, correction=1, fweights=None, aweights=None):
    """Covariance of the rows (variables) over the columns (observations)."""
    d = self._data
    if d.ndim > 2:
        raise RuntimeError("cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {d.ndim} dimensions")
    if d.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    errors.long(correction)
    x = self.view(1, -1) if d.ndim < 2 else self
    n = x._data.shape[1]
    w = None
    if fweights is not None:
        w = _cov_weights(fweights, "fweights", n, "iu", "integral")
    if aweights is not None:
        a = _cov_weights(aweights, "aweights", n, "f", "floating point")
        w = a if w is None else w * a
    w_sum = w.sum() if w is not None else make(as_array(n, np.int64))
    if w is not None and not w_sum._data.item() != 0:
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = (x * w if w is not None else x).sum(1) / w_sum
    if w is not None and correction != 0:
        norm = (w_sum - correction * (w * aweights).sum() / w_sum if aweights is not None
                else w_sum - correction)
    else:
        norm = w_sum - correction
    if bool(norm._data <= 0):
        errors.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm = make(np.zeros_like(norm._data))
    x = x - avg.unsqueeze(1)
    c = x.mm((x * w if w is not None else x).t())
    return c.true_divide(norm).squeeze()


@declare(tensor_first=True)
def corrcoef(self):
    """Pearson correlation coefficients of the rows, clipped to [-1, 1]."""
    if self._data.ndim > 2:
        raise RuntimeError("corrcoef(): expected input to have two or fewer dimensions but got "
                           f"an input with {self._data.ndim} dimensions")
    c = cov(self)
    if c._data.ndim == 0:
        return c / c
    std = c.diagonal().sqrt()
    c = c / std.view(-1, 1)
    c = c / std.view(1, -1)
    return c.clip(-1, 1)


# ----- trapezoid, cumulative_trapezoid --------------------------------------------------------
def _zeros_except(y, dim):
    shape = list(y._data.shape)
    del shape[dim]
    return make(np.zeros(shape, y._data.dtype))


def _spacing(y, x, dim):
    """x's differences along dim, shaped to broadcast against y's slices."""
    n = y._data.ndim
    if x._data.ndim == 1:
        if x._data.shape[0] != y._data.shape[dim]:
            raise RuntimeError("trapezoid: There must be one `x` value for each sample point")
        shape = [1] * n
        shape[dim] = x._data.shape[0]
        xv = x.view(*shape)
    elif x._data.ndim < n:
        xv = x.view(*([1] * (n - x._data.ndim) + list(x._data.shape)))
    else:
        xv = x
    return slice_dim(xv, dim, 1, None, None) - slice_dim(xv, dim, 0, -1, None)


def _trapezoid_args(name, y, x, dx, dim):
    _tensor(y, "y", name)
    if x is not None and dx is not None:
        raise RuntimeError("received both x and dx; only one is allowed")  # (torch's own check)
    dim = dim_arg(dim, y._data.ndim)
    if y._data.dtype.kind == "b" or (isinstance(x, Tensor) and x._data.dtype.kind == "b"):
        raise RuntimeError(f"{name}: received a bool input for `{'x' if y._data.dtype.kind != 'b' else 'y'}`, "
                           "but bool is not supported")
    return dim


def _times(t, number):
    """C++'s tensor * double (MulBackward1); an integer tensor's product is a float tensor."""
    return mul_scalar(t, number) if t._data.dtype.kind in "fV" else t * number


def _halved(t):
    """C++'s tensor / 2.0 (DivBackward1); an integer tensor's quotient has the default dtype."""
    return div_scalar(t, 2.0) if t._data.dtype.kind in "fVc" else t / 2.0


def _pairs(y, dim):
    return slice_dim(y, dim, 1, None, None) + slice_dim(y, dim, 0, -1, None)


@declare(method=False, aliases=("trapz",))
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoidal rule along dim, with sample points x or a constant spacing dx."""
    dim = _trapezoid_args("trapezoid", y, x, dx, dim)
    if y._data.shape[dim] == 0:
        return _zeros_except(y, dim)
    if isinstance(x, Tensor):
        return _halved((_pairs(y, dim) * _spacing(y, x, dim)).sum(dim))
    step = 1.0 if x is None and dx is None else float(dx if dx is not None else x)
    return _times(y.sum(dim) - _times(y.select(dim, 0) + y.select(dim, -1), 0.5), step)


@declare(method=False)
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoidal rule along dim (one value fewer than y has)."""
    dim = _trapezoid_args("cumulative_trapezoid", y, x, dx, dim)
    if isinstance(x, Tensor):
        return _halved((_pairs(y, dim) * _spacing(y, x, dim)).cumsum(dim))
    step = 1.0 if x is None and dx is None else float(dx if dx is not None else x)
    return _times(_pairs(y, dim), step / 2.0).cumsum(dim)


# ----- vander ---------------------------------------------------------------------------------
@declare(method=False)
def vander(x, N=None, increasing=False):
    """Columns x**(N-1), ..., x, 1 (or increasing): PyTorch's fill, copy_ and cumprod."""
    _tensor(x, "x", "vander")
    if x._data.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x._data.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = np.promote_types(x._data.dtype, np.int64) if x._data.dtype.kind not in "fV" else x._data.dtype
    check_alloc((x._data.shape[0], n), dt)
    out = make(np.empty((x._data.shape[0], n), dt))
    if n > 0:
        out.fill_(1)
        if n > 1:
            slice_dim(out, 1, 1, None, None).copy_(x.unsqueeze(1))
            rest = slice_dim(out, 1, 1, None, None)
            slice_dim(out, 1, 1, None, None).copy_(rest.cumprod(1))
    return out if increasing else out.flip(1)


# ----- histc, histogram -----------------------------------------------------------------------
def _bin_range(d, lo, hi):
    lo, hi = float(lo), float(hi)
    if lo == hi and d.size:
        lo, hi = float(d.min()), float(d.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    return lo, hi


def _counts(d, edges, weights=None):
    """Counts of d in the bins of the increasing edges; the last bin holds its right edge."""
    lo, hi = edges[0], edges[-1]
    flat = d.reshape(-1)
    keep = (flat >= lo) & (flat <= hi)
    vals = flat[keep]
    k = len(edges) - 1
    idx = np.searchsorted(edges, vals, side="right") - 1
    idx = np.minimum(idx, k - 1)
    w = None if weights is None else weights.reshape(-1)[keep]
    return np.bincount(idx, weights=w, minlength=k)[:k] if k > 0 else np.zeros(0)


@declare(tensor_first=True)
def histc(self, bins=100, min=0, max=0):
    """Counts in `bins` equal bins between min and max (the data's range when both are 0)."""
    d = self._data
    if d.dtype.kind not in "fV":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for "
                                  f"'{torch_dtype(d.dtype)._short}'")
    bins = operator.index(bins)      # an int, or a 0-d integer tensor (PyTorch's int64_t slot)
    if bins <= 0:
        raise RuntimeError(f"torch.histc(): bins must be > 0, but got {bins} for dimension 0")
    if max < min:
        raise RuntimeError("torch.histc: max must be larger than min")
    lo, hi = _bin_range(d, min, max)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    # PyTorch's linear interpolation: the bin of x is (x - lo) * bins / (hi - lo)
    flat = d.reshape(-1)
    keep = (flat >= d.dtype.type(lo)) & (flat <= d.dtype.type(hi))
    vals = flat[keep].astype(d.dtype)
    pos = ((vals - d.dtype.type(lo)) * d.dtype.type(bins)
           / (d.dtype.type(hi) - d.dtype.type(lo))).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    return make(np.bincount(pos, minlength=bins).astype(d.dtype))


@declare(tensor_first=True)
def histogram(self, bins=100, *, range=None, weight=None, density=False):
    """(hist, bin_edges): counts in the bins (a number of equal bins or their edges)."""
    d = self._data
    if d.dtype.kind not in "fV":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for "
                                  f"'{torch_dtype(d.dtype)._short}'")
    if isinstance(bins, Tensor):
        edges = bins._data.astype(d.dtype)
        if edges.ndim != 1:  # PyTorch's histogram is histogramdd's one-dimensional case
            raise RuntimeError("torch.histogramdd: bins tensor should have one dimension, but "
                               f"got {edges.ndim} dimensions in the bins tensor for dimension 0")
        if edges.size == 0:
            raise RuntimeError("torch.histogramdd: bins tensor should have at least 1 element, "
                               "but got 0 elements in the bins tensor for dimension 0")
        if edges.size == 1:
            raise RuntimeError("torch.histogram(): bins must be > 0, but got 0 for dimension 0")
    else:
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                               "dimension 0")
        lo, hi = (0.0, 0.0) if range is None else range
        if range is None and d.size:
            lo, hi = float(d.min()), float(d.max())
        if lo > hi:
            raise RuntimeError(f"torch.histogram(): min should not exceed max, but got min {lo} "
                               f"max {hi}")
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = linspace(lo, hi, bins + 1, dtype=torch_dtype(d.dtype))._data
    wd = None if weight is None else weight._data
    hist = _counts(d, edges, wd).astype(d.dtype)
    if density:
        total = hist.sum()
        hist = hist / total / np.diff(edges)
    return HistogramResult._of(make(as_array(hist, d.dtype)), make(edges.copy()))



HistogramddResult = return_type("histogramdd", ("hist", "bin_edges"))


def _histogramdd_edges(d, bins, range, D):
    """Each dimension's edges: given tensors, or `bins` equal bins over range (the data's
    extent, widened by 0.5 on each side when it is a point; [0, 1] without points)."""
    if isinstance(bins, (list, tuple)) and bins and all(isinstance(b, Tensor) for b in bins):
        if len(bins) != D:
            raise RuntimeError("histogramdd: The size of bins must be equal to the innermost "
                               "dimension of the input.")
        edges = []
        for k, b in enumerate(bins):
            e = b._data.astype(d.dtype)
            if e.ndim != 1:
                raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, "
                                   f"but got {e.ndim} dimensions in the bins tensor for "
                                   f"dimension {k}")
            if e.size == 0:
                raise RuntimeError(f"torch.histogramdd: bins tensor should have at least 1 "
                                   f"element, but got 0 elements in the bins tensor for "
                                   f"dimension {k}")
            edges.append(e)
        return edges
    counts = [operator.index(bins)] * D if not isinstance(bins, (list, tuple)) else \
        [operator.index(b) for b in bins]
    if len(counts) != D:
        raise RuntimeError("histogramdd: The size of bins must be equal to the innermost "
                           "dimension of the input.")
    if range is not None and len(range) != 2 * D:
        raise RuntimeError(f"torch.histogramdd: for a {D}-dimensional histogram range should "
                           f"have {2 * D} elements, but got {len(range)}")
    edges = []
    for k, n in enumerate(counts):
        if n <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {n} for "
                               f"dimension {k}")
        if range is not None:
            lo, hi = float(range[2 * k]), float(range[2 * k + 1])
        elif d.shape[0]:
            lo, hi = float(d[:, k].min()), float(d[:, k].max())
        else:
            lo, hi = 0.0, 1.0  # no points: PyTorch's default range
        if lo > hi:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{lo:g} max {hi:g} for dimension {k}")
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges.append(linspace(lo, hi, n + 1, dtype=torch_dtype(d.dtype))._data)
    return edges


@declare(method=False, tensor_first=True)
def histogramdd(input, bins=10, *, range=None, weight=None, density=False):
    """(hist, bin_edges) of the points in input's innermost dimension: counts (or summed
    weights) in a D-dimensional grid of bins; each dimension's last bin holds its right edge."""
    d = input._data
    if d.ndim < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    if d.dtype.kind not in "fV":
        raise NotImplementedError(f"\"histogramdd\" not implemented for "
                                  f"'{torch_dtype(d.dtype)._short}'")
    D = d.shape[-1]
    points = d.reshape(-1, D)
    if weight is not None and tuple(weight.shape) != tuple(d.shape[:-1]):
        raise RuntimeError("torch.histogramdd: if weight tensor is provided it should have the "
                           "same shape as the input tensor excluding its innermost dimension, "
                           f"but got input with shape {list(d.shape)} and weight with shape "
                           f"{list(weight.shape)}")
    edges = _histogramdd_edges(points, bins, range, D)
    keep = np.ones(points.shape[0], bool)
    index = []
    for k, e in enumerate(edges):
        v = points[:, k]
        keep &= (v >= e[0]) & (v <= e[-1])
        index.append(np.minimum(np.searchsorted(e, v, side="right") - 1, len(e) - 2))
    shape = tuple(len(e) - 1 for e in edges)
    hist = np.zeros(shape, np.float64 if weight is None else weight._data.dtype)
    w = np.ones(points.shape[0]) if weight is None else weight._data.reshape(-1)
    np.add.at(hist, tuple(i[keep] for i in index), w[keep])
    hist = hist.astype(d.dtype)
    if density:
        volume = np.ones(shape, d.dtype)
        for k, e in enumerate(edges):
            width = np.diff(e).reshape([-1 if j == k else 1 for j in builtins.range(D)])
            volume = volume * width
        hist = hist / hist.sum() / volume
    out = HistogramddResult._of(make(np.ascontiguousarray(hist, d.dtype)),
                            tuple(make(e.copy()) for e in edges))
    if needs_grad(input, weight):
        record_multi([out.hist, *out.bin_edges], NotImplementedBackward,
                     (input, weight), ("histogramdd",))
    return out


# ----- isin, unique_consecutive ---------------------------------------------------------------
@declare(method=False)
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each element is among test_elements."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments - got "
                        f"({errors.type_name(elements)}, {errors.type_name(test_elements)})")
    a = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    rt = promote(*(t for t in (elements, test_elements)))
    out = np.isin(a.astype(rt), b.astype(rt), invert=invert)
    return make(as_array(out))


@declare(tensor_first=True)
def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
    """The tensor with each run of equal consecutive values (or slices along dim) kept once."""
    d = self._data
    if dim is None:
        flat = d.reshape(-1)
        if flat.size:
            start = np.concatenate(([True], flat[1:] != flat[:-1]))
        else:
            start = np.zeros(0, bool)
        values = flat[start]
        inverse = (np.cumsum(start) - 1).reshape(d.shape)
    else:
        k = dim_arg(dim, d.ndim)
        moved = np.moveaxis(d, k, 0).reshape(d.shape[k], -1)
        if moved.shape[0]:
            start = np.concatenate(([True], (moved[1:] != moved[:-1]).any(1)))
        else:
            start = np.zeros(0, bool)
        values = np.moveaxis(np.moveaxis(d, k, 0)[start], 0, k)
        inverse = np.cumsum(start) - 1
    counts = np.diff(np.append(np.flatnonzero(start), start.size))
    out = make(np.ascontiguousarray(values))
    if not return_inverse and not return_counts:
        return out
    res = (out,)
    if return_inverse:
        res += (make(as_array(inverse, np.int64)),)
    if return_counts:
        res += (make(as_array(counts, np.int64)),)
    return res


# ----- tril_indices, triu_indices -------------------------------------------------------------
def _indices(name, np_fn):
    def op(row, col, offset=0, *, dtype=None, device=None, layout=None):
        for arg, v in (("row", row), ("col", col), ("offset", offset)):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError(f"{name}() received an invalid combination of arguments - got "
                                f"({errors.type_name(row)}, {errors.type_name(col)}, ...)")
        if not all(-2 ** 63 <= v < 2 ** 63 for v in (row, col, offset)):
            raise ValueError("Overflow when unpacking long long")
        if row < 0 or col < 0:
            raise RuntimeError(f"row must be non-negative, got{row}" if row < 0 else
                               f"col must be non-negative, got{col}")
        np_dtype = _int64.np if dtype is None else as_dtype(dtype).np
        if np.dtype(np_dtype).kind not in "iu":
            raise RuntimeError(f"\"{name}\" not implemented for "
                               f"'{torch_dtype(np.dtype(np_dtype))._short}'")
        r, c = np_fn(row, col, offset)
        return make(np.stack([r, c]).astype(np_dtype).reshape(2, -1))
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = f"The 2 x N (row, column) indices of the {name[:4]} triangle of a row x col matrix."
    return declare(name=name, method=False)(op)


def _tril_count(row, col, offset):
    """How many (r, c) with c <= r + offset in a row x col matrix, in closed form."""
    if row == 0 or col == 0:
        return 0
    a = max(0, -offset)                          # the first row with an element
    if a >= row:
        return 0
    full = max(a, min(row, col - offset - 1))    # rows from here on are whole
    partial = (a + offset + 1 + full + offset) * (full - a) // 2
    return partial + (row - full) * col


def _from_counts(rows, starts, counts):
    """The (row, column) pairs of rows[i] holding counts[i] columns from starts[i]."""
    r = np.repeat(rows, counts)
    first = np.cumsum(counts) - counts
    c = np.arange(r.size, dtype=np.int64) - np.repeat(first - starts, counts)
    return r, c


def _tril(row, col, offset):
    """np.tril_indices without its row x col mask: the result's size is counted and checked
    first (tril_indices(1, 10**12) made a 1 TB mask for one element)."""
    check_alloc((2, _tril_count(row, col, offset)), np.int64)
    if col == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows = np.arange(min(max(0, -offset), row), row, dtype=np.int64)
    return _from_counts(rows, 0, np.minimum(col, rows + offset + 1))


def _triu(row, col, offset):
    check_alloc((2, row * col - _tril_count(row, col, offset - 1)), np.int64)
    rows = np.arange(max(0, min(row, col - offset)), dtype=np.int64)
    starts = np.maximum(0, rows + offset)
    return _from_counts(rows, starts, col - starts)


tril_indices = _indices("tril_indices", _tril)
triu_indices = _indices("triu_indices", _triu)
