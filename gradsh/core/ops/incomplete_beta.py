"""The regularized incomplete beta function I_x(a, b) (the Beta distribution's CDF) and the
implicit reparameterization derivative of a Beta draw with respect to its first parameter,
which Dirichlet (and Beta) draws backpropagate through. Element by element in float64."""

import math

import numpy as np

__all__ = ["beta_draw_grad", "regularized_beta"]

_TINY = 1e-300


def _fraction(a, b, x):
    """The continued fraction of I_x(a, b) (modified Lentz), good for x < (a + 1) / (a + b + 2)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + num / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return h


def regularized_beta(a, b, x):
    """I_x(a, b) for a, b > 0 and 0 <= x <= 1 (Python floats)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (a * math.log(x) + b * math.log1p(-x)
                 - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _fraction(b, a, 1.0 - x) / b


def _one(x, a, b):
    if not (0.0 < x < 1.0) or a <= 0 or b <= 0:
        return 0.0
    h = 1e-5 * max(a, 1e-3)
    lo = a - h if a - h > 0 else a
    step = a + h - lo
    # difference whichever of I and 1 - I is the smaller, so it keeps its digits
    if regularized_beta(a, b, x) <= 0.5:
        d_da = (regularized_beta(a + h, b, x) - regularized_beta(lo, b, x)) / step
    else:
        d_da = -(regularized_beta(b, a + h, 1.0 - x) - regularized_beta(b, lo, 1.0 - x)) / step
    log_density = ((a - 1) * math.log(x) + (b - 1) * math.log1p(-x)
                   - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)))
    return -d_da / math.exp(log_density)


def beta_draw_grad(x, a, b):
    """d x / d a for x ~ Beta(a, b) held at its quantile: -(dI_x(a, b) / da) / density(x), the
    a-derivative a central difference in float64."""
    x, a, b = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(a, np.float64),
                                  np.asarray(b, np.float64))
    out = np.array([_one(*v) for v in zip(x.reshape(-1).tolist(), a.reshape(-1).tolist(),
                                         b.reshape(-1).tolist())])
    return out.reshape(x.shape)
