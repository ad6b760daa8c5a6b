"""max_unpool{1,2,3}d: the inverse of a max pool with return_indices, as PyTorch computes it.

Each input element goes to the flat position its index names in its (N, C) plane of the output,
zeros elsewhere. The gradient gathers the incoming gradient at the same positions (PyTorch's
MaxUnpool2DBackward0 / MaxUnpool3DBackward0, written with the library's gather under
create_graph). The 1d op is PyTorch's composition: the 2d op on unsqueeze(-1), squeezed back.
"""

import numpy as np

from .base import make, needs_grad, record
from .base import contiguous_result as result
from .registry import declare
from ..node import node_class
from ..tensor import Tensor


def _tuple(v, nd):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * nd


def _output_size(x, nd, kernel, stride, padding, output_size):
    """PyTorch's _unpool_output_size: the default size, or output_size if within a stride."""
    default = [(x.shape[-nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(nd)]
    if output_size is None:
        return default
    size = list(output_size)
    if len(size) == nd + 2:
        size = size[2:]
    if len(size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                         f"elements, but it has a length of '{len(size)}'")
    for d in range(nd):
        low, high = default[d] - stride[d], default[d] + stride[d]
        if not low < size[d] < high:
            raise ValueError(f'invalid output_size "{tuple(output_size)}" (dim {d} must be '
                             f'between {low} and {high})')
    return size


def _unpool_rule(nd):
    def rule(need, g, indices, in_shape):
        lead = in_shape[:-nd]
        if type(g) is not Tensor:
            flat = g.reshape(lead + (-1,))
            return (np.take_along_axis(flat, indices.reshape(lead + (-1,)), -1)
                    .reshape(in_shape),)
        idx = make(indices.reshape(lead + (-1,)))
        return (g.reshape(lead + (-1,)).gather(-1, idx).reshape(in_shape),)
    return node_class(f"MaxUnpool{nd}DBackward0", rule)


NODES = {nd: _unpool_rule(nd) for nd in (2, 3)}


def _max_unpool_nd(input, indices, nd, kernel_size, stride, padding, output_size):
    kernel = _tuple(kernel_size, nd)
    stride = _tuple(stride if stride is not None else kernel_size, nd)
    padding = _tuple(padding, nd)
    size = _output_size(input._data, nd, kernel, stride, padding, output_size)
    x, idx = input._data, indices._data
    if idx.dtype != np.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: "
                           f"{indices.dtype._legacy[:-len('Tensor')]}")
    if idx.shape != x.shape:
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(x.shape)}) but got indices tensor with shape: "
                           f"{list(idx.shape)}")
    plane = int(np.prod(size))
    lead = x.shape[:-nd]
    flat_idx = idx.reshape(lead + (-1,))
    bad = (flat_idx < 0) | (flat_idx >= plane)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {flat_idx[bad].flat[0]} (output "
                           f"volumes are of size {'x'.join(str(s) for s in size)})")
    out = np.zeros(lead + (plane,), dtype=x.dtype)
    np.put_along_axis(out, flat_idx, x.reshape(lead + (-1,)), -1)
    values = result(out.reshape(lead + tuple(size)))
    if needs_grad(input):
        record(values, NODES[nd], (input,), (idx, x.shape))
    return values


@declare(method=False, function=False, nn=True)
def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel, stride = _tuple(kernel_size, 1), _tuple(stride if stride is not None else
                                                    kernel_size, 1)
    padding = _tuple(padding, 1)
    size = _output_size(input._data, 1, kernel, stride, padding, output_size)
    return _max_unpool_nd(input.unsqueeze(-1), indices.unsqueeze(-1), 2, kernel + (1,),
                          stride + (1,), padding + (0,), size + [1]).squeeze(-1)


@declare(method=False, function=False, nn=True)
def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool_nd(input, indices, 2, kernel_size, stride, padding, output_size)


@declare(method=False, function=False, nn=True)
def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool_nd(input, indices, 3, kernel_size, stride, padding, output_size)
