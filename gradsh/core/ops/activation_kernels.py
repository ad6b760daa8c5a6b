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
    """0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + (0.044715 * x) * (x * x))))."""
    def f(v):
        return _F(0.5) * v * (_ONE + _tanh(_BETA * (v + (_KAPPA * v) * (v * v))))
    return _run(x, f, f)
