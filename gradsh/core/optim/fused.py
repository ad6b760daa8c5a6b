"""Fused multiply-add on numpy arrays, rounded once as PyTorch's CPU kernels round it.

PyTorch's vectorized CPU kernels for `add(alpha=)`, `lerp` and `addcmul` compute a*b + c with
one rounding (an FMA instruction); numpy rounds the product and the sum separately, so the last
bit differs in about one element in twenty, and optimiser trajectories drift apart. numpy has no
fma, so it is emulated: float32 through float64 (the product of two float32 is exact there; the
sum is rounded to float64 and then to float32, which differs from one rounding only when the
float64 sum lands exactly halfway between two float32s), float64 with Dekker's error-free product
and Knuth's two-sum (the last addition can round twice in the same rare way; neither case was
seen in the 100-step trajectory tests or in 10**6-element comparisons with PyTorch).
"""

import numpy as np

_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's splitter for float64


def _split(a):
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


def fma(a, b, c):
    """a * b + c rounded once, elementwise; a, b, c arrays or scalars of one float dtype."""
    dt = np.result_type(a, b, c)
    if dt == np.float32 or dt == np.float16:
        return (np.float64(a) * np.asarray(b, np.float64) + np.asarray(c, np.float64)).astype(dt) \
            if np.ndim(a) == 0 else \
            (np.asarray(a, np.float64) * np.asarray(b, np.float64)
             + np.asarray(c, np.float64)).astype(dt)
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # p + e == a * b exactly
    s = p + c
    bb = s - p
    t = (p - (s - bb)) + (c - bb)  # s + t == p + c exactly
    out = s + (t + e)
    # where the product is inf/nan or overflows the split, the plain formula is right
    bad = ~np.isfinite(out) | ~np.isfinite(e)
    if np.any(bad):
        out = np.where(bad, p + c, out)
    return out


# The square root the optimisers take. PyTorch's CPU sqrt of float64 goes through MKL's vector
# math, which is off by one unit in the last place in about 0.7% of elements; numpy's is
# correctly rounded. The tests swap in PyTorch's to check all the other arithmetic bit for bit.
sqrt = np.sqrt
