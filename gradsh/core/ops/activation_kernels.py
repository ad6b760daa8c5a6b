"""float32 silu, softplus, logsigmoid, mish and gelu(approximate="tanh") nearest to PyTorch 2.13's
CPU kernels (found by experiment: `python tools/measure_activation_kernels.py`).

Each runs as `cpu_kernel_vec` does (`expf.vectorised_map`: whole groups of two vectors in lanes,
the rest in scalar code), its formula in float32 step by step as PyTorch's kernel writes it.
The exponential in the lanes is SLEEF's expf_u10 and in the scalar code glibc's expf, both
reproduced bit for bit (expf.py), so silu is PyTorch's bit for bit. SLEEF's log1pf and tanhf
(and MKL's) are not reproduced (their code and coefficients are not copied here): they are
modelled by float64's value rounded to float32, which differs from PyTorch's in the last bit
for well under 1% of the values (docs/autograd.md, "Float32 kernels").
"""

import math

import numpy as np

from ..fma import _fma32
from .expf import glibc_expf, sleef_expf, vectorised_map

_F = np.float32
_ONE = _F(1)


def _log1p(v):
    return np.log1p(v.astype(np.float64)).astype(_F)


def _tanh(v):
    return np.tanh(v.astype(np.float64)).astype(_F)


def _run(x, lanes, scalar):
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return vectorised_map(x, lanes, scalar)


def silu_float32(x):
    """x / (1 + exp(-x)), bit for bit."""
    return _run(x, lambda v: v / (_ONE + sleef_expf(-v)), lambda v: v / (_ONE + glibc_expf(-v)))


def softplus_float32(x, beta, threshold):
    """x * beta > threshold ? x : log1p(exp(x * beta)) / beta."""
    b, t = _F(beta), _F(threshold)

    def kernel(exp):
        def f(v):
            bx = v * b
            return np.where(bx > t, v, _log1p(exp(bx)) / b)
        return f
    return _run(x, kernel(sleef_expf), kernel(glibc_expf))


def logsigmoid_float32(x):
    """min(x, 0) - log1p(exp(-|x|))."""
    def kernel(exp):
        return lambda v: np.minimum(v, _F(0)) - _log1p(exp(-np.abs(v)))
    return _run(x, kernel(sleef_expf), kernel(glibc_expf))


def mish_float32(x):
    """x * tanh(log1p(exp(x)))."""
    def kernel(exp):
        return lambda v: v * _tanh(_log1p(exp(v)))
    return _run(x, kernel(sleef_expf), kernel(glibc_expf))


_BETA = _F(math.sqrt(2 / math.pi))
_KAPPA = _F(0.044715)


def gelu_tanh_float32(x):
    """0.5 * x * (1 + tanh(sqrt(2 / pi) * fma(0.044715, x * x * x, x)))."""
    def f(v):
        return _F(0.5) * v * (_ONE + _tanh(_BETA * _fma32(_KAPPA, (v * v) * v, v)))
    return _run(x, f, f)


# ----- gradients: the kernels' exp split as in the forward, the rest the same in both parts ---
def exp_float32(v):
    """exp of float32 v as a cpu_kernel_vec kernel computes it: SLEEF's in the lanes, glibc's in
    the scalar tail (a gradient kernel's exp, whose split follows v's layout)."""
    return _run(v, sleef_expf, glibc_expf)


def silu_backward_float32(g, x):
    """(g * s) * fma(x, 1 - s, 1), s = 1 / (1 + exp(-x)): bit for bit."""
    s = _ONE / (_ONE + exp_float32(-x))
    return (g * s) * _fma32(x, _ONE - s, _ONE)


def softplus_backward_float32(g, x, beta, threshold):
    """x * beta > threshold ? g : g * z / (z + 1), z = exp(x * beta)."""
    bx = x * _F(beta)
    z = exp_float32(bx)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(bx > _F(threshold), g, g * z / (z + _ONE))


def logsigmoid_backward_float32(g, x):
    """g * (m - s * (z / (1 + z))), z = exp(-|x|), m and s 1 and 1 for x < 0, 0 and -1 else."""
    neg = x < 0
    with np.errstate(over="ignore", invalid="ignore"):
        z = sleef_expf(-np.abs(x))  # its loop runs a partial last vector in lanes too (measured)
        return g * (np.where(neg, _ONE, _F(0)) - np.where(neg, _ONE, -_ONE) * (z / (_ONE + z)))


def mish_backward_float32(g, x):
    """g * fma(x * s, fma(-t, t, 1), t), t = tanh(log1p(exp(x))), s = 1 / (1 + exp(-x))."""
    with np.errstate(over="ignore", invalid="ignore"):
        t = _tanh(_log1p(exp_float32(x)))
        s = _ONE / (_ONE + exp_float32(-x))
        return g * _fma32(x * s, _fma32(-t, t, _ONE), t)


def gelu_tanh_backward_float32(g, x):
    """g * (0.5 * (1 + t) + (0.5 * x) * fma(-t, t, 1) * (b * fma(3 * 0.044715, x * x, 1))),
    t the forward's tanh, b = sqrt(2 / pi)."""
    with np.errstate(over="ignore", invalid="ignore"):
        x2 = x * x
        t = _tanh(_BETA * _fma32(_KAPPA, x2 * x, x))
        inner = _BETA * _fma32(_F(3) * _KAPPA, x2, _ONE)
        return g * (_F(0.5) * (_ONE + t) + (_F(0.5) * x) * _fma32(-t, t, _ONE) * inner)
