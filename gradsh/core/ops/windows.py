"""Window functions (issue 15, branch torchbreadth): hann, hamming, blackman, bartlett and kaiser,
computed as PyTorch's factories compute them, in the window's dtype (arange, in-place products,
cos), periodic by default (the window of length N + 1 without its last value)."""

import math

import numpy as np

from .. import errors
from ..dtypes import as_dtype, default_float_np
from .base import check_alloc, make, torch_dtype
from .registry import declare


def _length_dtype(name, window_length, dtype):
    if not isinstance(window_length, int) or isinstance(window_length, bool):
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"({errors.type_name(window_length)})")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    d = default_float_np() if dtype is None else np.dtype(as_dtype(dtype).np)
    if d.kind not in "fV":
        raise RuntimeError(f"{name} expects floating point dtypes, got: "
                           f"{torch_dtype(d)}")
    check_alloc((window_length + 1,), d)   # the periodic window is made one longer
    return d


def _window(name, values):
    def op(window_length, periodic=True, *, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
        return _window_call(name, values, window_length, periodic, dtype, requires_grad)
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = f"The {name.split('_')[0]} window of window_length values."
    return declare(name=name, method=False)(op)


def _hamming_values(alpha, beta):
    def values(k, n, d):
        # window.mul_(2 pi / (n - 1)).cos_().mul_(-beta).add_(alpha), each step in d
        w = np.cos(k * d.type(math.pi * 2.0 / (n - 1)))
        return w * d.type(-beta) + d.type(alpha)
    return values


def _blackman_values(k, n, d):
    w = k * d.type(math.pi / (n - 1))
    return (np.cos(w * d.type(4)) * d.type(0.08) - np.cos(w * d.type(2)) * d.type(0.5)
            + d.type(0.42))


def _bartlett_values(k, n, d):
    w = k * d.type(2.0 / (n - 1))
    half = ((n - 1) >> 1) + 1
    w[half:] = w[half:] * d.type(-1) + d.type(2)
    return w


hann_window = _window("hann_window", _hamming_values(0.5, 0.5))
blackman_window = _window("blackman_window", _blackman_values)
bartlett_window = _window("bartlett_window", _bartlett_values)


@declare(method=False)
def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, requires_grad=False, pin_memory=False):
    """The Hamming window: alpha - beta * cos(2 pi k / (N - 1))."""
    return _window_call("hamming_window", _hamming_values(alpha, beta), window_length, periodic,
                        dtype, requires_grad)


@declare(method=False)
def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, requires_grad=False, pin_memory=False):
    """The Kaiser window: i0(beta * sqrt(1 - ((k - a) / a) ** 2)) / i0(beta), a = (N - 1) / 2."""
    def values(k, n, d):
        a = (n - 1) / 2.0
        x = beta * np.sqrt(np.abs(1 - ((k.astype(np.float64) - a) / a) ** 2))
        return (np.i0(x) / np.i0(beta)).astype(d)
    return _window_call("kaiser_window", values, window_length, periodic, dtype, requires_grad)


def _window_call(name, values, window_length, periodic, dtype, requires_grad):
    d = _length_dtype(name, window_length, dtype)
    if window_length == 0:
        w = np.zeros(0, d)
    elif window_length == 1:
        w = np.ones(1, d)
    else:
        n = window_length + 1 if periodic else window_length
        w = values(np.arange(n, dtype=d), n, d)[:window_length if periodic else n]
    out = make(np.ascontiguousarray(w))
    if requires_grad:
        out.requires_grad_()
    return out
