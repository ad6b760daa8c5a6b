"""libm's float64 functions over arrays, as PyTorch's scalar CPU kernels call them: the
samplers' log, log1p, exp and tan (random.py, ops/sampling.py). A module of its own, below both,
so that importing the core does not load numpy.random (tests/core/test_layers.py)."""

import math

import numpy as np


# Probes of each function's domain, drawn once from a fixed seed: numpy's float64 ufunc stands
# in for libm's only when it gives libm's bits on all of them (see `libm`).
def _probes():
    rs = np.random.RandomState(1613)
    u = rs.random_sample(1 << 14)
    wide = 10.0 ** rs.uniform(-300, 300, 1 << 12)
    return {"log": np.concatenate([u + 2.0 ** -60, 1.0 - u, wide, 1.0 + u * 1e-8]),
            "log1p": np.concatenate([-u, u * 10, -(1 - u * 1e-6), wide]),
            "exp": np.concatenate([rs.normal(0, 3, 1 << 14), rs.uniform(-745, 709, 1 << 12)]),
            "tan": np.concatenate([math.pi * (u - 0.5), rs.uniform(-1e4, 1e4, 1 << 12)])}


_SAME_AS_LIBM = {}   # name -> whether numpy's ufunc gave libm's bits on every probe
_LIBM_CHUNK = 1 << 16


def libm(name, x, out=None):
    """libm's `name` (log, log1p, exp, tan) of each element of the float64 array x, as
    PyTorch's scalar kernels call it.

    numpy's own float64 log, exp, log1p and tan on a CPU with AVX-512 differ from libm's in the
    last bit (log for about 1 value in 300), so where that is so each element goes through
    Python's math function, libm's, about 0.13 us an element, a chunk at a time (a list of
    10**8 floats was 3 GB). Where numpy's ufunc gives libm's bits on every probe of the
    function's domain (`_probes`, checked once per process), the ufunc is used: the fast lane
    (10**8 exponential_ draws in about a second, not 15 s; issue 16, round 16).
    tests/core/test_random.py compares both lanes."""
    ufunc, fn = getattr(np, name), getattr(math, name)
    if out is None:
        out = np.empty(x.shape, np.float64)
    same = _SAME_AS_LIBM.get(name)
    if same is None:
        probe = _probes()[name]
        with np.errstate(all="ignore"):
            same = _SAME_AS_LIBM[name] = bool(np.array_equal(
                ufunc(probe), np.fromiter(map(fn, probe.tolist()), np.float64, probe.size)))
    if same:
        with np.errstate(all="ignore"):
            ufunc(x, out=out)
        return out
    return libm_loop(fn, x, out)


def libm_loop(fn, x, out):
    """math's fn element by element, a chunk at a time (the slow lane of `libm`)."""
    flat_in, flat_out = x.reshape(-1), out.reshape(-1)
    for lo in range(0, flat_in.size, _LIBM_CHUNK):
        part = flat_in[lo:lo + _LIBM_CHUNK]
        flat_out[lo:lo + part.size] = np.fromiter(map(fn, part.tolist()), np.float64, part.size)
    return out
