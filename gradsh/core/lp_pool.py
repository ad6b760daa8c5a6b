"""F.lp_pool1d/2d/3d: PyTorch's composition over the average pools, so the graph has its nodes:
(sign(avg) * relu(|avg|) * window size) ** (1 / p) of avg = avg_pool(x ** p); p = inf is a max
pool of |x|."""

import math

from .nn_functional import relu
from .ops.pooling import avg_pool1d, avg_pool2d, avg_pool3d, max_pool1d, max_pool2d, max_pool3d
from .ops.registry import declare


def _size(kernel_size, n):
    k = (kernel_size,) * n if isinstance(kernel_size, int) else tuple(kernel_size)
    return math.prod(k)


def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, n, avg, mx):
    if isinstance(norm_type, (int, float)):
        if norm_type == math.inf:
            return mx(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -math.inf:
            return -mx(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    window = kernel_size if n == 1 else _size(kernel_size, n)
    return (out.sign() * relu(out.abs())).mul(window).pow(1.0 / norm_type)


@declare(method=False, function=False, nn=True)
def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The p-norm of each window (a power-average pool)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1, avg_pool1d, max_pool1d)


@declare(method=False, function=False, nn=True)
def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The p-norm of each 2-d window."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2, avg_pool2d, max_pool2d)


@declare(method=False, function=False, nn=True)
def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The p-norm of each 3-d window."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3, avg_pool3d, max_pool3d)
