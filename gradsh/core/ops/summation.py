"""PyTorch's CPU summation order for a float32 sum of all elements of a contiguous tensor.

PyTorch (SumKernel.cpp, recorded on an x86-64 build: 8-float vectors) sums a contiguous row as:
  - the body as n // 8 vectors of 8 lanes; the tail (n % 8 floats) one by one into a scalar
    that starts at 0, then the 8 lanes of the vector accumulator one by one;
  - the vectors four at a time (four accumulators, "ilp"), each accumulator a cascade of four
    levels: level 0 adds 2**p consecutive groups of four vectors (p = max(4, ceil(log2(groups))
    // 4)), then is added into level 1, which flushes into level 2 every 2**p additions, and
    level 2 into level 3 every 2**p of its own; leftover vectors (n // 8 % 4) go into
    accumulator 0, then accumulators 1, 2, 3 are added to it;
  - a row shorter than 8 floats is summed the same way with scalars in place of vectors.
Every "one by one" is a sequential float32 sum; numpy's reduction over a leading (non-innermost)
axis is sequential, which is what the vectorised code below relies on. Facts it reproduces:
tensor([0.1, 0.2, 0.3, 0.7, 1.3]).sum() is 2.6000001430511475, tensor([0.1] * 2000).sum() is
200.00001525878906; tests/core/test_sum_order.py compares it with recorded PyTorch sums.
"""

import numpy as np

_LANES = 8
# PyTorch sums more elements than this (its grain size) in parallel chunks, one per thread, so
# its result depends on the thread count; gradsh keeps numpy's faster pairwise sum there.
SERIAL_MAX = 32768
_seq = np.add.reduce  # over axis 0 of an array of rank >= 2: sequential, row after row


def _seq_rows(rows, zero):
    """Sequential sum of rows[0], rows[1], ... starting from +0 (as PyTorch's accumulators)."""
    if not len(rows):
        return zero
    return zero + _seq(rows, axis=0) if rows.ndim > 1 else zero + _seq1(rows)


def _seq1(a):
    """Sequential sum of a 1-d float32 array (numpy's own is sequential below 8 elements)."""
    if a.size < 8:
        return _seq(a)
    return np.cumsum(a)[-1]


def _seq_axis1(a):
    """Sequential sum over axis 1 of a (m, step, W) array (not the innermost axis: numpy adds
    the slices in order)."""
    return _seq(a, axis=1)


def _levels(rows):
    """PyTorch's multi_row_sum: rows has shape (size, W) (W = 4 accumulators x lanes); returns
    the W accumulators."""
    size, width = rows.shape
    zero = np.zeros(width, rows.dtype)
    if size == 0:
        return zero
    p = max(4, int(size - 1).bit_length() // 4)
    step = 1 << p
    nfull = size // step
    if not nfull:
        return _seq(rows, axis=0)  # level 0 alone (starting from +0: same but for -0)
    total = _seq_rows(rows[nfull * step:], zero)  # level 0: what is left after the full blocks
    blocks = _seq_axis1(rows[:nfull * step].reshape(nfull, step, width))
    ng = nfull // step
    level1 = _seq_rows(blocks[ng * step:], zero)
    level2 = level3 = zero
    if ng:
        groups = _seq_axis1(blocks[:ng * step].reshape(ng, step, width))
        ns = ng // step
        level2 = _seq_rows(groups[ns * step:], zero)
        if ns:
            level3 = _seq_rows(_seq_axis1(groups[:ns * step].reshape(ns, step, width)), zero)
    return total + level1 + level2 + level3


def _row_sum(items, w):
    """PyTorch's row_sum over the flat array items of n rows of w lanes: four accumulators
    (each a cascade), the leftover rows into the first, then the other three added in order.
    Returns the w lanes (w > 1) or the scalar (w == 1)."""
    n = items.size // w
    k = n // 4
    acc = _levels(items[:k * 4 * w].reshape(k, 4 * w))
    if k * 4 == n:
        parts = acc  # no leftover rows: the accumulators in order
    else:
        parts = np.concatenate([acc[:w], items[k * 4 * w:n * w], acc[w:]])
    if w == 1:
        return _seq1(parts)
    return _seq(parts.reshape(-1, w), axis=0)


def sum_f32(d):
    """The float32 sum of all elements of the C-contiguous array d, in PyTorch's order."""
    flat = d.reshape(-1)
    n = flat.size
    if n <= 4:
        return _seq1(flat) if n else np.float32(0)  # PyTorch's order is sequential up to 4
    if n < _LANES:
        return _row_sum(flat, 1)
    body = n - n % _LANES
    lanes = _row_sum(flat[:body], _LANES)
    if body == n:
        # the 8 lanes in order; PyTorch's scalar starts at +0, so a sum of -0.0 is +0.0: adding
        # +0 last is the same (x + 0 is x, -0 + 0 is +0)
        return _seq1(lanes) + _F0
    return _seq1(np.concatenate([_ZERO, flat[body:], lanes]))


_ZERO = np.zeros(1, np.float32)
_F0 = np.float32(0)
