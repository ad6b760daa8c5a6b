"""PyTorch's CPU summation order for float32 and float64 sums (ATen's cascade_sum in
SumKernel.cpp).

How PyTorch 2.13 (x86-64 build with AVX2, recorded: vectors of L = 8 floats or 4 doubles) walks
a sum:
  - TensorIterator orders the dims, innermost first: reduced dims before kept ones; reduced
    dims among themselves by the input's strides (smallest first), kept dims in the output's
    order; size-1 dims are dropped and neighbours that are contiguous in memory merged. The
    first two dims are handed to the kernel as one block (size0 x size1); the others are
    looped over, each block adding its results into the output (which starts at +0).
  - the kernel, for the block: if dim 0 is reduced with unit stride and >= L long, each row is
    an "inner" sum: its body as vectors of L lanes through `row_sum`, then a scalar from +0
    adds the tail (n % L) one by one and then the L lanes one by one. Else if dim 1 has unit
    stride and >= L columns ("outer" sum), columns in blocks of 4L are summed each by a cascade
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
from ..meta import MetaArray

_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_LANES_F32 = 8     # floats per AVX2 vector
_LANES_F64 = 4     # doubles per AVX2 vector
_SCALAR_BLOCK = 4  # columns per scalar outer cascade
_ILP = 4           # row_sum's accumulators (an outer cascade's vector block is _ILP vectors)
_SHORT_CASCADE = 16  # a cascade of fewer items is a plain sequential sum
_GROUP = _SHORT_CASCADE ** 2  # rows in one group of a cascade's blocks (level 2's first flush)
SERIAL_MAX = 32767  # PyTorch reduces below its grain size (32768 elements) in one thread
_F0 = np.float32(0)  # adding it turns a -0 into +0 and keeps the dtype (float32 or float64)
_add = np.add.reduce
_running = np.add.accumulate  # sequential by nature
_concat = np.concatenate
_LEADING = tuple(tuple(range(n)) for n in range(65))  # dims (0, ..., n - 1)


def lanes_of(dtype):
    """The vector width PyTorch sums this dtype with (0: not a dtype whose order is kept)."""
    return _LANES_F32 if dtype is _F32 else _LANES_F64 if dtype is _F64 else 0


def _seq(x, axis=0):
    """x's slices along axis added one after another (rounding after each add), from the
    first; a sum that PyTorch starts from +0 differs only in the sign of a zero, which the
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
    blocks = _block_sums(x[:nfull * step].reshape((nfull, step) + rest))
    ngroups = nfull // step
    level1 = blocks[ngroups * step:]
    if nfull * step < size:  # level 0 + level 1 is level 1's blocks then level 0, in order
        level1 = _concat((level1, _seq(x[nfull * step:])[None]))
    total = _seq(level1) if len(level1) else None
    if ngroups:
        groups = _block_sums(blocks[:ngroups * step].reshape((ngroups, step) + rest))
        nsuper = ngroups // step
        if nsuper * step + 1 == ngroups:  # one group: itself (a new array, not the input)
            total = _plus(total, groups[-1])
        elif nsuper * step < ngroups:
            total = _plus(total, _seq(groups[nsuper * step:]))
        if nsuper:
            supers = _block_sums(groups[:nsuper * step].reshape((nsuper, step) + rest))
            total = _plus(total, _seq(supers))
    return total


def _block_sums(x):
    """_seq(x, 1) for x (blocks, rows, ...): each block's rows added in order. numpy's reduce
    over axis 1 adds one short row per inner loop; for short rows (< 128 elements) the same
    additions run faster as a reduce over axis 0 of a copy with the rows' axis first. One
    block (the blocks' own sequence, as in a bias gradient over 256 rows) is a reduce over its
    axis 0 (numpy spends a fifth more on a reduce over axis 1 of (1, rows, ...))."""
    if x.shape[0] == 1:
        return _seq(x[0])[None]
    if x.size < x.shape[1] * x.shape[0] * 128 and x.flags.c_contiguous:
        return _add(np.ascontiguousarray(x.swapaxes(0, 1)), axis=0)
    return _seq(x, 1)


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


class _FlatSum:
    """The inner sum of n contiguous elements (n >= L, k < 16 * 16 rows of 4 vectors) as a
    fixed sequence of numpy calls, worked out once per (n, dtype), with scratch buffers whose
    zero padding is never written. row_sum's cascades have at most two levels there: blocks of
    16 rows added into level 1, the rest (k % 16 rows) into level 0, and level 0 + level 1 is
    the sequential sum of the blocks then level 0. Zero rows added to level 0 change nothing but
    a zero's sign, so the rows are copied into a buffer of whole blocks (`copy`) and all blocks
    summed in one reduce (`rows`, into `seq`). The leftover vectors (at most 3) padded with
    zeros to rows of 4L are further rows of that sequence (`extras`; below 16 rows the first
    of them is copied with the rows, which it follows). Then the sequence (`seq` into `acc`),
    the four accumulators added (`acc4`, into `final` after +0 and the tail) and `final`'s
    running sum: at most four reductions and three copies."""

    __slots__ = ("copy", "rows", "extras", "seq", "acc4", "lanes", "tail", "final", "running")

    def __init__(self, n, dtype, lanes):
        width = _ILP * lanes
        nvec, tail = divmod(n, lanes)
        k, extra = divmod(nvec, _ILP)
        nfull, r = divmod(k, _SHORT_CASCADE)
        body = k * width
        self.copy = self.rows = self.extras = self.seq = None
        if nfull:  # (nblocks, 16, 4L) summed over its rows: the blocks
            nblocks = nfull + (r > 0)
            seq = np.zeros((nblocks + extra, width), dtype)
            padded = np.zeros((nblocks, _SHORT_CASCADE, width), dtype) if r else None
            if r:
                self.copy = (body, padded.reshape(-1)[:body])
            # the blocks' rows added in order as a reduce over axis 0 of a copy with the rows'
            # axis first (16, nblocks * 4L): numpy's inner loop runs over all blocks' lanes at
            # once instead of one short row per call (see _block_sums)
            if nblocks > 1:
                front = np.zeros((_SHORT_CASCADE, nblocks, width), dtype)
                self.rows = (padded, (nblocks, _SHORT_CASCADE, width), front.swapaxes(0, 1),
                             front.reshape(_SHORT_CASCADE, -1), seq[:nblocks].reshape(-1))
            else:  # one block: its rows are the reduce's axis 0 already
                self.rows = (None if padded is None else padded[0], (_SHORT_CASCADE, width), 0,
                             seq[0])
            first, start = nblocks, body
        elif extra or k == 1:  # the rows and the first leftover vector are the sequence
            seq = np.zeros((k + extra, width), dtype)
            stop = body + (lanes if extra else 0)
            self.copy = (stop, seq.reshape(-1)[:stop])
            first, start = k + (extra > 0), stop
        else:  # k rows, summed straight from the input
            seq = np.zeros((1, width), dtype)
            self.rows = (None, (k, width), 0, seq[0])
            first, start = 1, body
        if len(seq) > first:
            self.extras = (start, nvec * lanes, (len(seq) - first, lanes), seq[first:, :lanes])
        acc = seq[0] if len(seq) == 1 else np.zeros(width, dtype)
        if len(seq) > 1:
            self.seq = (seq, acc)
        self.acc4 = acc.reshape(_ILP, lanes)
        self.final = np.zeros(1 + tail + lanes, dtype)  # +0, the tail, the lanes
        self.running = np.zeros(1 + tail + lanes, dtype)
        self.lanes = self.final[1 + tail:]
        self.tail = (nvec * lanes, self.final[1:1 + tail]) if tail else None

    def __call__(self, flat):
        if self.copy is not None:
            stop, out = self.copy
            out[...] = flat[:stop]
        if self.rows is not None:
            rows = self.rows
            if len(rows) == 4:  # (rows or None: straight from the input, shape, axis, out)
                rows, shape, axis, out = rows
                _add((flat[:_prod(shape)] if rows is None else rows).reshape(shape), axis, None,
                     out)
            else:  # blocks: copied with the rows' axis first, then reduced over it
                padded, shape, blocks_first, front, out = rows
                blocks_first[...] = flat[:_prod(shape)].reshape(shape) if padded is None \
                    else padded
                _add(front, 0, None, out)
        if self.extras is not None:
            start, stop, shape, out = self.extras
            out[...] = flat[start:stop].reshape(shape)
        if self.seq is not None:
            _add(self.seq[0], 0, None, self.seq[1])
        _add(self.acc4, 0, None, self.lanes)
        if self.tail is not None:
            start, out = self.tail
            out[...] = flat[start:]
        return _running(self.final, 0, None, self.running)[-1]


class _LongFlatSum:
    """The inner sum of n contiguous elements with 16 * 16 rows of 4 vectors or more (levels
    2 and 3 of the cascade): the general walk (the work outweighs the Python calls here)."""

    __slots__ = ("n", "lanes")

    def __init__(self, n, dtype, lanes):
        self.n, self.lanes = n, lanes

    def __call__(self, flat):
        return _inner_rows(flat[None], self.lanes)[0]


def _short_sum(flat):
    """Fewer elements than a vector: row_sum of scalars (PyTorch's scalar kernel)."""
    return _row_sum(flat) + _F0


_FLAT_PLANS = {_F32: {}, _F64: {}}  # dtype -> size -> plan
_MAX_PLANS = 64  # a plan holds up to 32 KiB of buffers


def _flat_plan(n, dtype):
    lanes = lanes_of(dtype)
    if n < lanes:
        plan = _short_sum
    elif n // (_ILP * lanes) < _SHORT_CASCADE ** 2:
        plan = _FlatSum(n, dtype, lanes)
    else:
        plan = _LongFlatSum(n, dtype, lanes)
    plans = _FLAT_PLANS[dtype]
    if len(plans) >= _MAX_PLANS:
        plans.clear()
    plans[n] = plan
    return plan


def flat_sum(d):
    """The sum of all elements of the C-contiguous float32 or float64 array d (at least one)
    in PyTorch's order: the inner sum of one row, the common case, by a plan kept per size."""
    flat = d if d.ndim == 1 else d.reshape(-1)
    n = flat.size
    plan = _FLAT_PLANS[flat.dtype].get(n)
    if plan is None:
        plan = _flat_plan(n, flat.dtype)
    return plan(flat)


def _inner_rows(rows, lanes):
    """The inner sum of every row of rows (..., n), n >= L, contiguous along the last axis."""
    n = rows.shape[-1]
    nvec = n // lanes
    lead = rows.shape[:-1]
    vectors = rows[..., :nvec * lanes].reshape(lead + (nvec, lanes))
    sums = _row_sum(_to_front(vectors, len(lead)))
    parts = _concat((np.zeros(lead + (1,), rows.dtype), rows[..., nvec * lanes:], sums), -1)
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


def _leading_sum(x, lanes):
    """The sum over axis 0 of the C-contiguous 2-d x (a sum over the leading dims, as the
    gradient of a broadcast bias): the kernel's outer sum of columns, without the walk."""
    ncols = x.shape[1]
    block = _ILP * lanes if ncols >= lanes else _SCALAR_BLOCK
    cascaded = ncols - ncols % block
    if cascaded == ncols:
        if x.shape[0] == _GROUP and ncols < 128:
            # (a batch of 256 rows: the cascade is one group of 16 blocks of 16 rows, so
            # _cascade's walk comes to this: the blocks, each added row after row as a reduce of
            # a copy with the rows' axis first (see _block_sums), then the blocks in sequence)
            x = np.ascontiguousarray(x.reshape(_SHORT_CASCADE, _SHORT_CASCADE, ncols).swapaxes(0, 1))
            return _add(_add(x, 0), 0) + _F0
        return _cascade(x) + _F0
    if not cascaded:
        return _row_sum(x) + _F0
    return _concat((_cascade(x[:, :cascaded]), _row_sum(x[:, cascaded:]))) + _F0


def _kernel(block, stride0, stride1, lanes):
    """The kernel's results for block (..., size1, size0): one sum per column j (shape
    (..., size1)); stride0 and stride1 are the input strides of size0 and size1 in elements."""
    size1, size0 = block.shape[-2:]
    if stride0 == 1 and size0 >= lanes:
        return _inner_rows(block, lanes)
    if stride1 == 1 and size1 >= lanes:
        return _columns(block, size1 - size1 % (_ILP * lanes)) + _F0
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


def sum_dims(d, dims):
    """The sum of the float32 or float64 d over the axes `dims` (a tuple) in PyTorch's order,
    shaped as the result without keepdim; None where the order is not reproduced (negative
    strides)."""
    itemsize = d.itemsize
    strides = tuple(s // itemsize for s in d.strides)
    if any(s < 0 for s in strides):
        return None
    kind, order, view_shape, stride0, stride1, nkept, out_shape = _plan(d.shape, strides, dims)
    if kind == "copy":
        # PyTorch adds into a contiguous output that starts at +0
        return np.add(d, _F0, order="C").reshape(out_shape)
    view = d.transpose(order).reshape(view_shape)
    lanes = lanes_of(d.dtype)
    if kind == "one":  # the kernel's second dim has size 1, stride 0
        total = flat_sum(view) if stride0 == 1 and view.size >= lanes else _row_sum(view) + _F0
        return np.asarray(total, d.dtype).reshape(out_shape)
    rows = _kernel(view, stride0, stride1, lanes)
    if kind == "block":
        return rows.reshape(out_shape)
    # two or more reduced dims: the block is (red0, red1), each row's sum added into the same
    # output element, then the blocks of the further reduced dims (red1 fastest)
    flat = rows.reshape(rows.shape[:nkept] + (-1,))
    return (_seq(_to_front(flat, nkept)) + _F0).reshape(out_shape)


def ordered_sum(d, dims=None, keepdim=False):
    """numpy's `d.sum(axis=dims, keepdims=keepdim)` for a float32 or float64 array, in
    PyTorch's order; None when gradsh keeps numpy's sum (another dtype, more than SERIAL_MAX
    elements, empty, meta)."""
    if type(d) is MetaArray:  # (no data: numpy's sum gives the shape, core/meta.py)
        return None
    dtype = d.dtype
    if dtype is not _F32 and dtype is not _F64:
        if dtype.kind == "V":  # bfloat16: PyTorch accumulates in float32, rounds the sum once
            wide = d.astype(_F32)
            total = ordered_sum(wide, dims, keepdim)
            if total is None:
                total = wide.sum(axis=tuple(dims) if isinstance(dims, list) else dims,
                                 keepdims=keepdim)
            return np.asarray(total).astype(dtype)
        return None
    n = d.size  # (each read of an ndarray attribute costs about 250 instructions: read once)
    if not 0 < n <= SERIAL_MAX:
        return None
    if dims is None and not keepdim and d.flags.c_contiguous:  # the common case
        if n <= _ILP:
            return _add(d, None)  # one by one (numpy adds fewer than 8 items in order)
        plan = _FLAT_PLANS[dtype].get(n)  # flat_sum, with the size and dtype read above
        if plan is None:
            plan = _flat_plan(n, dtype)
        return np.asarray(plan(d if d.ndim == 1 else d.reshape(-1)))
    ndim = d.ndim
    if dims is None or not ndim:
        dims = range(ndim)
    elif type(dims) is tuple and len(dims) == 1:  # (a gradient's sum_to: one dim, in range)
        dims = (dims[0] % ndim,)
    else:
        dims = tuple([k % ndim for k in dims]) if isinstance(dims, (tuple, list)) else (
            int(dims) % ndim,)
    contiguous = d.flags.c_contiguous
    if len(dims) == ndim and contiguous:
        total = np.asarray(flat_sum(d))
        return total.reshape((1,) * ndim) if keepdim else total
    leading = contiguous and dims == _LEADING[len(dims)]  # (a bias gradient's sum)
    kept = d.shape[len(dims):] if leading else tuple(
        [n for k, n in enumerate(d.shape) if k not in dims])
    nkept = _prod(kept)
    if contiguous and nkept == 1:  # the kept dims have size 1: a sum of all
        out = np.asarray(flat_sum(d))
    elif leading:
        out = _leading_sum(d.reshape(-1, nkept), lanes_of(dtype))
    else:
        out = sum_dims(d, tuple(dims))
        if out is None:
            return None
    if keepdim:
        return out.reshape(tuple([1 if k in dims else n for k, n in enumerate(d.shape)]))
    return out.reshape(kept)


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
    """The float32 (or float64) sum of nll_loss's terms as its kernel adds them: `terms` (one
    per target not ignored) go into level 0; after the term of batch index b, level j is added
    into level j + 1 and cleared for every j with b divisible by 2**(p * (j + 1)) (p = max(4,
    ceil(log2(batch)) // 8)), up to level 7; at the end the eight levels are added, level 0 first, from +0."""
    p = max(4, max(batch_size - 1, 1).bit_length() // _NLL_LEVELS)
    levels = []
    dtype = np.float64 if np.result_type(terms) == np.float64 else np.float32
    items, index = np.asarray(terms, dtype), np.asarray(batch_index)
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
    total = dtype(0)
    for level in levels:
        total = dtype(total + level)
    return total
