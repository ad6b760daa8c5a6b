"""Fused multiply-add rounded once, in numpy (float32 and float64): what PyTorch's kernels
compute where the compiler fuses `a * b + c` (the random transforms, linspace, arange)."""

import numpy as np


def _fma32(a, b, c):
    """float32 fma(a, b, c) rounded once.

    a*b is exact in float64 (24 + 24 bits) but a*b + c may need more than 53 bits, and rounding
    to float64 then to float32 can land on a float32 tie the exact value is not on.  Rounding the
    float64 sum to odd (move the result one ulp toward the exact value when the sum was inexact
    and its last bit is even) keeps that information, and a round-to-odd result with 29 spare bits
    rounds correctly to float32.
    """
    p = np.asarray(a, np.float64) * np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    s = p + c
    bv = s - p
    err = (p - (s - bv)) + (c - bv)          # TwoSum: s + err == p + c exactly
    bits = s.view(np.int64)
    fix = (err != 0) & ((bits & 1) == 0)
    step = np.where((err > 0) == (s > 0), 1, -1)
    odd = np.where(fix, bits + step, bits).view(np.float64)
    return odd.astype(np.float32)


_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitter for float64


def _two_prod(a, b):
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, err


def _two_sum(a, b):
    s = a + b
    bv = s - a
    return s, (a - (s - bv)) + (b - bv)


def _fma64(a, b, c):
    """float64 fma(a, b, c) rounded once (Boldo and Melquiond's emulation via round-to-odd)."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c)))
    ph, pl = _two_prod(a, b)
    sh, sl = _two_sum(c, ph)
    v, e = _two_sum(sl, pl)
    bits = v.view(np.int64)
    fix = (e != 0) & ((bits & 1) == 0)
    v = np.where(fix, bits + np.where((e > 0) == (v > 0), 1, -1), bits).view(np.float64)
    out = sh + v
    # The error-free transforms need finite, non-overflowing inputs; elsewhere a*b + c is as good.
    plain = a * b + c
    return np.where(np.isfinite(out) & np.isfinite(plain), out, plain)
