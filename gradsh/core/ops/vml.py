"""float32 sin, cos and log nearest to PyTorch's: rounded from float64.

PyTorch 2.13's CPU `sin`, `cos`, `exp`, `log` and `tanh` (UnaryOpsKernel.cpp's VML kernels) call
MKL's VML in its high-accuracy mode (`vmsSin(n, x, y, VML_HA)`...) in the x86-64 builds, which
ship with MKL; SLEEF serves only builds without MKL. VML is closed source, so its last bit is not
reproduced: its results are the correctly rounded value except near a rounding tie (errors up to
0.6 ulp). The correctly rounded value (float64's, rounded to float32) is therefore the nearest
model: over a sweep of random inputs it differs from PyTorch in 5% of `sin`/`cos` values and in
0.005% of `log` values, where numpy's float32 functions differ in 16%, 19% and 5.5%.
`exp` and `tanh` are rounded from float64 on small arrays only (numpy's float32 functions differ
in 41% and 34%, rounded from float64 1.1% and 0.8%): going through float64 costs 8 to 10 times
numpy's float32 functions on large arrays, where they are the hot functions of training loops
(docs/autograd.md, "Float32 kernels").
"""

import numpy as np

_F32, _F64 = np.float32, np.float64
_F32D, _F64D = np.dtype(_F32), np.dtype(_F64)


def _in_double(np_fn, a):
    """np_fn of float32 a computed in float64. A contiguous a is converted first: the same
    values and layout as `dtype=_F64`, without the ufunc's casting resolution (2,200 of a small
    call's 12,000 instructions); another layout keeps `dtype=` (astype lays an expanded array
    out otherwise than the ufunc does)."""
    if a.flags.c_contiguous:
        return np_fn(a.astype(_F64D))
    return np_fn(a, dtype=_F64)


def rounded_from_double(np_fn):
    """np_fn for float32 arrays computed in float64 and rounded once; other dtypes unchanged."""
    def fn(a):
        dt = a.dtype
        # (numpy's float32 dtype by identity first: `== np.float32` converts the type on each
        # call; an equal dtype that is not the same object falls through to the comparison)
        if dt is _F32D or (dt is not _F64D and dt == _F32D):  # the ufunc's own output layout
            return _in_double(np_fn, a).astype(_F32D)
        return np_fn(a)
    fn.__name__ = np_fn.__name__
    return fn


sin = rounded_from_double(np.sin)
cos = rounded_from_double(np.cos)
log = rounded_from_double(np.log)
# log1p and expm1: PyTorch's differ from the rounded float64 value in 0.4% and 1.8% of sampled
# values, from numpy's float32 functions in 5.3% and 6.2% (docs/autograd.md)
log1p = rounded_from_double(np.log1p)
expm1 = rounded_from_double(np.expm1)


# exp and tanh: float64's rounding on arrays up to this size, where it costs microseconds (a
# learner's tensors, a loss); numpy's float32 function above it, where float64 would cost 8-10x
# (the training loops' large arrays)
SMALL = 4096


def rounded_when_small(np_ufunc):
    """np_ufunc for float32 arrays rounded from float64 when they are small; `out=` (a spare
    buffer for a large array) passes to the float32 function."""
    def fn(a, out=None):
        dt = a.dtype
        if (dt is _F32D or (dt is not _F64D and dt == _F32D)) and out is None and a.size <= SMALL:
            return _in_double(np_ufunc, a).astype(_F32D)
        return np_ufunc(a) if out is None else np_ufunc(a, out=out)
    fn.__name__ = np_ufunc.__name__
    fn.takes_out = True
    return fn


exp = rounded_when_small(np.exp)
tanh = rounded_when_small(np.tanh)
