"""The engine's fast lane: faster equivalents of a few rules, on arrays only.

A rule is the math (ops/*.py); what makes it fast on numpy arrays lives here, so a reader who
wants the math never reads the trick. The engine's array lane calls `node.fast` (the rule itself
unless a function below replaces it); tests/core/test_fast_lane.py runs every rule both ways on
the same inputs and compares the gradients.
"""

import numpy as np

from ..fma import one_minus_square
from ..node import NODE_CLASSES, fast_lane, spare_lane
from ..spare import MIN_SIZE, product_into
from . import prim as P
from .linalg import MmBackward0, mm_arrays
from .pointwise import MulBackward0, PowBackward0


_ndarray = np.ndarray


def _repeats_one_value(g):
    """True for a large array whose strides are all 0: a scalar expanded (sum's gradient)."""
    return type(g) is _ndarray and g.size >= MIN_SIZE and not any(g.strides)


def _filled(g, value):
    """A new contiguous array of g's shape holding value everywhere (a pass as fast as memset,
    where numpy's ufuncs take an element loop over operands whose strides are all 0)."""
    out = np.empty(g.shape, value.dtype)
    out.fill(value)
    return out


def _first(g):
    return g[(0,) * g.ndim]


@fast_lane(MulBackward0)
def mul_backward(need, g, other, self):
    to = type(other)
    if to is float or to is int:
        other = P.number_like(g, other)  # x * 0.5: g times the kept 0-d 0.5 (no conversion)
        if (need[0] and _repeats_one_value(g) and type(other) is _ndarray
                and other.dtype == g.dtype):
            return (_filled(g, _first(g) * other), None)  # the one product, written out
    elif other is self and need[0] and need[1]:
        ga = g * other  # x * x: both gradients are this one product, computed once
        return (ga, ga)
    return (g * other if need[0] else None, g * self if need[1] else None)


@spare_lane(MulBackward0)
def mul_backward_spare(need, g, other, self):
    """mul_backward with its last product written into g (lent by the engine)."""
    if need[0] and need[1] and other is not self:
        return (g * other, product_into(g, self))
    if type(other) is float or type(other) is int:
        other = P.number_like(g, other)
    ga = product_into(g, other if need[0] else self)  # x * x: one product for both
    return (ga if need[0] else None, ga if need[1] else None)


@spare_lane(NODE_CLASSES["ExpBackward0"])
def exp_backward_spare(need, g, result):
    return (product_into(g, result),)


@fast_lane(PowBackward0)
def pow_backward(need, g, self, exponent):
    if exponent == 2:
        return (g * (2 * self),)  # self ** 1 is self: no call to numpy's power
    return PowBackward0.rule(need, g, self, exponent)


@fast_lane(MmBackward0)
def mm_backward(need, g, a, b, ashape, bshape, column_major):
    # the rule's formulas (mm_mat1_backward, mm_mat2_backward) on arrays, without dispatch
    ga = gb = None
    if need[0] and need[1] and _repeats_one_value(g):
        g = _filled(g, _first(g))  # made dense once, not by numpy's matmul for each product
    if need[0]:
        ga = mm_arrays(b, g.T).T if column_major[0] else mm_arrays(g, b.T)
    if need[1]:
        gb = mm_arrays(g.T, a).T if column_major[1] else mm_arrays(a.T, g)
    return (ga, gb)


@fast_lane(NODE_CLASSES["TanhBackward0"])
def tanh_backward(need, g, result):
    return (P.one_minus_square_times(g, result),)  # large arrays: one temporary, not three


BLOCK = 1 << 16  # elements: a block of g, of the result and the temporary stay in a core's cache


@spare_lane(NODE_CLASSES["TanhBackward0"])
def tanh_backward_spare(need, g, result):
    """g * (1 - result * result) written into g block by block: per element the same value as
    tanh_backward (the bracket fused, core/fma.py), but each block's temporaries are still in
    cache when they are used."""
    r = result
    if not (type(r) is _ndarray and r.shape == g.shape and r.dtype == g.dtype
            and r.flags.c_contiguous and r.dtype in (np.float32, np.float64)):
        return tanh_backward(need, g, r)
    gf, rf = g.reshape(-1), r.reshape(-1)  # (views: both are contiguous)
    for s in range(0, gf.size, BLOCK):
        gs = gf[s:s + BLOCK]
        np.multiply(gs, one_minus_square(rf[s:s + BLOCK]), out=gs)
    return (g,)
