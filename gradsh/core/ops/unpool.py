"""F.max_unpool1d/2d/3d: max pooling's partial inverse. Each input value goes to the place its
index names in a zero output plane (the indices max_pool*d(return_indices=True) gives), the
rest stays 0. PyTorch's nodes are MaxUnpool2DBackward0 and MaxUnpool3DBackward0 (1d goes through
2d with a trailing dim of 1, as torch.nn.functional does); the gradient gathers the output's
gradient at the indices (with create_graph, through the library's gather: differentiable in
the incoming gradient, as PyTorch's).
"""

import numpy as np

from ..tensor import TENSOR_TYPES, Tensor
from ..dtypes import from_numpy_dtype
from .base import contiguous_result, needs_grad, record, rule, save
from .registry import declare


def _gather(g, indices, nd):
    """The gradient of an unpool: g's planes (the last nd dims, flattened) at the indices; a
    gradient with a graph (create_graph) is gathered by the library's gather, differentiable
    as PyTorch's (its grad-of-grad node: ViewBackward0 over GatherBackward0)."""
    if type(g) in TENSOR_TYPES:
        idx = indices if type(indices) in TENSOR_TYPES else Tensor._make(indices)
        lead = tuple(g.shape[:-nd])
        return g.reshape(lead + (-1,)).gather(
            -1, idx.reshape(tuple(idx.shape[:-nd]) + (-1,))).reshape(tuple(idx.shape))
    indices = indices._data if type(indices) in TENSOR_TYPES else indices
    planes = g.reshape(g.shape[:-nd] + (-1,))
    flat = indices.reshape(indices.shape[:-nd] + (-1,))
    return np.take_along_axis(planes, flat, -1).reshape(indices.shape)


@rule
def MaxUnpool2DBackward0(need, g, indices):
    return (_gather(g, indices, 2),)


@rule
def MaxUnpool3DBackward0(need, g, indices):
    return (_gather(g, indices, 3),)


_NODES = {2: MaxUnpool2DBackward0, 3: MaxUnpool3DBackward0}


def _tuple(v, nd):
    if isinstance(v, (tuple, list)):
        return [int(x) for x in v] * (nd if len(v) == 1 else 1)
    return [int(v)] * nd


def _output_size(input, kernel, stride, padding, output_size):
    """torch.nn.functional._unpool_output_size: the default size from the pooling parameters,
    or output_size (with or without its batch and channel dims) within a stride of it."""
    nd = len(kernel)
    default = [(input.shape[-nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d]
               for d in range(nd)]
    if output_size is None:
        size = default
    else:
        size = list(output_size)
        if len(size) == nd + 2:
            size = size[2:]
        if len(size) != nd:
            raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                             f"elements, but it has a length of '{len(size)}'")
        for d in range(nd):
            low, high = default[d] - stride[d], default[d] + stride[d]
            if not low < size[d] < high:
                raise ValueError(f'invalid output_size "{list(size)}" (dim {d} must be between '
                                 f'{low} and {high})')
    for d in range(nd):
        if size[d] < 0:
            raise ValueError("max_unpooling: output_size must contain non-negative spatial "
                             f"dimensions, but got output_size[{d}]={size[d]}")
    return [int(s) for s in size]


def _unpool(input, indices, size, nd):
    """max_unpool{2,3}d's kernel: the checks in PyTorch's words, the scatter, the node."""
    x = input._data
    if not isinstance(indices, Tensor):
        raise TypeError(f"max_unpool{nd}d(): argument 'indices' (position 2) must be Tensor, "
                        f"not {type(indices).__name__}")
    if indices._data.dtype != np.int64:
        raise RuntimeError("elements in indices should be type int64 but got: "
                           f"{from_numpy_dtype(indices._data.dtype)._short}")
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to max_unpooling{nd}d should be a {nd + 1}d or {nd + 2}d "
                           f"Tensor, but got a tensor with {x.ndim} dimensions.")
    idx = indices._data
    if idx.shape != x.shape:
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(x.shape)}) but got indices tensor with shape: "
                           f"{list(idx.shape)}")
    plane = int(np.prod(size))
    flat_idx = idx.reshape(x.shape[:-nd] + (-1,))
    bad = (flat_idx < 0) | (flat_idx >= plane)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {int(flat_idx[bad][0])} (output "
                           f"volumes are of size {'x'.join(str(s) for s in size)})")
    out = np.zeros(x.shape[:-nd] + (plane,), x.dtype)
    np.put_along_axis(out, flat_idx, x.reshape(flat_idx.shape), -1)
    values = contiguous_result(out.reshape(x.shape[:-nd] + tuple(size)))
    if needs_grad(input):
        record(values, _NODES[nd], (input,), (save(indices, "indices"),))
    return values


def _max_unpool(nd):
    def op(input, indices, kernel_size, stride=None, padding=0, output_size=None):
        if not isinstance(input, Tensor):
            raise TypeError(f"max_unpool{nd}d(): argument 'input' (position 1) must be Tensor, "
                            f"not {type(input).__name__}")
        kernel = _tuple(kernel_size, nd)
        strides = kernel if stride is None else _tuple(stride, nd)
        size = _output_size(input, kernel, strides, _tuple(padding, nd), output_size)
        if nd > 1:
            return _unpool(input, indices, size, nd)
        return _unpool(input.unsqueeze(-1), indices.unsqueeze(-1) if isinstance(
            indices, Tensor) else indices, size + [1], 2).squeeze(-1)
    op.__name__ = op.__qualname__ = f"max_unpool{nd}d"
    op.__doc__ = (f"F.max_unpool{nd}d(input, indices, kernel_size, stride=None, padding=0, "
                  "output_size=None): max_pool's values back in place, zeros elsewhere.")
    op.__module__ = __name__
    return declare(method=False, function=False, nn=True)(op)


max_unpool1d = _max_unpool(1)
max_unpool2d = _max_unpool(2)
max_unpool3d = _max_unpool(3)
