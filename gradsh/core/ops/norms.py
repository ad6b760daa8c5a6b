"""Group, instance and local-response normalization, as PyTorch computes them.

- group_norm: PyTorch's native_group_norm (node NativeGroupNormBackward0): each sample's
  channels split into `num_groups` groups, each group normalized by its mean and biased
  variance, then the per-channel affine. Its gradient is written with the library's ops, so
  create_graph records it (PyTorch records its own composition there, of other nodes: the
  double-backward graph's names differ, docs/autograd.md "What differs").
- instance_norm: PyTorch's composition: batch_norm of the input viewed as one sample of N * C
  channels (ViewBackward0, NativeBatchNormBackward0, the affine parameters repeated N times:
  RepeatBackward0), the running statistics the mean over the samples of the repeated ones.
- local_response_norm: PyTorch's composition of pad, avg_pool and pointwise ops.
"""

import math

import numpy as np

from .. import grad_mode
from ..meta import check_devices
from . import prim as P
from .base import rule
from .nn_ops import (_batch_norm, _check_channel_params, _mean, _normalized, _rsqrt,
                     affine_result, check_mixed_dtypes)
from .padding import pad
from .pooling import avg_pool2d, avg_pool3d
from .dtype_refusals import refuse_kernel
from .registry import declare
from .rowwise_moments import group_norm_backward_rows, group_norm_rows


# ----- group_norm ----------------------------------------------------------------------------
def _group_norm_grads(need, g, x, weight, groups, eps):
    shape = P.data(x).shape
    c = shape[1]
    grouped = (shape[0], groups, -1)
    xg = P.reshape(x, grouped)
    xhat = _normalized(xg, (2,), eps)
    dims = (0,) + tuple(range(2, len(shape)))
    gw = P.reshape(P.sum(g * P.reshape(xhat, shape), dims), (c,)) if need[1] else None
    gb = P.reshape(P.sum(g, dims), (c,)) if need[2] else None
    gx = None
    if need[0]:
        gh = g * P.reshape(weight, (1, c) + (1,) * (len(shape) - 2)) if weight is not None else g
        gh = P.reshape(gh, grouped)
        rstd = _rsqrt(_mean((xg - _mean(xg, (2,))) ** 2, (2,)) + eps)
        gx = P.reshape(rstd * (gh - _mean(gh, (2,)) - xhat * _mean(gh * xhat, (2,))), shape)
    return (gx, gw, gb)


@rule
def NativeGroupNormBackward0(need, g, input, weight, groups, eps):
    if (type(g) is np.ndarray and g.dtype == np.float32 and input.dtype == np.float32
            and input.flags.c_contiguous and input.size):  # PyTorch's kernel order
        return group_norm_backward_rows(need, g, input, weight, groups, eps)
    return _group_norm_grads(need, g, input, weight, groups, eps)


def _check_group_norm(shape, num_groups, weight, bias):
    if len(shape) < 2:
        raise RuntimeError("Expected at least 2 dimensions for input tensor but received "
                           f"{len(shape)}")
    if num_groups == 0:  # (PyTorch's Python wrapper divides by it first)
        raise ZeroDivisionError("integer division or modulo by zero")
    if num_groups < 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    if shape[1] % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.numel() != shape[1]):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape {list(t.shape)} "
                               f"and input of shape {list(shape)}")


@declare(method=False, nn=True)
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Each group of channels of each sample normalized, then * weight + bias per channel."""
    check_devices(input, weight, bias)
    x = input._data
    _check_group_norm(x.shape, num_groups, weight, bias)
    check_mixed_dtypes(input, (weight, bias))
    refuse_kernel("GroupNormKernelImpl", x)
    cs = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    if x.dtype == np.float32 and x.size and x.flags.c_contiguous:  # PyTorch's kernel order
        out = group_norm_rows(x, num_groups, eps,
                              *(None if t is None else t._data for t in (weight, bias)))
        return affine_result(input, out, weight, bias, cs, NativeGroupNormBackward0,
                             (num_groups, eps), follow=True, applied=True)
    if x.size == 0:  # an empty batch (no mean of nothing: numpy's warning)
        out = x.copy()
    else:
        out = _normalized(x.reshape(x.shape[0], num_groups, -1), (2,), eps).reshape(x.shape)
    return affine_result(input, out, weight, bias, cs, NativeGroupNormBackward0,
                         (num_groups, eps), follow=True)


# ----- instance_norm -------------------------------------------------------------------------
def _repeated(t, n):
    return t.repeat(n) if t is not None else None


def _torch_instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                         momentum, eps, cudnn_enabled):
    """torch.instance_norm: ATen's argument order, every argument required."""
    return instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                         momentum, eps)


@declare(method=False, function=_torch_instance_norm, nn=True)
def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """batch_norm of each (sample, channel) plane: the input viewed as 1 x (N * C) x ..."""
    shape = tuple(input.shape)
    if use_input_stats and math.prod(shape[2:]) <= 1:
        raise ValueError("Expected more than 1 spatial element when training, got input size "
                         f"{input.shape}")
    n, c = shape[:2]
    for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
        if stat is not None and stat.numel() != c:  # PyTorch checks the repeated stats
            raise RuntimeError(f"{name} should contain {n * c} elements not {stat.numel() * n}")
    # (not the running statistics; with them, a bias without a weight is checked as PyTorch
    # 2.13 checks it: followed by a weight of the input's dtype)
    stand_in = input.new_ones(c) if running_mean is not None and weight is None else None
    check_mixed_dtypes(input, (weight, bias) if stand_in is None else (bias, stand_in))
    running = (_repeated(running_mean, n), _repeated(running_var, n))
    affine = (_repeated(weight, n), _repeated(bias, n))
    _check_channel_params(n * c, *running, *affine, use_input_stats)
    out = _batch_norm(input.contiguous().view(1, n * c, *shape[2:]), *running, *affine,
                      use_input_stats, momentum, eps)
    with grad_mode.no_grad():
        for own, repeated in zip((running_mean, running_var), running):
            if own is not None:
                own.copy_(repeated.view(n, c).mean(0))
    return out.view_as(input)


# ----- local_response_norm -------------------------------------------------------------------
@declare(method=False, function=False, nn=True)
def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """input / (k + alpha * mean of the squares over `size` neighbouring channels) ** beta."""
    dim = input.ndim
    if dim < 3:
        # PyTorch's message, its run of spaces included
        raise ValueError("Expected 3D or higher dimensionality                          input "
                         f"(got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.shape
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).view(sizes)
    return input / div.mul(alpha).add(k).pow(beta)

