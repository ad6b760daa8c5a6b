"""Fused multiply-add rounded once, in numpy (float32 and float64): what PyTorch's kernels
compute where the compiler fuses `a * b + c` (the random transforms, linspace, arange)."""

import numpy as np


_LOW29, _TIE29 = 0x1FFFFFFF, 0x10000000  # the float64 bits below float32's last, and a tie
_ABS = 0x7FFFFFFFFFFFFFFF
_NORMAL32_LO = 897 << 52  # float64 bits of 2**-126, float32's smallest normal number
_NORMAL32_SPAN = np.uint64((2047 - 897) << 52)  # from there up to (not including) inf and nan


def _fma32(a, b, c):
    """float32 fma(a, b, c) rounded once.

    a*b + c in float64 is the exact value rounded once; rounding that to float32 rounds the
    exact value unless the float64 sum lies on a float32 tie (its 29 low bits 1 and 28 zeros:
    the exact value may lie on either side) or outside float32's normal range. Only then is the
    round-to-odd below needed (_fma32_odd); the result is the same either way, bit for bit.
    """
    p = np.asarray(a, np.float64) * np.asarray(b, np.float64)
    s = p + np.asarray(c, np.float64)
    bits = s.view(np.int64)
    hard = (bits & _LOW29) == _TIE29
    hard |= ((bits & _ABS) - _NORMAL32_LO).view(np.uint64) >= _NORMAL32_SPAN
    if _count_nonzero(hard):
        return _fma32_odd(a, b, c)
    return np.asarray(s, np.float32)


_count_nonzero = np.count_nonzero


def _fma32_odd(a, b, c):
    """float32 fma(a, b, c) rounded once, by rounding to odd in float64.

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


# Float32 r: the float64 value t of 1 - r*r, rounded to float32, is the fused value for every
# float32 r. r*r is exact in float64, and so is 1 - r*r for 2**-3 <= |r| < 2**26; elsewhere the
# difference was rounded once already, and rounding again errs only where that lands on a float32
# tie (_fma32's reasoning), which it never does the wrong way: tests/core/test_tanh_bracket.py
# tries every float32 in [2**-13, 2**-3) and crafted ties, tests/core/test_one_minus_square_ties.py
# every tie of two 2**24-value chunks, and `tools/check_one_minus_square.py --every` compared all
# 2**32 values with _fma32_odd (branches speed20a and speed20b, 2026-12-05: equal but at r = +-inf,
# where this gives PyTorch's -inf and _fma32_odd nan).


def one_minus_square(r):
    """1 - r * r rounded once (fma(-r, r, 1)) for float32 and float64 arrays: PyTorch's
    tanh_backward kernel `g * (1 - y * y)` is compiled with the multiply and the subtraction
    fused (measured: every gradient of tanh equals g * fma(-y, y, 1), float32 and float64, in the
    vectorised loop and its scalar tail), and near |y| = 1 the separately rounded square loses
    the bits that decide the difference. Other dtypes: `1 - r * r` as numpy computes it."""
    dt = r.dtype
    if dt == np.float32:
        # r*r is exact in float64 and 1 - r*r is rounded once there; rounding that to float32
        # could differ from one rounding only on a float32 tie of an inexact float64 value, and
        # no float32 r gives one that rounds the wrong way (every tie of every float32 value
        # checked against _fma32_odd: tools/check_one_minus_square.py; the squares' residues
        # send each tie's half-even rounding toward the exact value), so no tie test is needed
        t = np.array(r, np.float64, order="K")  # (a fresh array in r's layout: written in place)
        np.multiply(t, t, out=t)  # exact
        np.subtract(1.0, t, out=t)
        return t.astype(np.float32)
    if dt == np.float64:
        return _fma64(-r, r, 1.0)
    return 1 - r * r
