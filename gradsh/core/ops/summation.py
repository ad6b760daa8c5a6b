"""PyTorch's CPU summation order for float32 sums (ATen's cascade_sum in SumKernel.cpp).

How PyTorch 2.13 (x86-64 build, recorded: 8-float vectors) walks a float32 sum:
  - TensorIterator orders the dims, innermost first: reduced dims before kept ones; reduced
    dims among themselves by the input's strides (smallest first), kept dims in the output's
    order; size-1 dims are dropped and neighbours that are contiguous in memory merged. The
    first two dims are handed to the kernel as one block (size0 x size1); the others are
    looped over, each block adding its results into the output (which starts at +0).
  - the kernel, for the block: if dim 0 is reduced with unit stride and >= 8 long, each row is
    an "inner" sum: its body as vectors of 8 lanes through `row_sum`, then a scalar from +0
    adds the tail (n % 8) one by one and then the 8 lanes one by one. Else if dim 1 has unit
    stride and >= 8 columns ("outer" sum), columns in blocks of 32 are summed each by a cascade
    (`multi_row_sum`) and the remaining columns by `row_sum`; else if dim 0's stride is the
    smaller, each column by `row_sum`; else columns in groups of 4 by a cascade, the rest by
    `row_sum`.
  - `row_sum` of n items: four accumulators (items i, i+4, ...), each a cascade over n // 4
    items; the leftover items (n % 4) go into the first, then the other three are added to it.
  - a cascade of `size` items: level 0 adds 2**p consecutive items (p = max(4,
    ceil(log2(size)) // 4)), then is added into level 1, which flushes into level 2 every 2**p
    additions, and level 2 into level 3 every 2**p of its own; what is left goes into level 0;
    at the end levels 1, 2, 3 are added to level 0.
Everything here is that walk written with numpy reductions that keep its order: numpy adds the
slices of a C-contiguous array along a non-innermost axis one after another (sequential), and
cumsum is sequential. More than SERIAL_MAX elements: PyTorch splits the work among threads, so
its result depends on the thread count; gradsh keeps numpy's sum there.
"""

import functools
from math import prod as _prod

import numpy as np

from ..layout import reorder

_LANES = 8        # floats per vector
_OUTER_BLOCK = 32  # columns per vectorised outer cascade (4 vectors of 8)
_SCALAR_BLOCK = 4  # columns per scalar outer cascade
_ILP = 4           # row_sum's accumulators
_ILP_WIDTH = _ILP * _LANES
_SHORT_CASCADE = 16  # a cascade of fewer items is a plain sequential sum
SERIAL_MAX = 32767  # PyTorch reduces below its grain size (32768 elements) in one thread
_F32 = np.dtype(np.float32)
_F0 = np.float32(0)
_add = np.add.reduce
_running = np.add.accumulate  # sequential by nature
_concat = np.concatenate


def _seq(x, axis=0):
    """x's slices along axis added one after another (float32 rounding after each add), from
    the first; a sum that PyTorch starts from +0 differs only in the sign of a zero, which the
    callers' final `+ 0` restores."""
    if x.shape[axis] < 2:
        if x.shape[axis]:  # one slice: a copy (callers add into what they get)
            return x[(slice(None),) * axis + (0,)] + _F0
        return np.zeros(x.shape[:axis] + x.shape[axis + 1:], x.dtype)
    upto = x.shape[0] if not axis else x.shape[0] * x.shape[1] if axis == 1 else _prod(
        x.shape[:axis + 1])
    # numpy adds the slices one after another when the block after axis (x.size / upto
    # elements) is its inner loop, which needs two or more elements and a C-contiguous x
    if x.flags.c_contiguous and x.size >= 2 * upto:
        return _add(x, axis=axis)
    return _running(x, axis=axis)[(slice(None),) * axis + (-1,)]


def _cascade(x):
    """PyTorch's multi_row_sum over axis 0 of x, for every position of the other axes. Levels
    with nothing added are left out (adding their +0 changes nothing but a zero's sign)."""
    size = x.shape[0]
    if size < _SHORT_CASCADE:
        return _seq(x)
    p = max(4, (size - 1).bit_length() // 4)
    step = 1 << p
    nfull = size // step
    rest = x.shape[1:]
    blocks = _seq(x[:nfull * step].reshape((nfull, step) + rest), 1)
    ngroups = nfull // step
    level1 = blocks[ngroups * step:]
    if nfull * step < size:  # level 0 + level 1 is level 1's blocks then level 0, in order
        level1 = _concat((level1, _seq(x[nfull * step:])[None]))
    total = _seq(level1) if len(level1) else None
    if ngroups:
        groups = _seq(blocks[:ngroups * step].reshape((ngroups, step) + rest), 1)
        nsuper = ngroups // step
        if nsuper * step < ngroups:
            total = _plus(total, _seq(groups[nsuper * step:]))
        if nsuper:
            supers = _seq(groups[:nsuper * step].reshape((nsuper, step) + rest), 1)
            total = _plus(total, _seq(supers))
    return total


def _plus(total, level):
    """total + level, where a missing total (None) is a level that nothing was added to."""
    return level if total is None else total + level


def _row_sum(x):
    """PyTorch's row_sum over axis 0 of x: four cascaded accumulators, the leftover items into
    the first, then the other three added to it."""
    n = x.shape[0]
    k = n // _ILP
    if not k:
        return _seq(x)
    acc = _cascade(x[:k * _ILP].reshape((k, _ILP) + x.shape[1:]))
    if k * _ILP != n:
        acc[0] = _seq(_concat((acc[:1], x[k * _ILP:])))
    return _seq(acc)


def _accumulators(flat, k, nvec):
    """row_sum's four accumulators of 8 lanes (32 floats) over the first nvec vectors of flat:
    the cascade of the first k rows of 32, then the leftover vectors (nvec - 4k, at most 3)
    added one by one into accumulator 0. Below 16 * 16 rows the cascade has two levels: blocks
    of 16 rows added into level 1, the rest into level 0, and level 0 + level 1 is the
    sequential sum of the blocks then level 0; the leftover vectors, padded with zeros to rows
    of 32 (adding +0 to accumulators 1-3 changes nothing but a zero's sign, which the final
    `+ 0` restores), are further rows of that sequential sum. So at most two reduces."""
    body = flat[:k * _ILP_WIDTH]
    extra = nvec - k * _ILP
    if k >= _SHORT_CASCADE ** 2:
        acc = _cascade(body.reshape(k, _ILP_WIDTH))
        for start in range(k * _ILP_WIDTH, nvec * _LANES, _LANES):
            acc[:_LANES] += flat[start:start + _LANES]
        return acc
    nblocks = -(-k // _SHORT_CASCADE) if k >= _SHORT_CASCADE else 0
    padded = nblocks * _SHORT_CASCADE
    if padded == k and not extra:
        if not nblocks:
            return _add(body.reshape(k, _ILP_WIDTH), axis=0)
        return _add(_add(body.reshape(nblocks, _SHORT_CASCADE, _ILP_WIDTH), axis=1), axis=0)
    # one zeroed buffer: the rows padded to whole blocks (or none), then the sequence's rows
    nseq = (nblocks or k) + extra
    buf = np.zeros((padded + nseq) * _ILP_WIDTH, flat.dtype)
    seq = buf[padded * _ILP_WIDTH:].reshape(nseq, _ILP_WIDTH)
    if nblocks:
        rows = buf[:padded * _ILP_WIDTH]
        if padded == k:
            rows = body
        else:
            rows[:k * _ILP_WIDTH] = body
        _add(rows.reshape(nblocks, _SHORT_CASCADE, _ILP_WIDTH), axis=1, out=seq[:nblocks])
    else:
        seq[:k] = body.reshape(k, _ILP_WIDTH)
    if extra:
        seq[nseq - extra:, :_LANES] = flat[k * _ILP_WIDTH:nvec * _LANES].reshape(extra, _LANES)
    return _add(seq, axis=0)


def _inner_rows(rows):
    """The inner sum of every row of rows (..., n), n >= 8, contiguous along the last axis."""
    n = rows.shape[-1]
    nvec = n // _LANES
    lead = rows.shape[:-1]
    if not lead:
        return sum_f32(rows)
    vectors = rows[..., :nvec * _LANES].reshape(lead + (nvec, _LANES))
    lanes = _row_sum(_to_front(vectors, len(lead)))
    parts = _concat((np.zeros(lead + (1,), rows.dtype), rows[..., nvec * _LANES:], lanes), -1)
    return _seq(_to_front(parts, len(lead))) + _F0


def _to_front(x, axis):
    """x with axis moved to the front, C-contiguous (so _seq can use numpy's reduce)."""
    order = (axis,) + tuple(k for k in range(x.ndim) if k != axis)
    return np.ascontiguousarray(x.transpose(order))


def _columns(block, cascaded):
    """Columns of block (..., size1, size0) summed over size0: the first `cascaded` columns each
    by a cascade, the others by row_sum."""
    x = _to_front(block, block.ndim - 1)
    if cascaded == 0:
        return _row_sum(x)
    if cascaded == x.shape[-1]:
        return _cascade(x)
    return _concat((_cascade(x[..., :cascaded]), _row_sum(x[..., cascaded:])), -1)


def _leading_sum(x):
    """The sum over axis 0 of the C-contiguous 2-d x (a sum over the leading dims, as the
    gradient of a broadcast bias): the kernel's outer sum of columns, without the walk."""
    ncols = x.shape[1]
    block = _OUTER_BLOCK if ncols >= _LANES else _SCALAR_BLOCK
    cascaded = ncols - ncols % block
    if cascaded == ncols:
        return _cascade(x) + _F0
    if not cascaded:
        return _row_sum(x) + _F0
    return _concat((_cascade(x[:, :cascaded]), _row_sum(x[:, cascaded:]))) + _F0


def _kernel(block, stride0, stride1):
    """The kernel's results for block (..., size1, size0): one sum per column j (shape
    (..., size1)); stride0 and stride1 are the input strides of size0 and size1 in elements."""
    size1, size0 = block.shape[-2:]
    if stride0 == 1 and size0 >= _LANES:
        return _inner_rows(block)
    if stride1 == 1 and size1 >= _LANES:
        return _columns(block, size1 - size1 % _OUTER_BLOCK) + _F0
    if stride0 < stride1:
        return _columns(block, 0) + _F0
    return _columns(block, size1 - size1 % _SCALAR_BLOCK) + _F0


def _order(shape, strides, reduced):
    """TensorIterator's dims for the reduction, innermost first, as (size, stride, reduced,
    axes) after dropping size-1 dims and merging contiguous neighbours (strides in elements;
    axes: the input's axes merged, outermost first)."""
    dims = [(shape[k], strides[k], k in reduced, k) for k in reversed(range(len(shape)))
            if shape[k] != 1]
    reorder(dims, _should_swap)  # PyTorch's insertion sort, ambiguous comparisons kept
    merged = []
    for size, stride, red, axis in dims:
        last = merged[-1] if merged else None
        if last and last[2] == red and last[0] * last[1] == stride:
            merged[-1] = (last[0] * size, last[1], red, (axis,) + last[3])
        else:
            merged.append((size, stride, red, (axis,)))
    return merged


@functools.lru_cache(maxsize=512)
def _plan(shape, strides, dims):
    """How to walk a sum of an array of this shape and these strides (in elements) over dims:
    (kind, transpose order, view shape, stride0, stride1, kept dims, out shape). The view
    (the input transposed and reshaped) has TensorIterator's dims, outermost first; kind is
    "copy" (nothing reduced), "one" (a single dim), "block" (one reduced dim) or "blocks"."""
    reduced = frozenset(dims)
    out_shape = tuple(n for k, n in enumerate(shape) if k not in reduced)
    layout = _order(shape, strides, reduced)
    nred = sum(1 for dim in layout if dim[2])
    ones = tuple(k for k, n in enumerate(shape) if n == 1)
    order = ones + tuple(axis for dim in reversed(layout) for axis in dim[3])
    view_shape = tuple(dim[0] for dim in reversed(layout))
    kind = ("copy" if not nred else "one" if len(layout) == 1 else
            "block" if nred == 1 else "blocks")
    stride1 = layout[1][1] if len(layout) > 1 else 0
    stride0 = layout[0][1] if layout else 0
    return kind, order, view_shape, stride0, stride1, len(layout) - nred, out_shape


def _should_swap(a, b):
    """1 if dim a (now before b) goes after b, -1 if before, 0 if ambiguous: the output's
    strides first (reduced dims first, kept ones in the output's order), then the input's."""
    if a[2] != b[2]:
        return 1 if b[2] else -1
    if not a[2]:
        return 1 if a[3] < b[3] else -1
    if a[1] == 0 or b[1] == 0:
        return 0
    if a[1] != b[1]:
        return 1 if a[1] > b[1] else -1
    return 1 if a[0] > b[0] else 0


def sum_f32(d):
    """The float32 sum of all elements of the C-contiguous array d, in PyTorch's order (the
    inner sum of one row, written out: the common case, kept to few calls)."""
    flat = d.reshape(-1)
    n = flat.size
    if n < _LANES:
        return _row_sum(flat) + _F0 if n else _F0
    nvec = n >> 3
    k = nvec >> 2
    if k:
        lanes = _add(_accumulators(flat, k, nvec).reshape(_ILP, _LANES), axis=0)
    else:  # fewer than 4 vectors: all go into accumulator 0
        lanes = _add(flat[:nvec * _LANES].reshape(nvec, _LANES), axis=0)
    if n == nvec * _LANES:
        return _running(lanes)[-1] + _F0
    return _running(_concat((flat[nvec * _LANES:], lanes)))[-1] + _F0


def sum_dims_f32(d, dims):
    """The float32 sum of d over the axes `dims` (a tuple) in PyTorch's order, shaped as the
    result without keepdim; None where the order is not reproduced (negative strides)."""
    itemsize = d.itemsize
    strides = tuple(s // itemsize for s in d.strides)
    if any(s < 0 for s in strides):
        return None
    kind, order, view_shape, stride0, stride1, nkept, out_shape = _plan(d.shape, strides, dims)
    if kind == "copy":
        # PyTorch adds into a contiguous output that starts at +0
        return np.add(d, _F0, order="C").reshape(out_shape)
    view = d.transpose(order).reshape(view_shape)
    if kind == "one":  # the kernel's second dim has size 1, stride 0
        total = sum_f32(view) if stride0 == 1 else _row_sum(view) + _F0
        return np.asarray(total, _F32).reshape(out_shape)
    rows = _kernel(view, stride0, stride1)
    if kind == "block":
        return rows.reshape(out_shape)
    # two or more reduced dims: the block is (red0, red1), each row's sum added into the same
    # output element, then the blocks of the further reduced dims (red1 fastest)
    flat = rows.reshape(rows.shape[:nkept] + (-1,))
    return (_seq(_to_front(flat, nkept)) + _F0).reshape(out_shape)


def ordered_sum(d, dims=None, keepdim=False):
    """numpy's `d.sum(axis=dims, keepdims=keepdim)` for a float32 array, in PyTorch's order;
    None when gradsh keeps numpy's sum (another dtype, more than SERIAL_MAX elements, empty)."""
    if d.dtype != _F32 or not 0 < d.size <= SERIAL_MAX:
        return None
    if dims is None and d.size <= _ILP and not keepdim and d.flags.c_contiguous:
        return _add(d, None)  # one by one (numpy adds fewer than 8 items in order)
    ndim = d.ndim
    if dims is None or not ndim:
        dims = range(ndim)
    else:
        dims = tuple(k % ndim for k in dims) if isinstance(dims, (tuple, list)) else (
            int(dims) % ndim,)
    if len(dims) == ndim and d.flags.c_contiguous:
        total = np.asarray(sum_f32(d))
        return total.reshape((1,) * ndim) if keepdim else total
    kept = tuple(n for k, n in enumerate(d.shape) if k not in dims)
    nkept = _prod(kept)
    if d.flags.c_contiguous and nkept == 1:  # the kept dims have size 1: a sum of all
        out = np.asarray(sum_f32(d))
    elif d.flags.c_contiguous and dims == tuple(range(len(dims))):
        out = _leading_sum(d.reshape(-1, nkept))
    else:
        out = sum_dims_f32(d, tuple(dims))
        if out is None:
            return None
    if keepdim:
        return out.reshape(tuple(1 if k in dims else n for k, n in enumerate(d.shape)))
    return out.reshape(kept)


def norm2_lastdim_f32(d, keepdim):
    """The float32 2-norm of each row of the C-contiguous d over its last dim (of all elements
    when d is 1-d) as PyTorch's vectorised kernel: 8 lanes of squares added vector by vector,
    the lanes then added one by one, then the tail (n % 8) by fused multiply-adds (the
    compiler contracts PyTorch's scalar `acc += x * x`), the root in float32. None for a row
    of no elements."""
    n = d.shape[-1] if d.ndim else 1
    if not n or not d.size:
        return None
    rows = d.reshape(-1, n)
    nvec = n // _LANES
    body = nvec * _LANES
    vectors = rows[:, :body].reshape(len(rows), nvec, _LANES)
    if nvec:
        squares = _running(_add(vectors * vectors, axis=1), axis=1)[:, -1]
    else:
        squares = np.zeros(len(rows), d.dtype)
    for k in range(body, n):  # the tail: one fused multiply-add each (one rounding)
        x = rows[:, k].astype(np.float64)
        squares = (squares + x * x).astype(d.dtype)
    shape = d.shape[:-1] + ((1,) if keepdim and d.ndim else ())
    return np.sqrt(squares).reshape(shape)


# ----- nll_loss's cascade (LossNLL.cpp, nll_loss_out_frame with a reduction) ------------------
_NLL_LEVELS = 8


def _run_sums(items, ends):
    """Each run of items that ends at an index in `ends` (inclusive, after the previous end)
    added left to right from +0."""
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends + 1 - starts
    width = int(lengths.max())
    at = starts[:, None] + np.arange(width)
    inside = np.arange(width) < lengths[:, None]
    padded = np.where(inside, items[np.minimum(at, len(items) - 1)], _F0)  # + 0 changes nothing
    return _seq(np.ascontiguousarray(padded), 1)


def nll_cascade_sum(terms, batch_index, batch_size):
    """The float32 sum of nll_loss's terms as its kernel adds them: `terms` (one per target not
    ignored) go into level 0; after the term of batch index b, level j is added into level j + 1
    and cleared for every j with b divisible by 2**(p * (j + 1)) (p = max(4, ceil(log2(batch))
    // 8)), up to level 7; at the end the eight levels are added, level 0 first, from +0."""
    p = max(4, max(batch_size - 1, 1).bit_length() // _NLL_LEVELS)
    levels = []
    items, index = np.asarray(terms, np.float32), np.asarray(batch_index)
    for j in range(_NLL_LEVELS - 1):
        ends = np.flatnonzero(index % (1 << (p * (j + 1))) == 0)
        rest = items[ends[-1] + 1:] if len(ends) else items
        levels.append(_seq(rest[:, None])[0] if len(rest) else _F0)
        if not len(ends):
            items = items[:0]
            break
        items, index = _run_sums(items, ends), index[ends]
        if len(items) == 1 and index[0] == 0:  # batch index 0 alone: it rises to the top level
            break
    if len(items):
        levels.append(_seq(items[:, None])[0])
    total = _F0
    for level in levels:
        total = np.float32(total + level)
    return total
