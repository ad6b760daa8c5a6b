"""Fused multiply-add on numpy arrays, rounded once as PyTorch's CPU kernels round it, and the
kernels the optimisers call (add with alpha, addcmul, addcdiv, lerp) for every float dtype.

PyTorch's vectorized CPU kernels for `add(alpha=)`, `lerp` and `addcmul` compute a*b + c with
one rounding (an FMA instruction); numpy rounds the product and the sum separately, so the last
bit differs in about one element in twenty, and optimiser trajectories drift apart. numpy has no
fma: the core's emulation (core/fma.py, rounded to odd so it rounds once) is used.

float16 and bfloat16 parameters: PyTorch computes each kernel in float32 and rounds its result
to the half type once. A Python number multiplies or divides as a float32 (`mul_(beta)`,
`div(bias_correction)`, addcmul's and addcdiv's `value`, lerp's weight) but is rounded to the
half type first where it is added (`add(eps)`, `add_(grad, alpha=-lr)`): measured on PyTorch 2.13
(tests/nn/test_optim_half.py). The optimisers write their arithmetic once, with `t(number)` for
each Python number: for a half parameter `t` makes a HalfScalar, which gives each numpy
operation those rules, and the kernels below take it.
"""

import math

import numpy as np

from ..fma import _fma32, _fma64
from ..ops.expf import _LANES

_HALF = ("float16", "bfloat16")
# PyTorch's vectors hold twice as many half values as float32 ones (16 with AVX2, 32 with
# AVX512); a kernel splits a tensor of _GRAIN elements or more among threads (each part with
# a tail of its own: not modelled)
_HALF_LANES = 2 * _LANES
_GRAIN = 32768


def is_half(dtype):
    return dtype.name in _HALF


class HalfScalar:
    """A Python number in an operation with a half array, as PyTorch's half kernels use it:
    a float32 multiplier or divisor, a half addend; each result rounded to the half type."""

    __array_ufunc__ = None  # numpy gives way: `array * s` calls s.__rmul__
    __slots__ = ("f32", "half", "dtype", "factor", "foreach")

    def __init__(self, dtype, value, foreach=False):
        self.dtype = dtype
        self.f32 = np.float32(value)
        self.half = dtype.type(self.f32)
        self.foreach = foreach
        # torch._foreach_mul_(tensors, number) rounds the number to half first (its div does not)
        self.factor = np.float32(self.half) if foreach else self.f32

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.half, dtype)

    def __float__(self):
        return float(self.f32)

    def __neg__(self):
        return HalfScalar(self.dtype, -self.f32, self.foreach)

    def _round(self, a):
        return np.asarray(a, np.float32).astype(self.dtype)

    def __mul__(self, a):
        return self._round(np.asarray(a, np.float32) * self.factor)

    __rmul__ = __mul__

    def __truediv__(self, a):
        return self._round(self.f32 / np.asarray(a, np.float32))

    def __rtruediv__(self, a):
        return self._round(np.asarray(a, np.float32) / self.f32)

    def __add__(self, a):
        return self._round(np.asarray(a, np.float32) + np.float32(self.half))

    __radd__ = __add__

    def __sub__(self, a):
        return self._round(np.float32(self.half) - np.asarray(a, np.float32))

    def __rsub__(self, a):
        return self._round(np.asarray(a, np.float32) - np.float32(self.half))


def tail_mask(shape):
    """Where a half tensor of this shape has the elements a kernel leaves to its scalar loop
    (past the last whole vector, in memory order), or None when there are none or the tensor
    is split among threads."""
    n = math.prod(shape)
    tail = n % _HALF_LANES
    if not tail or n >= _GRAIN:
        return None
    mask = np.zeros(n, bool)
    mask[n - tail:] = True
    return mask.reshape(shape)


def scalar_type(dtype, foreach=False):
    """What an optimiser calls `t`: the numpy scalar type of a parameter's dtype, or for a half
    dtype a maker of HalfScalars (as the foreach kernels use them with foreach=True)."""
    if is_half(dtype):
        return lambda value: HalfScalar(dtype, value, bool(foreach))
    return dtype.type


def _half_of(*args):
    """The half dtype among the operands (arrays or HalfScalars), or None."""
    for a in args:
        dt = getattr(a, "dtype", None)
        if dt is not None and is_half(dt):
            return dt
    return None


def _f32(a, addend=False):
    """An operand as float32: a HalfScalar as PyTorch uses it (rounded to half as an addend
    or as add's alpha, float32 otherwise)."""
    if isinstance(a, HalfScalar):
        return np.float32(a.half) if addend else a.f32
    return np.asarray(a, np.float32)


def fma(a, b, c):
    """a * b + c rounded once, elementwise; a, b, c arrays or scalars of one float dtype.
    With half operands: `c.add(b, alpha=a)` as PyTorch computes it (alpha rounded to half,
    the rest in float32, one rounding to half)."""
    half = _half_of(a, b, c)
    if half is not None:
        a, b, c = _f32(a, True), _f32(b, True), _f32(c)
        out = _fma32(a, b, c).astype(half)
        tail = tail_mask(out.shape)
        if tail is not None:
            # the elements past the last whole vector go through the kernel's scalar loop, whose
            # half arithmetic rounds the product to half before the addition
            prod = (a * b).astype(half).astype(np.float32)
            np.copyto(out, (prod + c).astype(half), where=tail)
        return out
    dt = np.result_type(a, b, c)
    if dt == np.float64:
        return _fma64(a, b, c)
    if dt == np.float32:
        return _fma32(a, b, c)
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64)
            + np.asarray(c, np.float64)).astype(dt)


def addcmul(a, b, c, value):
    """a.addcmul(b, c, value=value): value * b * c + a with the last multiply-add fused."""
    half = _half_of(a, b, c)
    if half is not None:
        return _fma32(np.float32(value) * _f32(b), _f32(c), _f32(a)).astype(half)
    return fma(a.dtype.type(value) * b, c, a)


def addcdiv(a, b, c, value):
    """a.addcdiv(b, c, value=value): a + value * b / c (PyTorch's order of the operations)."""
    half = _half_of(a, b, c)
    if half is not None:
        return (_f32(a) + np.float32(value) * _f32(b) / _f32(c)).astype(half)
    return a + a.dtype.type(value) * b / c


def lerp(a, b, w):
    """a.lerp(b, w) for a Python number w, as PyTorch computes it: from a below w = 0.5, from
    b above (with half arrays: in float32, w a float32, rounded once)."""
    half = _half_of(a, b)
    if half is not None:
        a32, b32, w32 = _f32(a), _f32(b), np.float32(w)
        if abs(w32) < 0.5:
            return _fma32(w32, b32 - a32, a32).astype(half)
        return _fma32(w32 - np.float32(1), b32 - a32, b32).astype(half)
    t = a.dtype.type
    if abs(w) < 0.5:
        return fma(t(w), b - a, a)
    return fma(-t(1 - w), b - a, b)


def in_float32(update, group, x, g, *states_and_more):
    """update(group, x, g, *states, ...) as PyTorch's fused kernels run it on half arrays:
    loaded into float32, computed there, each state array rounded to half once as it is stored
    (the arrays among states_and_more are written back), the new parameter returned in half."""
    wide = [np.asarray(a, np.float32) if isinstance(a, np.ndarray) else a
            for a in states_and_more]
    new = update(group, np.asarray(x, np.float32), np.asarray(g, np.float32), *wide)
    for a, w in zip(states_and_more, wide):
        if isinstance(a, np.ndarray):
            np.copyto(a, w, casting="unsafe")
    return new.astype(x.dtype)


# The square root the optimisers take. PyTorch's CPU sqrt of float64 goes through MKL's vector
# math, which is off by one unit in the last place in about 0.7% of elements; numpy's is
# correctly rounded. The tests swap in PyTorch's to check all the other arithmetic bit for bit.
sqrt = np.sqrt
