"""torch.special's Bessel functions PyTorch declares without a derivative (the result never
requires grad, no node): modified_bessel_i0/i1 here, more to come. ATen's Math.h evaluates
Cephes' Chebyshev series; the kernels are in ops/cephes.py where they are shared with i0/i1.
"""

import numpy as np

from ..dtypes import default_float_np
from . import cephes
from .base import iter_result
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


KERNELS = {"modified_bessel_i0": cephes.i0, "modified_bessel_i1": modified_bessel_i1_kernel}


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
