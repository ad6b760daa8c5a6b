"""quantile and nanquantile, composed as ATen composes them (Sorting.cpp: quantile_compute).

Sort along the reduced dim (moved last), turn q into fractional ranks, gather the values below
and above each rank and lerp between them. Because the steps are gradsh's own ops, the result
has PyTorch's graph (`SqueezeBackward4` over `LerpBackward1` over `GatherBackward0` over
`SortBackward0`), its gradients and its float rounding; ATen ends with in-place views
(`squeeze_`, `transpose_`, `unsqueeze_`), whose nodes are declared here.
"""

import numpy as np

from ..factories import full_like, scalar_tensor
from ..tensor import Tensor
from .base import dim_arg, make, needs_grad, record, rule
from .registry import declare
from .linalg import SqueezeBackward4
from .pointwise import mul_scalar
from .inplace import TransposeBackward1
from .shape import UnsqueezeBackward0

MODES = ("linear", "lower", "higher", "midpoint", "nearest")
# the rank adjustment of each mode (ATen: floor_, ceil_, round_ on the ranks)
_RANK_ROUNDING = {"lower": "floor", "higher": "ceil", "nearest": "round"}
_MAX_SIZE = 2 ** 24  # ranks are exact in float32 up to here


# ATen's in-place views at the end of quantile_compute: their nodes (squeeze_'s is matmul's too,
# transpose_'s is inplace.py's), with the rules of the out-of-place ones
UnsqueezeBackward1 = rule(UnsqueezeBackward0.rule, name="UnsqueezeBackward1")


def _in_place_view(t, data, node, saved):
    """t reshaped in place as ATen's `squeeze_`/`transpose_`/`unsqueeze_` does (t is a fresh
    result nobody else holds, so a new tensor with the node is the same thing)."""
    out = make(data)
    if needs_grad(t):
        record(out, node, (t,), saved)
    return out


def _checked_q(self, q):
    d = self._data
    if d.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if isinstance(q, Tensor):
        if q._data.ndim > 1:
            raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if d.dtype not in (np.float32, np.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if not isinstance(q, Tensor):
        q = float(q)
        if not 0 <= q <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")
        return scalar_tensor(q, dtype=self.dtype)
    if q._data.dtype != d.dtype:
        raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
    if not ((q._data >= 0) & (q._data <= 1)).all():
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    return q


def _out_shape(shape, dim, keepdim):
    """The result's shape without q's dim (ATen: reduced size, or all ones with keepdim)."""
    if dim is not None and shape:
        return shape[:dim] + ((1,) if keepdim else ()) + shape[dim + 1:]
    return (1,) * len(shape) if keepdim else ()


def _sorted(self, dim):
    if dim is None:
        return self.flatten().sort()[0]
    if dim == self.dim() - 1:
        return self.sort()[0]
    return self.unsqueeze(-1).transpose(dim, -1).sort()[0]


def _ranks(q, sorted_, ignore_nan):
    if ignore_nan:
        ranks = q * (sorted_.isnan().logical_not().sum(-1, True) - 1)
        return ranks.masked_fill(ranks < 0, 0)
    # ATen: broadcast_tensors(q * last_index (a C++ scalar: MulBackward1), sorted has nan),
    # then masked_fill
    last = sorted_.shape[-1] - 1
    ranks, nan = mul_scalar(q, last), sorted_.isnan().any(-1, True)
    shape = np.broadcast_shapes(ranks.shape, nan.shape)
    return ranks.expand(shape).masked_fill(nan.expand(shape), last)


def _quantile(self, q, dim, keepdim, interpolation, ignore_nan):
    if interpolation not in MODES:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    q = _checked_q(self, q)
    k = None if dim is None else dim_arg(dim, self.dim())
    out_shape = _out_shape(tuple(self.shape), k, keepdim)
    sorted_ = _sorted(self, k)
    if sorted_.shape[-1] > _MAX_SIZE:
        raise RuntimeError("quantile() input tensor is too large")
    # the sorted values as (reduced shape..., the sorted dim); q broadcasts against them
    sorted_ = sorted_.view(out_shape + (sorted_.shape[-1],))
    ranks = _ranks(q, sorted_, ignore_nan)
    if interpolation in _RANK_ROUNDING:
        ranks = getattr(ranks, _RANK_ROUNDING[interpolation])()
    below = ranks.long()
    values = sorted_.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        weights = full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        values = values.lerp(sorted_.gather(-1, ranks.ceil().long()), weights)
    return _reshaped(values, q.dim())


def _reshaped(values, q_dim):
    """ATen's last step: drop the last dim (a 0-d q), or move q's dim (last) first."""
    d = values._data
    if q_dim == 0:
        return _in_place_view(values, d.reshape(d.shape[:-1]), SqueezeBackward4, (d.shape,))
    v = _in_place_view(values, d[None], UnsqueezeBackward1, (0,))
    v = _in_place_view(v, np.swapaxes(v._data, 0, -1), TransposeBackward1, (0, v.dim() - 1))
    return _in_place_view(v, v._data.reshape(v._data.shape[:-1]), SqueezeBackward4,
                          (v._data.shape,))


@declare(tensor_first=True)
def quantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The q-th quantiles along dim (of all elements when None), interpolated as asked."""
    return _quantile(self, q, dim, keepdim, interpolation, False)


@declare(tensor_first=True)
def nanquantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
    """quantile, ignoring NaN (all NaN: NaN)."""
    return _quantile(self, q, dim, keepdim, interpolation, True)
