"""torch.special's Bessel functions PyTorch declares without a derivative (the result never
requires grad, no node): modified_bessel_i0/i1 and spherical_bessel_j0. ATen's Math.h evaluates
Cephes' Chebyshev series; the kernels are in ops/cephes.py where they are shared with i0/i1.
"""

import numpy as np

from ..dtypes import default_float_np
from . import cephes
from .base import iter_result
from .polynomials import _sin
from .registry import declare


def modified_bessel_i1_kernel(a):
    """I1(x) as ATen's modified_bessel_i1_forward: Cephes' series (all the terms, in float32
    too, unlike i1's kernel), 0.5 (b0 - b2) |x| exp(|x|) on [0, 8], exp(|x|) 0.5 (b0 - b2) /
    sqrt(|x|) beyond, x's sign."""
    x_in = cephes._floats(a)
    t = x_in.dtype.type
    x = np.abs(x_in)
    with np.errstate(all="ignore"):
        near = cephes._chbevl(x / t(2) - t(2), cephes._I1E_A) * x * cephes._exp(x)
        far = cephes._exp(x) * cephes._chbevl(t(32) / x - t(2), cephes._I1E_B) / np.sqrt(x)
        out = np.where(x <= t(8), near, far)
    return np.where(x_in < 0, -out, out)


_J0_SERIES = (6.0, 120.0, 5040.0, 362880.0, 39916800.0, 6227020800.0)  # (2k + 1)!, k >= 1


def spherical_bessel_j0_kernel(a):
    """sin(x) / x as ATen's spherical_bessel_j0_forward: 0 at +-inf, and below |x| = 0.5 the
    Taylor series 1 - x^2/3! + x^4/5! - ... to x^12, Horner's scheme with fused steps."""
    x = cephes._floats(a)
    t = x.dtype.type
    with np.errstate(all="ignore"):
        xx = x * x
        inner = np.full_like(x, t(1.0) / t(_J0_SERIES[-1]))
        for k in range(len(_J0_SERIES) - 2, -1, -1):
            sign = -1.0 if k % 2 == 0 else 1.0
            inner = cephes._fma(xx, inner, np.full_like(x, t(sign) / t(_J0_SERIES[k])))
        near = cephes._fma(xx, inner, np.full_like(x, t(1.0)))
        far = _sin(x) / x
        out = np.where(np.abs(x) < t(0.5), near, far)
    return np.where(np.isinf(x), t(0.0), out)


KERNELS = {"modified_bessel_i0": cephes.i0, "modified_bessel_i1": modified_bessel_i1_kernel,
           "spherical_bessel_j0": spherical_bessel_j0_kernel}


def _declare(name, kernel):
    def op(input):
        d = input._data
        out = kernel(d if d.dtype.kind == "f" else d.astype(default_float_np()))
        return iter_result(out, input)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"torch.special.{name}(input), not differentiable (as in PyTorch)."
    op.__module__ = __name__
    return declare(name=name, method=False, function=False, inplace=False, special=True,
                   tensor_first=True)(op)


for _name, _kernel in KERNELS.items():
    globals()[_name] = _declare(_name, _kernel)
