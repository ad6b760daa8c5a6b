"""exponential_ and multinomial drawn as PyTorch 2.13's CPU kernels draw them (same bits after
the same seed; checked against torch in tests/core/test_legacy_api.py and test_small_ops.py).

* exponential_(lambd): one 64-bit draw per element in memory order, u = 53-bit uniform, value
  (-1 / lambd) * log1p(-u) in float64 with libm's log1p, cast to the tensor's dtype.
* multinomial without replacement, or with one sample: q = exponential_(1) of the input's shape
  and dtype, then q = input / q, and the samples are argmax(q) / topk(q, n).indices per row (the
  exponential trick: the same law as drawing one by one without replacement).
* multinomial with replacement, several samples: per row, the running sum of the
  probabilities in the input's dtype, divided by the total, the last entry set to 1; each sample
  is a float64 uniform from a 64-bit draw and a binary search for the first entry >= it.
"""

import math

import numpy as np

from ..factories import _gen
from ..tensor import Tensor
from .inplace import fill_random
from .registry import declare


def exponential_values(gen, n, np_dtype, lambd=1.0):
    u = gen._unit(n, np.dtype(np.float64))
    scale = -1.0 / lambd
    return np.array([scale * math.log1p(-v) for v in u.tolist()], np.float64).astype(np_dtype)


@declare(function=False)
def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with Exp(lambd) samples in place."""
    if self._data.dtype.kind != "f":
        raise RuntimeError(f"exponential_ not implemented for '{self.dtype._short}'")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    d = self._data
    return fill_random(self, "ExponentialBackward0", lambda: exponential_values(
        _gen(generator, "exponential_"), d.size, d.dtype, lambd))


@declare
def multinomial(input, num_samples, replacement=False, *, generator=None):
    """num_samples indices per row drawn with the weights in input (1-d or 2-d)."""
    p = input._data
    if p.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if p.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{input.dtype._short}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    rows = p.reshape(-1, p.shape[-1])
    n_cat = rows.shape[1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if n_cat > 2 ** 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    gen = _gen(generator, "multinomial")
    if not replacement or num_samples == 1:
        if rows.size and not (np.all(rows < np.inf) and np.all(rows >= 0)):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(rows.sum(axis=1) == 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = exponential_values(gen, rows.size, rows.dtype).reshape(rows.shape)
        q = (rows / q).astype(rows.dtype)
        # topk's order: largest first; among equal keys the lower index first
        order = np.argsort(-q, axis=1, kind="stable")[:, :num_samples]
        out = order.astype(np.int64)
    else:
        out = np.empty((rows.shape[0], num_samples), np.int64)
        for i, row in enumerate(rows):
            if np.any(row < 0):
                raise RuntimeError("invalid multinomial distribution (encountering probability "
                                   "entry < 0)")
            if not np.all(np.isfinite(row)):
                raise RuntimeError("invalid multinomial distribution (encountering probability "
                                   "entry = infinity or NaN)")
            cum = np.cumsum(row, dtype=row.dtype)
            total = cum[-1]
            if not total > 0:
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            cum = (cum / total).astype(row.dtype)
            cum[-1] = 1
            u = gen._unit(num_samples, np.dtype(np.float64))
            out[i] = np.searchsorted(cum.astype(np.float64), u, side="left")
    return Tensor._make(out.reshape(p.shape[:-1] + (num_samples,)))


# random_() with no range: a draw modulo the dtype's span (floats: every integer their mantissa
# holds exactly, both ends included); 64-bit draws for int64 and float64, 32-bit otherwise.
_FULL_RANGE = {np.dtype(np.float32): 2 ** 24 + 1, np.dtype(np.float64): 2 ** 53 + 1,
               np.dtype(np.float16): 2 ** 11 + 1, np.dtype(np.int64): 2 ** 63,
               np.dtype(np.int32): 2 ** 31, np.dtype(np.int16): 2 ** 15, np.dtype(np.int8): 2 ** 7,
               np.dtype(np.uint8): 2 ** 8}


@declare(function=False)
def random_(self, from_=None, to=None, *, generator=None):
    """random_(): integers over the dtype's range; random_(to): [0, to); random_(from, to)."""
    gen = _gen(generator)
    d = self._data
    if from_ is None and to is None:
        return fill_random(self, "RandomBackward2", lambda: _full_range(gen, d))
    low, high = (0, from_) if to is None else (from_, to)
    return fill_random(self, "RandomBackward1" if to is None else "RandomBackward0",
                       lambda: gen.randint(low, high, d.shape, d.dtype))


def _full_range(gen, d):
    n = d.size
    if d.dtype == np.bool_:
        return (gen._words(n) & 1).astype(np.bool_)
    wide = d.dtype in (np.int64, np.float64)
    r = gen._words64(n) if wide else gen._words(n).astype(np.uint64)
    return (r % np.uint64(_FULL_RANGE[d.dtype])).astype(d.dtype)
