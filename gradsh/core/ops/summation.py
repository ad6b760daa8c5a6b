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

import numpy as np

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
    if not x.shape[axis]:
        return np.zeros(x.shape[:axis] + x.shape[axis + 1:], x.dtype)
    if x.flags.c_contiguous and x.size >= 2 * _outer(x, axis):
        return _add(x, axis=axis)  # sequential: numpy's inner loop runs over the later axes
    return _running(x, axis=axis)[(slice(None),) * axis + (-1,)]


def _outer(x, axis):
    """The number of elements of x up to and including axis (x.size over it is the block
    after axis: numpy adds the slices one after another only when that block has two or more
    elements)."""
    n = 1
    for size in x.shape[:axis + 1]:
        n *= size
    return n


def _cascade(x):
    """PyTorch's multi_row_sum over axis 0 of x, for every position of the other axes."""
    size = x.shape[0]
    if size < _SHORT_CASCADE:
        return _seq(x)
    p = max(4, (size - 1).bit_length() // 4)
    step = 1 << p
    nfull = size // step
    if not nfull:
        return _seq(x)
    rest = x.shape[1:]
    level0 = _seq(x[nfull * step:])
    blocks = _seq(x[:nfull * step].reshape((nfull, step) + rest), 1)
    ngroups = nfull // step
    total = level0 + _seq(blocks[ngroups * step:])
    if ngroups:
        groups = _seq(blocks[:ngroups * step].reshape((ngroups, step) + rest), 1)
        nsuper = ngroups // step
        total = total + _seq(groups[nsuper * step:])
        if nsuper:
            total = total + _seq(_seq(groups[:nsuper * step].reshape((nsuper, step) + rest), 1))
    return total


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


def _lanes_then_tail(lanes, tail):
    """PyTorch's last step of an inner sum: +0, the tail items one by one, then the 8 lanes."""
    if not tail.size:
        return _running(lanes)[-1] + _F0
    return _running(_concat((tail, lanes)))[-1] + _F0


def _short_inner(flat, n):
    """An inner sum of fewer than 16 groups of 4 vectors (the cascades are plain sums)."""
    nvec = n >> 3
    k = nvec >> 2
    body = k * _ILP_WIDTH
    acc = _add(flat[:body].reshape(k, _ILP_WIDTH), axis=0).reshape(_ILP, _LANES)
    for start in range(body, nvec * _LANES, _LANES):  # leftover vectors into accumulator 0
        acc[0] += flat[start:start + _LANES]
    return _lanes_then_tail(_add(acc, axis=0), flat[nvec * _LANES:])


def _inner_rows(rows):
    """The inner sum of every row of rows (..., n), n >= 8, contiguous along the last axis."""
    n = rows.shape[-1]
    nvec = n // _LANES
    lead = rows.shape[:-1]
    if not lead:
        if _ILP_WIDTH <= n < _ILP_WIDTH * _SHORT_CASCADE:
            return _short_inner(rows, n)
        lanes = _row_sum(rows[:nvec * _LANES].reshape(nvec, _LANES))
        return _lanes_then_tail(lanes, rows[nvec * _LANES:])
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
    """TensorIterator's dims for the reduction, innermost first, as (size, stride, reduced)
    after dropping size-1 dims and merging contiguous neighbours (strides in elements)."""
    dims = [(shape[k], strides[k], k in reduced, k) for k in reversed(range(len(shape)))
            if shape[k] != 1]
    for i in range(1, len(dims)):  # PyTorch's insertion sort, ambiguous comparisons kept
        j = i
        for k in range(i - 1, -1, -1):
            c = _should_swap(dims[k], dims[j])
            if c > 0:
                dims[k], dims[j] = dims[j], dims[k]
                j = k
            elif c < 0:
                break
    merged = []
    for size, stride, red, _ in dims:
        if merged and merged[-1][2] == red and merged[-1][0] * merged[-1][1] == stride:
            last = merged[-1]
            merged[-1] = (last[0] * size, last[1], red)
        else:
            merged.append((size, stride, red))
    return merged


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
    """The float32 sum of all elements of the C-contiguous array d, in PyTorch's order."""
    flat = d.reshape(-1)
    n = flat.size
    if n >= _LANES:
        return _inner_rows(flat)
    return _row_sum(flat) + _F0 if n else _F0


def sum_dims_f32(d, dims):
    """The float32 sum of d over the axes `dims` (a tuple) in PyTorch's order, shaped as the
    result without keepdim; None where the order is not reproduced (negative strides)."""
    itemsize = d.itemsize
    strides = [s // itemsize for s in d.strides]
    if any(s < 0 for s in strides):
        return None
    reduced = frozenset(dims)
    out_shape = tuple(n for k, n in enumerate(d.shape) if k not in reduced)
    layout = _order(d.shape, strides, reduced)
    nred = sum(1 for dim in layout if dim[2])
    if not nred:
        return (d + _F0).reshape(out_shape)  # PyTorch adds into an output that starts at +0
    # a view with numpy axes from outermost to innermost
    view = np.lib.stride_tricks.as_strided(
        d, [dim[0] for dim in reversed(layout)], [dim[1] * itemsize for dim in reversed(layout)])
    if len(layout) == 1:  # one reduced dim (the kernel's second dim has size 1, stride 0)
        total = sum_f32(view) if layout[0][1] == 1 else _row_sum(view) + _F0
        return np.asarray(total, _F32).reshape(out_shape)
    if nred == 1:
        return _kernel(view, layout[0][1], layout[1][1]).reshape(out_shape)
    # two or more reduced dims: the block is (red0, red1), each row's sum added into the same
    # output element, then the blocks of the further reduced dims (red1 fastest)
    rows = _kernel(view, layout[0][1], layout[1][1])
    nkept = len(layout) - nred
    flat = rows.reshape(rows.shape[:nkept] + (-1,))
    return (_seq(np.ascontiguousarray(np.moveaxis(flat, -1, 0))) + _F0).reshape(out_shape)


def ordered_sum(d, dims=None, keepdim=False):
    """numpy's `d.sum(axis=dims, keepdims=keepdim)` for a float32 array, in PyTorch's order;
    None when gradsh keeps numpy's sum (another dtype, more than SERIAL_MAX elements, empty)."""
    if d.dtype != _F32 or not 0 < d.size <= SERIAL_MAX:
        return None
    if type(dims) is int:
        dims = (dims,)
    if dims is None or len(dims) == d.ndim:
        if d.flags.c_contiguous:
            total = np.asarray(sum_f32(d))
        else:
            total = sum_dims_f32(d, tuple(range(d.ndim)))
        return total.reshape((1,) * d.ndim) if keepdim else total
    dims = tuple(k % d.ndim for k in dims)
    out = sum_dims_f32(d, dims)
    if out is None or not keepdim:
        return out
    return out.reshape(tuple(1 if k in dims else n for k, n in enumerate(d.shape)))
