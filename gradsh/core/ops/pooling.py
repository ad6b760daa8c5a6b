"""Pooling as PyTorch's CPU kernels compute it: max_pool{1,2,3}d, avg_pool{1,2,3}d and the
adaptive ones (N, C and 1 to 3 spatial dims, or unbatched).

Every pool is described by its windows (`Windows`: per spatial dim, the positions each output
element reads and which of them lie in the input). The forward pass walks the window offsets in
PyTorch's scan order (a gather per offset, so no Python loop over elements): a max keeps the first
maximum of its window and moves to any NaN it meets (the last NaN wins, as in PyTorch's
`val > max || isnan`); an average adds its window's elements in scan order and divides once (by
the window's kH * kW, or kH then kW for the adaptive ones, as PyTorch divides). The gradient is a
scatter-add of the incoming gradient in output order (PyTorch's accumulation order), with library
ops under create_graph so the backward of the backward is recorded. The 1d ops are PyTorch's
composition: the 2d op on `input.unsqueeze(-2)`, then `squeeze(-2)`.
"""

import itertools
import math

import numpy as np

from .base import make, needs_grad, record, save, save_index
from ..memory import ELEMENTWISE, PYTHON_STEP, check_alloc, check_flops
from .base import format_result, grad_in_format
from .composite import composite_backward
from .dtype_refusals import _BOOL, _HALVES, _INTEGERS, _NOT_LONG, refuse_kernel
from .registry import declare
from ..node import node_class
from ..errors import TorchAttributeError, type_name
from ..tensor import TENSOR_TYPES, Tensor

NAMES = {1: "one", 2: "two", 3: "three"}


# ----- arguments and PyTorch's checks -----------------------------------------------------------
def _tuple(v, nd, what, op, default=None):
    """An int or a tuple of 1 or nd ints as nd ints (PyTorch's words when it is neither)."""
    if v is None or (isinstance(v, (tuple, list)) and len(v) == 0):
        v = default
    if not isinstance(v, (tuple, list)):
        return (v,) * nd
    if len(v) not in (1, nd):
        either = "either be" if op in ("max_pool2d", "max_pool3d", "avg_pool2d") else "be"
        raise RuntimeError(f"{op}: {what} must {either} a single int, or a tuple of "
                           f"{NAMES[nd]} ints")
    return tuple(v) * (nd if len(v) == 1 else 1)


def _one(v, what, op):
    """A 1d op's int argument (PyTorch's argument parser's words for a longer tuple)."""
    if isinstance(v, (tuple, list)):
        if len(v) != 1:
            raise RuntimeError(f"{op}() argument '{what}' should contain one int (got {len(v)})")
        return v[0]
    return v


def _check_dims(x, nd, op):
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1} to {nd + 2} dimensions, but got {x.ndim}-"
                           f"dimensional tensor for argument #1 'self' (while checking arguments "
                           f"for {op})")


def _check_input(x, nd, op):
    """The input's rank, and no empty dim but the batch (PyTorch's words per op)."""
    shape = list(x.shape)
    if nd == 2 and x.ndim == 0 and op == "avg_pool2d":
        raise IndexError("Dimension specified as -3 but tensor has no dimensions")
    if nd == 2 and x.ndim < 3 and op == "avg_pool2d":
        raise IndexError(f"Dimension out of range (expected to be in range of [{-x.ndim}, "
                         f"{x.ndim - 1}], but got -3)")
    if nd == 2 and x.ndim not in (3, 4) and op == "max_pool2d":
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if nd == 2 and (x.ndim not in (3, 4) or 0 in shape[-3:]):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{shape}")
    if nd == 3 and x.ndim not in (4, 5):
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    if nd == 3 and 0 in shape[-4:]:
        where = ("max_pool3d_with_indices_out_cpu_template()" if op == "max_pool3d"
                 else "avg_pool3d()")
        raise RuntimeError(f"{where}: Expected input's non-batch dimensions to have positive "
                           f"length, but input has a shape of {shape} and non-batch dimension 0 "
                           "has length zero!")  # (PyTorch names dimension 0 whichever it is)


def _labels(nd):
    return ("T", "H", "W")[3 - nd:]


def _check_window(kernel, stride, padding, dilation, op):
    nd = len(kernel)
    if 0 in stride:
        raise RuntimeError("stride should not be zero")
    if min(padding) < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {min(padding)}")
    if min(kernel) <= 0:
        sizes = " ".join(f"k{a}: {k}" for a, k in zip(_labels(nd), kernel))
        if op.startswith("max") and nd == 2:
            raise RuntimeError(f"kernel size and dilation should be greater than zero, but got "
                               f"{sizes} dilationH: {dilation[0]} dilationW: {dilation[1]}")
        raise RuntimeError(f"kernel size should be greater than zero, but got {sizes}")
    if min(dilation) <= 0:
        dils = " ".join(f"dilation{a}: {d}" for a, d in zip(_labels(nd), dilation))
        if nd == 2:
            sizes = " ".join(f"k{a}: {k}" for a, k in zip(_labels(nd), kernel))
            raise RuntimeError(f"kernel size and dilation should be greater than zero, but got "
                               f"{sizes} {dils}")
        raise RuntimeError(f"dilation should be greater than zero, but got {dils}")
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError("pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")


def _out_size(n, k, s, p, d, ceil_mode):
    """PyTorch's pooling_output_shape: the last window must start inside the input or its left
    padding."""
    span = d * (k - 1) + 1
    out = (n + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def _out_shape(x, kernel, stride, padding, dilation, ceil_mode, op):
    """Output size per spatial dim, with PyTorch's checks and words."""
    nd = len(kernel)
    spatial = x.shape[-nd:]
    out = [_out_size(n, k, s, p, d, ceil_mode)
           for n, k, s, p, d in zip(spatial, kernel, stride, padding, dilation)]
    if min(out) < 1:
        if op == "avg_pool3d":
            image = " ".join(f"{a}: {n}" for a, n in zip(_labels(nd), spatial))
            ks = " ".join(f"k{a}: {k}" for a, k in zip(_labels(nd), kernel))
            raise RuntimeError(f"input image ({image}) smaller than kernel size ({ks})")
        c = x.shape[-nd - 1]
        given, calc = "x".join(map(str, (c,) + spatial)), "x".join(map(str, [c] + out))
        raise RuntimeError(f"Given input size: ({given}). Calculated output size: ({calc}). "
                           "Output size is too small")
    return out


# ----- windows ------------------------------------------------------------------------------------
class Windows:
    """Which input positions each output element reads, per spatial dim: `pos[d]` (out_d, k_d)
    positions (they may lie outside the input), `valid[d]` which of them are inside; `shape` the
    input's spatial shape, `divisors` the arrays (broadcast to the output's spatial shape) an
    average divides by, in turn."""

    def __init__(self, shape, pos, valid, divisors=(), stride=None):
        self.shape, self.pos, self.valid, self.divisors = tuple(shape), pos, valid, divisors
        self.stride = stride  # regular windows: the step between outputs (strided slices)
        self.out = tuple(p.shape[0] for p in pos)
        self.plane_strides = [int(np.prod(self.shape[d + 1:])) for d in range(len(shape))]


def _along(a, d, nd):
    """a (one value per output position of dim d) shaped to broadcast over nd output dims."""
    shape = [1] * nd
    shape[d] = a.shape[0]
    return a.reshape(shape)


def _regular_windows(shape, out, kernel, stride, padding, dilation):
    for o, k in zip(out, kernel):  # each dim's positions, (outputs, window) of them
        check_alloc((o, k), np.int64)
    pos = [(np.arange(o) * s - p)[:, None] + np.arange(k) * d
           for o, k, s, p, d in zip(out, kernel, stride, padding, dilation)]
    return Windows(shape, pos, [(q >= 0) & (q < n) for q, n in zip(pos, shape)],
                   stride=stride)


def _avg_divisor(shape, out, kernel, stride, padding, count_include_pad, divisor_override):
    """PyTorch's divide_factor per output position."""
    if divisor_override:
        return np.full(out, divisor_override)
    nd, total = len(out), 1
    for d, (n, o, k, s, p) in enumerate(zip(shape, out, kernel, stride, padding)):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        size = end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0)
        total = total * _along(size, d, nd)
    return total


def _adaptive_windows(shape, out):
    """PyTorch's adaptive windows: [floor(i * n / o), ceil((i + 1) * n / o)) per dim; an
    average divides by each dim's window size in turn."""
    pos, valid, divisors = [], [], []
    for d, (n, o) in enumerate(zip(shape, out)):
        i = np.arange(o)
        start, end = i * n // o, ((i + 1) * n + o - 1) // o
        size = end - start
        k = np.arange(int(size.max()) if o else 0)
        pos.append(start[:, None] + k)
        valid.append(k < size[:, None])
        divisors.append(_along(size, d, len(out)))
    return Windows(shape, pos, valid, divisors)


def _taps(x, win):
    """Each window offset in scan order: the input's values there (x's leading dims + the output's
    spatial shape; any value where outside the input), their flat positions in the input's
    plane, and which lie in the input (None: all of them)."""
    nd = len(win.shape)
    taps = math.prod(p.shape[1] for p in win.pos)
    # ten passes over the output per window offset: a 2500-wide window sliding one step over a
    # 5000 x 5000 image is 4*10**13 reads, never ending
    check_flops(taps * (10 * ELEMENTWISE * (x.size // max(math.prod(win.shape), 1))
                        * math.prod(win.out) + PYTHON_STEP),
                f"pooling with windows of {'x'.join(str(p.shape[1]) for p in win.pos)} over "
                f"{'x'.join(map(str, win.out))} outputs")
    read = _strided_reader(x, win) if win.stride else None
    for j in itertools.product(*(range(p.shape[1]) for p in win.pos)):
        at = [_along(np.clip(p[:, k], 0, n - 1), d, nd)
              for d, (p, k, n) in enumerate(zip(win.pos, j, win.shape))]
        inside = np.ones(win.out, bool)
        for d, (v, k) in enumerate(zip(win.valid, j)):
            inside = inside & _along(v[:, k], d, nd)
        values = read(j) if read else x[(Ellipsis, *at)]
        yield values, sum(a * s for a, s in zip(at, win.plane_strides)), \
            None if inside.all() else inside


def _strided_reader(x, win):
    """For regular windows: offset j's values as strided slices of x padded (with zeros) as far
    as the windows reach, a view instead of a gather."""
    nd = len(win.shape)
    lo = [max(0, -int(p.min())) if p.size else 0 for p in win.pos]
    hi = [max(0, int(p.max()) - n + 1) if p.size else 0 for p, n in zip(win.pos, win.shape)]
    if any(lo) or any(hi):
        x = np.pad(x, ((0, 0),) * (x.ndim - nd) + tuple(zip(lo, hi)))

    def read(j):
        key = tuple(slice(p[0, k] + a, p[0, k] + a + (o - 1) * s + 1, s) for p, k, a, o, s in
                    zip(win.pos, j, lo, win.out, win.stride))
        return x[(Ellipsis, *key)]
    return read


def _window_index(win):
    """(flat position, inside) of every window element, shaped (out..., k...): output order then
    scan order, the order PyTorch's backward adds in."""
    nd = len(win.shape)
    index, inside = 0, True
    for d, (p, v, s) in enumerate(zip(win.pos, win.valid, win.plane_strides)):
        shape = [1] * (2 * nd)
        shape[d], shape[nd + d] = p.shape
        index = index + (np.clip(p, 0, max(win.shape[d] - 1, 0)) * s).reshape(shape)
        inside = inside & v.reshape(shape)
    return index, inside


# ----- forward passes on arrays -------------------------------------------------------------------
def _max_forward(x, win):
    """The maxima and their flat indices in each input plane."""
    nd = len(win.shape)
    best = np.full(x.shape[:-nd] + win.out, -np.inf, x.dtype)
    index = np.full(best.shape, -1, np.int64)
    for v, flat, inside in _taps(x, win):
        take = (v > best) | np.isnan(v) | (index < 0)
        if inside is not None:
            take &= inside
        best = np.where(take, v, best)
        index = np.where(take, flat, index)
    return best, index


def _divide(total, divisors):
    if total.dtype == np.int64:  # PyTorch's int64 average: the int64 sum, divided truncating
        for d in divisors:
            d = np.asarray(d).astype(np.int64)
            total = np.sign(total) * (np.abs(total) // d)
        return total
    for d in divisors:
        total = total / np.asarray(d).astype(total.dtype)
    return total


def _avg_forward(x, win):
    nd = len(win.shape)
    total = np.zeros(x.shape[:-nd] + win.out, x.dtype)
    for v, _, inside in _taps(x, win):
        total = total + (v if inside is None else np.where(inside, v, 0).astype(x.dtype))
    return _divide(total, win.divisors)


# ----- gradients ----------------------------------------------------------------------------------
def _scatter_planes(g, index, rows, plane):
    """Add g (rows of planes, any trailing shape) into `rows` zero planes of `plane` elements
    at the flat `index` (broadcast against g), in g's element order (PyTorch's accumulation
    order). g may be a tensor (the gradient under create_graph: recorded as a scatter_add)."""
    per_row = int(np.prod(g.shape)) // rows if rows else 0  # (an empty batch has no rows)
    flat_i = np.broadcast_to(index, g.shape).reshape(rows, per_row)
    if type(g) not in TENSOR_TYPES:
        planes = np.zeros((rows, plane), g.dtype)
        np.add.at(planes, (np.arange(rows)[:, None], flat_i), g.reshape(rows, per_row))
        return planes
    zeros = make(np.zeros((rows, plane), g._data.dtype))
    return zeros.scatter_add(1, make(np.ascontiguousarray(flat_i)), g.reshape(rows, per_row))


def _planes(shape, nd):
    return int(np.prod(shape[:-nd])), int(np.prod(shape[-nd:]))


def _max_grads(need, g, self, indices, nd):
    """A max's gradient: g added at the indices of the maxima (arrays or, under create_graph,
    tensors)."""
    planes = _scatter_planes(g, indices, *_planes(self.shape, nd))
    return (grad_in_format(planes.reshape(self.shape), self),)


def _avg_grads(g, shape, win):
    """An average's gradient (arrays): each window's share added in output order."""
    nd = len(win.shape)
    g = _divide(g, win.divisors)
    index, inside = _window_index(win)
    window = np.broadcast_to(g.reshape(g.shape + (1,) * nd), g.shape + index.shape[nd:])
    if not inside.all():
        window = np.where(inside, window, 0).astype(g.dtype)
    return _scatter_planes(window, index, *_planes(shape, nd)).reshape(shape)


def _max_node(label, nd):
    """`label`Backward0 (first order) and its backward: the gradient's gather at the indices
    for grad_output, zeros for self (PyTorch's formulas)."""
    backward = composite_backward(label + "BackwardBackward0", _max_grads, 1, 1,
                                  zeros_for_unused=True)

    def max_rule(need, g, self, indices):
        if type(indices) in TENSOR_TYPES:  # (saved as a tensor, read as the array it holds)
            indices = indices._data
        return backward(need, g, self, indices, nd)

    return node_class(label + "Backward0", max_rule)


def _avg_node(label):
    """`label`Backward0 and its backward: the same average of gg for grad_output (recorded as
    this node under create_graph), zeros for self."""
    def double(need, gg, grad_out, self, windows):
        graph = type(gg) in TENSOR_TYPES
        to_grad_out = to_self = None
        if need[0]:
            to_grad_out = _avg_pool(gg, windows, node) if graph else _avg_forward(gg, windows)
        if need[1]:
            zeros = np.zeros(self.shape, gg._data.dtype if graph else gg.dtype)
            to_self = make(zeros) if graph else zeros
        return to_grad_out, to_self

    twice = node_class(label + "BackwardBackward0", double, 1)

    def avg_rule(need, g, self, windows):
        if type(g) not in TENSOR_TYPES:
            return (grad_in_format(_avg_grads(g, self.shape, windows), self),)
        grad = make(np.ascontiguousarray(_avg_grads(g._data, self.shape, windows)))
        if needs_grad(g, self):
            record(grad, twice, (g, self), (g, self, windows))
        return (grad,)

    node = node_class(label + "Backward0", avg_rule)
    return node


MAX_NODES = {nd: _max_node(f"MaxPool{nd}DWithIndices", nd) for nd in (2, 3)}
AVG_NODES = {nd: _avg_node(f"AvgPool{nd}D") for nd in (2, 3)}
ADAPTIVE_MAX_NODES = {nd: _max_node(f"AdaptiveMaxPool{nd}D", nd) for nd in (2, 3)}
ADAPTIVE_AVG_NODES = {nd: _avg_node(f"AdaptiveAvgPool{nd}D") for nd in (2, 3)}


# ----- the ops on tensors -------------------------------------------------------------------------
def _max_pool(input, win, node, return_indices, volumes=False):
    """volumes: 5-d channels-last inputs give channels-last results (max_pool3d has that path,
    adaptive_max_pool3d does not)."""
    best, index = _max_forward(input._data, win)
    values = format_result(best, input._data, volumes=volumes)
    if needs_grad(input):
        # (PyTorch's node saves self and the indices it returns: a pack hook sees both)
        record(values, node, (input,), (save(input, "self"), save_index(index)))
    return (values, format_result(index, input._data, volumes=volumes)) if return_indices \
        else values


def _avg_pool(input, win, node):
    values = format_result(_avg_forward(input._data, win), input._data)
    if needs_grad(input):
        record(values, node, (input,), (save(input, "self"), win))
    return values


def _max_pool_nd(input, nd, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    op = f"max_pool{nd}d"
    _pool_input(input, op, return_indices)
    kernel = _tuple(kernel_size, nd, "kernel_size", op)
    stride = _tuple(stride, nd, "stride", op, kernel)
    padding, dilation = _tuple(padding, nd, "padding", op), _tuple(dilation, nd, "dilation", op)
    x = input._data
    _check_input(x, nd, op)
    _check_window(kernel, stride, padding, dilation, op)
    out = _out_shape(x, kernel, stride, padding, dilation, ceil_mode, op)
    refuse_kernel(op, x, _BOOL)
    win = _regular_windows(x.shape[-nd:], out, kernel, stride, padding, dilation)
    return _max_pool(input, win, MAX_NODES[nd], return_indices, volumes=True)


def _avg_pool_nd(input, nd, kernel_size, stride, padding, ceil_mode, count_include_pad,
                 divisor_override):
    op = f"avg_pool{nd}d"
    kernel = _tuple(kernel_size, nd, "kernel_size", op)
    stride = _tuple(stride, nd, "stride", op, kernel)
    padding = _tuple(padding, nd, "padding", op)
    x = input._data
    _check_input(x, nd, op)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_window(kernel, stride, padding, (1,) * nd, op)
    out = _out_shape(x, kernel, stride, padding, (1,) * nd, ceil_mode, op)
    if nd == 2:
        refuse_kernel("avg_pool2d", x, _NOT_LONG)
    else:
        refuse_kernel("avg_pool3d_out_frame", x, _NOT_LONG | _HALVES)
    win = _regular_windows(x.shape[-nd:], out, kernel, stride, padding, (1,) * nd)
    win.divisors = [_avg_divisor(x.shape[-nd:], out, kernel, stride, padding,
                                 count_include_pad, divisor_override)]
    return _avg_pool(input, win, AVG_NODES[nd])


def _through_2d(input, pool, op, *args):
    """A 1d pool as PyTorch composes it: the 2d pool of input.unsqueeze(-2), squeezed back."""
    _check_dims(input._data, 1, op)
    out = pool(input.unsqueeze(-2), *args)
    if isinstance(out, tuple):
        return tuple(o.squeeze(-2) for o in out)
    return out.squeeze(-2)


def _check_max_pool1d(x, kernel, stride, padding, dilation, ceil_mode):
    """PyTorch's own checks for max_pool1d (before it turns to the 2d op)."""
    if x.ndim not in (2, 3) or 0 in x.shape[-2:]:
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(x.shape)}")
    lengths = [("kernel_size", kernel, "an int, list of ints or tuple of ints"),
               ("stride", stride, "None, an int, list of ints, or tuple of ints")]
    for what, v, kinds in lengths:
        if isinstance(v, (tuple, list)) and len(v) > 1:
            raise RuntimeError(f"max_pool1d() {what} must be {kinds} of size 1 but got size "
                               f"{len(v)}")
    k = _one(kernel, "kernel_size", "max_pool1d")
    s = k if stride is None or stride == [] or stride == () else _one(stride, "stride", "max_pool1d")
    p, d = _one(padding, "padding", "max_pool1d"), _one(dilation, "dilation", "max_pool1d")
    checks = [(k > 0, f"kernel_size must be greater than zero, but got {k}"),
              (s > 0, f"stride must be greater than zero, but got {s}"),
              (p >= 0, f"padding must be non-negative, but got {p}"),
              (p <= k // 2, f"padding should be at most half of kernel size, but got padding={p}"
                            f" and kernel_size={k}"),
              (d > 0, f"dilation must be greater than zero, but got {d}")]
    for ok, words in checks:
        if not ok:
            raise RuntimeError("max_pool1d() " + words)
    size = _out_size(x.shape[-1], k, s, p, d, ceil_mode)
    if size < 1:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {size}")
    return k, s, p, d


def _named(function, name):
    """function called `name` in Python's own errors (`name() got an unexpected keyword
    argument`), as PyTorch's function of that name is."""
    function.__code__ = function.__code__.replace(co_name=name, co_qualname=name)
    function.__name__ = function.__qualname__ = name
    return function


def _pool_input(input, op, return_indices=False, adaptive=False):
    """A pool's input that is no tensor: PyTorch's TypeError of the C op F's function calls
    (max_pool2d, or max_pool2d_with_indices for return_indices=True), or for the adaptive
    pools the AttributeError of its Python code asking input's size."""
    if isinstance(input, Tensor):
        return
    if adaptive:
        raise TorchAttributeError(f"'{type_name(input)}' object has no attribute 'size'")
    name = op + "_with_indices" if return_indices else op
    raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                    f"{type_name(input)}")


def _max_pool_function(name):
    """torch.max_pool{1,2,3}d: F's op without return_indices (PyTorch's own TypeError)."""
    def function(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
        return globals()[name](input, kernel_size, stride, padding, dilation, ceil_mode)
    return _named(function, name)


@declare(method=False, function=_max_pool_function("max_pool1d"), nn=True)
def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    _pool_input(input, "max_pool1d", return_indices)
    k, s, p, d = _check_max_pool1d(input._data, kernel_size, stride, padding, dilation, ceil_mode)
    if not return_indices:  # (with indices, PyTorch runs the 2-d pool, built for integers)
        refuse_kernel("max_pool1d_impl", input._data, _INTEGERS)
    return _through_2d(input, max_pool2d, "max_pool1d", (1, k), (1, s), (0, p), (1, d),
                       ceil_mode, return_indices)


def _torch_max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1,
                                   ceil_mode=False):
    """torch.max_pool1d_with_indices (ATen's signature): F.max_pool1d's (values, indices)."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


@declare(method=False, function=_max_pool_function("max_pool2d"), nn=True)
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return _max_pool_nd(input, 2, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices)


@declare(method=False, function=_max_pool_function("max_pool3d"), nn=True)
def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return _max_pool_nd(input, 3, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices)


@declare(method=False, function=True, nn=True)
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    k = _one(kernel_size, "kernel_size", "avg_pool1d")
    s = k if stride is None or stride == [] or stride == () else _one(stride, "stride",
                                                                       "avg_pool1d")
    p = _one(padding, "padding", "avg_pool1d")
    return _through_2d(input, avg_pool2d, "avg_pool1d", (1, k), (1, s), (0, p), ceil_mode,
                       count_include_pad)


@declare(method=False, function=False, nn=True)
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    return _avg_pool_nd(input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override)


@declare(method=False, function=False, nn=True)
def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    return _avg_pool_nd(input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override)


# ----- adaptive pools -----------------------------------------------------------------------------
def _adaptive_sizes(x, nd, output_size):
    """The output's spatial sizes as F.adaptive_*_pool{2,3}d read them before the op's checks: a
    tuple needs more input dims than it has entries (PyTorch's ValueError)."""
    if isinstance(output_size, (tuple, list)):
        if x.ndim <= len(output_size):
            raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
        return [n if o is None else o for o, n in zip(output_size, x.shape[-len(output_size):])]
    return [output_size] * nd


def _adaptive_size(x, nd, output_size, op):
    """The output's spatial shape (None keeps the input's size), with PyTorch's checks."""
    _adaptive_sizes(x, nd, output_size)
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != nd:
            internal = "(): internal error: output_size.size()" if "max" in op else \
                ": output_size"
            raise RuntimeError(f"{op}{internal} must be {nd}")
        sizes = [n if o is None else o for o, n in zip(output_size, x.shape[-nd:])]
    else:
        sizes = [output_size] * nd
    dims = ("3D or 4D", "4D or 5D")[nd - 2]
    if x.ndim not in (nd + 1, nd + 2):
        got = ":" if "max" in op else ""
        raise RuntimeError(f"{op}(): Expected {dims} tensor, but got{got} {list(x.shape)}")
    for d in range(x.ndim - nd - 1, x.ndim):
        if x.shape[d] == 0:
            raise RuntimeError(f"{op}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but input has sizes {list(x.shape)} with dimension "
                               f"{d} being empty")
    if min(sizes) < 0:
        if "max" in op:
            shape = list(x.shape[:-nd]) + sizes
            raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: "
                               f"{shape}")
        raise RuntimeError(f"{op}: elements of output_size must be greater than or equal to 0 "
                           f"but received {{{', '.join(map(str, sizes[:2]))}"
                           + "".join(f",{s}" for s in sizes[2:]) + "}")
    # the result, before the windows of a huge output_size are laid out (issue 16, round 15:
    # adaptive_max_pool1d(x, 2**31) filled 15 GB past the memory limit)
    check_alloc(list(x.shape[:-nd]) + sizes, x.dtype)
    return sizes


def _adaptive_avg_pool_nd(input, nd, output_size):
    op = f"adaptive_avg_pool{nd}d"
    if nd > 1:
        _pool_input(input, op, adaptive=True)
    if all(s == 1 for s in _adaptive_sizes(input._data, nd, output_size)):
        # PyTorch's shortcut, before the op's checks of dims and empty sizes: a mean over the
        # last nd dims (an error of mean's for fewer dims, nan for an empty one)
        return input.mean(tuple(range(-1, -nd - 1, -1)), keepdim=True)
    sizes = _adaptive_size(input._data, nd, output_size, op)
    refuse_kernel(("adaptive_avg_pool2d", "adaptive_avg_pool3d_cpu")[nd - 2], input._data)
    win = _adaptive_windows(input.shape[-nd:], sizes)
    return _avg_pool(input, win, ADAPTIVE_AVG_NODES[nd])


def _adaptive_max_pool_nd(input, nd, output_size, return_indices):
    _pool_input(input, None, adaptive=True)
    sizes = _adaptive_size(input._data, nd, output_size, f"adaptive_max_pool{nd}d")
    refuse_kernel(("adaptive_max_pool2d", "adaptive_max_pool3d_cpu")[nd - 2], input._data)
    win = _adaptive_windows(input.shape[-nd:], sizes)
    return _max_pool(input, win, ADAPTIVE_MAX_NODES[nd], return_indices)


@declare(method=False, function=True, nn=True)
def adaptive_avg_pool1d(input, output_size):
    size = _one(output_size, "output_size", "adaptive_avg_pool1d")
    return _through_2d(input, adaptive_avg_pool2d, "adaptive_avg_pool1d", (1, size))


@declare(method=False, function=False, nn=True)
def adaptive_avg_pool2d(input, output_size):
    return _adaptive_avg_pool_nd(input, 2, output_size)


@declare(method=False, function=False, nn=True)
def adaptive_avg_pool3d(input, output_size):
    return _adaptive_avg_pool_nd(input, 3, output_size)


def _adaptive_max_pool1d_function(input, output_size):
    """torch.adaptive_max_pool1d returns the values and the indices."""
    return adaptive_max_pool1d(input, output_size, return_indices=True)


@declare(method=False, function=_named(_adaptive_max_pool1d_function, "adaptive_max_pool1d"),
         nn=True)
def adaptive_max_pool1d(input, output_size, return_indices=False):
    _pool_input(input, "adaptive_max_pool1d")
    size = _one(output_size, "output_size", "adaptive_max_pool1d")
    x = input._data
    _check_dims(x, 1, "adaptive_max_pool1d")
    for d in range(x.ndim - 2, x.ndim):
        if x.shape[d] == 0:
            raise RuntimeError("adaptive_max_pool1d(): Expected input to have non-zero size for "
                               f"non-batch dimensions, but input has sizes {list(x.shape)} with "
                               f"dimension {d} being empty")
    return _through_2d(input, adaptive_max_pool2d, "adaptive_max_pool1d", (1, size),
                       return_indices)


@declare(method=False, function=False, nn=True)
def adaptive_max_pool2d(input, output_size, return_indices=False):
    return _adaptive_max_pool_nd(input, 2, output_size, return_indices)


@declare(method=False, function=False, nn=True)
def adaptive_max_pool3d(input, output_size, return_indices=False):
    return _adaptive_max_pool_nd(input, 3, output_size, return_indices)


# ----- the *_with_indices names: F's functions behind max_pool{1,2,3}d(return_indices=True) ------
def _with_indices(pool, name, adaptive=False, torch_function=False):
    """F.`name`: `pool` with return_indices=True whatever the flag says (PyTorch's
    boolean_dispatch calls it for return_indices=True; called directly, it ignores the flag)."""
    if adaptive:
        def function(input, output_size, return_indices=False):
            return pool(input, output_size, return_indices=True)
    else:
        def function(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                     return_indices=False):
            return pool(input, kernel_size, stride, padding, dilation, ceil_mode, True)
    # (torch.max_pool1d_with_indices is the same op under ATen's signature)
    declare(_named(function, name), method=False, nn=True, function=torch_function and _named(
        torch_function, name), tensor_first=bool(torch_function))
    return function


max_pool1d_with_indices = _with_indices(max_pool1d, "max_pool1d_with_indices",
                                        torch_function=_torch_max_pool1d_with_indices)
max_pool2d_with_indices = _with_indices(max_pool2d, "max_pool2d_with_indices")
max_pool3d_with_indices = _with_indices(max_pool3d, "max_pool3d_with_indices")
adaptive_max_pool1d_with_indices = _with_indices(adaptive_max_pool1d,
                                                 "adaptive_max_pool1d_with_indices", True)
adaptive_max_pool2d_with_indices = _with_indices(adaptive_max_pool2d,
                                                 "adaptive_max_pool2d_with_indices", True)
adaptive_max_pool3d_with_indices = _with_indices(adaptive_max_pool3d,
                                                 "adaptive_max_pool3d_with_indices", True)
