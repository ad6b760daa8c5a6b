"""linspace, arange and logspace values as PyTorch 2.13's CPU kernels compute them, bit for bit.

Facts (each checked against torch 2.13 in tests/core/test_ranges.py):

* linspace(start, end, steps), floating dtype T: start, end and step = (end - start) / (steps - 1)
  are in T; element i is fma(step, i, start) for i < steps // 2 and fma(-step, steps - 1 - i, end)
  after that (the compiler fuses `start + step * i`), so both ends are exact.  Integer dtypes do
  the same in float64 from the integer start and end, then truncate.
* logspace: start and end in T, step = float64(end - start computed in T) / (steps - 1); the
  exponents start + step * i and end - step * (steps - 1 - i) in float64, not fused; the value is
  libm's pow(base, exponent) in float64, cast to T.
* arange(start, end, step), floating dtype T: the arithmetic is in float64 (PyTorch's
  accumulation type) and runs as the AVX2 kernel (also on AVX-512 CPUs, where PyTorch keeps
  this kernel's AVX2 version): the range is cut into one piece per thread when it has more than
  32768 elements; in each piece, groups of 2*W elements (W = 8 for float32, 4 for float64) are
  two vectors, vector element k being fma(k, step, base) with base = T(fma(step, i, start)) of
  the vector's first index i, and the remaining elements are T(fma(step, i, start)).
"""

import math
import os

import numpy as np

from .fma import _fma32, _fma64

_GRAIN = 32768  # at::internal::GRAIN_SIZE: parallel_for splits only ranges longer than this


def _threads():
    """PyTorch's intra-op thread count as it picks it by default (OMP_NUM_THREADS, else CPUs)."""
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _pieces(n):
    """The [begin, end) ranges at::parallel_for hands to its threads."""
    if n <= _GRAIN:
        return [(0, n)]
    tasks = min(_threads(), -(-n // _GRAIN))
    size = -(-n // tasks)
    return [(b, min(n, b + size)) for b in range(0, n, size)]


def linspace_values(start, end, steps, nd):
    """`steps` values from start to end in numpy dtype nd (steps >= 0)."""
    if steps == 0:
        return np.empty(0, nd)
    if nd.kind in "fV":
        T = nd.type
        s, e = T(start), T(end)
        if steps == 1:
            return np.array([s], nd)
        step = T((e - s) / T(steps - 1))
        fma = _fma32 if nd == np.float32 else _fma64
    else:
        s, e = float(int(start)), float(int(end))   # Scalar.to<integer>() truncates
        if steps == 1:
            return np.array([int(start)], nd)
        step = (e - s) / (steps - 1)
        fma, T = _fma64, np.float64
    half = steps // 2
    lo = np.arange(half, dtype=T)
    hi = np.arange(steps - half - 1, -1, -1, dtype=T)
    out = np.concatenate([fma(step, lo, s), fma(-step, hi, e)])
    return out.astype(nd) if nd.kind in "fV" else np.trunc(out).astype(nd)


def _pow(base, x):
    """libm's pow (math.pow is libm's; it raises where C returns inf or nan)."""
    try:
        return math.pow(base, x)
    except OverflowError:
        return math.inf if base > 0 or x % 2 != 1 else -math.inf
    except ValueError:
        return math.nan


def logspace_values(start, end, steps, base, nd):
    """base ** each of `steps` exponents from start to end, as PyTorch's logspace."""
    if nd.kind == "c":   # real exponents, spaced in the parts' float type; complex powers
        part = np.dtype(np.float32 if nd == np.complex64 else np.float64)
        T = part.type
        s, e = T(start), T(end)
        if steps <= 1:
            x = np.array([s] * steps, part)
        else:
            step = T((e - s) / T(steps - 1))
            i = np.arange(steps, dtype=part)
            x = np.where(i < steps // 2, s + step * i, e - step * (T(steps - 1) - i))
        return np.exp(x.astype(nd) * np.log(nd.type(base)))   # (as complex pow: exp(x log b))
    if nd.kind in "fV":
        s, e = float(nd.type(start)), float(nd.type(end))
        span = float(nd.type(nd.type(end) - nd.type(start)))
    else:
        s, e = float(int(start)), float(int(end))
        span = e - s
    if steps <= 1:
        x = [float(start)] * steps     # one step: pow(base, start) of the start as given
    else:
        step = span / (steps - 1)
        i = np.arange(steps, dtype=np.float64)
        x = np.where(i < steps // 2, s + step * i, e - step * (steps - 1 - i)).tolist()
    out = np.array([_pow(base, v) for v in x], np.float64)
    return out.astype(nd) if nd.kind in "fV" else np.trunc(out).astype(nd)


def arange_values(start, step, n, nd):
    """n values start, start + step, ... in floating numpy dtype nd."""
    T = nd.type
    width = 8 if nd == np.float32 else 4
    out = np.empty(n, nd)
    k = np.arange(width, dtype=np.float64)
    for lo, hi in _pieces(n):
        vec_end = lo + (hi - lo) // (2 * width) * (2 * width)
        if vec_end > lo:
            first = np.arange(lo, vec_end, width, dtype=np.float64)
            base = _fma64(step, first, start).astype(T).astype(np.float64)
            vals = _fma64(k[None, :], step, base[:, None])
            out[lo:vec_end] = vals.astype(T).ravel()
        if hi > vec_end:
            i = np.arange(vec_end, hi, dtype=np.float64)
            out[vec_end:hi] = _fma64(step, i, start).astype(T)
    return out
