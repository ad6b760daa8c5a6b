"""Fused multiply-add on numpy arrays, rounded once as PyTorch's CPU kernels round it.

PyTorch's vectorized CPU kernels for `add(alpha=)`, `lerp` and `addcmul` compute a*b + c with
one rounding (an FMA instruction); numpy rounds the product and the sum separately, so the last
bit differs in about one element in twenty, and optimiser trajectories drift apart. numpy has no
fma: the core's emulation (core/fma.py, rounded to odd so it rounds once) is used.
"""

import numpy as np

from ..fma import _fma32, _fma64


def fma(a, b, c):
    """a * b + c rounded once, elementwise; a, b, c arrays or scalars of one float dtype."""
    dt = np.result_type(a, b, c)
    if dt == np.float64:
        return _fma64(a, b, c)
    if dt == np.float32:
        return _fma32(a, b, c)
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64)
            + np.asarray(c, np.float64)).astype(dt)


# The square root the optimisers take. PyTorch's CPU sqrt of float64 goes through MKL's vector
# math, which is off by one unit in the last place in about 0.7% of elements; numpy's is
# correctly rounded. The tests swap in PyTorch's to check all the other arithmetic bit for bit.
sqrt = np.sqrt
